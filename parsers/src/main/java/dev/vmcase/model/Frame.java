package dev.vmcase.model;

import java.util.List;

/**
 * One gdb frame.
 *
 * @param index    the frame number ({@code #N})
 * @param address  program counter, absent for inlined frames or frames stopped at a line start
 * @param function function name, {@code ??} when gdb had no symbol, {@code <signal handler called>} for signal frames
 * @param args     arguments in order
 * @param file     source file ({@code at FILE:LINE}), or null
 * @param line     source line, or 0
 * @param library  the object file ({@code from /lib64/libc.so.6}), or null
 * @param locals   {@code bt full} locals as printed, one entry per local
 */
public record Frame(SourceRef source, int index, String address, String function, List<Arg> args, String file,
                    int line, String library, List<String> locals) {
    public Frame {
        args = List.copyOf(args);
        locals = List.copyOf(locals);
    }

    public String arg(String name) {
        for (Arg a : args) {
            if (a.name().equals(name)) {
                return a.value();
            }
        }
        return null;
    }

    /** An argument: {@code slots@entry=256} is name {@code slots}, entry value 256. */
    public record Arg(String name, String value, boolean entryValue) {
    }
}

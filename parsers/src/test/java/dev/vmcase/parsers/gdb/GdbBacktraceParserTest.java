package dev.vmcase.parsers.gdb;

import dev.vmcase.model.Backtrace;
import dev.vmcase.model.BacktraceThread;
import dev.vmcase.model.Frame;
import dev.vmcase.model.Problem;
import dev.vmcase.parsers.EvidenceSink;
import dev.vmcase.parsers.Head;
import dev.vmcase.parsers.TextSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GdbBacktraceParserTest {
    private final GdbBacktraceParser parser = new GdbBacktraceParser();

    private static EvidenceSink parse(String text) {
        TextSource src = TextSource.ofText("bt.txt", text);
        EvidenceSink sink = EvidenceSink.forSource(src);
        new GdbBacktraceParser().parse(src, sink);
        return sink;
    }

    private static List<Frame> onlyThreadFrames(EvidenceSink sink) {
        assertEquals(1, sink.backtraces().size(), "backtraces");
        List<BacktraceThread> threads = sink.backtraces().get(0).threads();
        assertEquals(1, threads.size(), "threads");
        return threads.get(0).frames();
    }

    private static Frame frame(List<Frame> frames, int index) {
        return frames.stream().filter(f -> f.index() == index).findFirst()
                .orElseThrow(() -> new AssertionError("no frame #" + index));
    }

    private static Frame.Arg arg(Frame f, String name) {
        return f.args().stream().filter(a -> a.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no arg " + name + " in " + f.args()));
    }

    private static String seed() throws IOException {
        try (InputStream in = GdbBacktraceParserTest.class.getResourceAsStream("seed-ops-note.txt")) {
            assertNotNull(in, "seed resource");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void parsesItsOwnSampleIntoTwoNamedThreads() {
        assertTrue(parser.recognizes(Head.of(parser.sample())));
        EvidenceSink sink = parse(parser.sample());
        assertEquals(List.of(), sink.problems());
        Backtrace bt = sink.backtraces().get(0);
        assertEquals(2, bt.threads().size());
        BacktraceThread vcpu = bt.threads().get(0);
        assertEquals("3", vcpu.number());
        assertEquals(30512L, vcpu.lwp());
        assertEquals("CPU 0/KVM", vcpu.name());
        assertEquals(12, vcpu.frames().size());
        assertEquals("acpi_pcihp_eject_slot", vcpu.frames().get(0).function());
        assertEquals("qemu-system-x86", bt.threads().get(1).name());
        assertEquals(3, bt.source().line(), "a backtrace starts at its first thread header");
        assertEquals("gdb-backtrace", parser.format());
    }

    @Test
    void readsAddressFunctionArgsAndLocation() {
        Frame f = onlyThreadFrames(parse(
                "#3  0x00007ffff66df476 in __GI_raise (sig=sig@entry=6) at ../sysdeps/posix/raise.c:26\n"
                        + "#4  0x00007ffff66c57f3 in __GI_abort () at ./stdlib/abort.c:79\n")).get(0);
        assertEquals(3, f.index());
        assertEquals("0x00007ffff66df476", f.address());
        assertEquals("__GI_raise", f.function());
        assertEquals("../sysdeps/posix/raise.c", f.file());
        assertEquals(26, f.line());
        assertNull(f.library());
        assertEquals(new Frame.Arg("sig", "6", true), f.args().get(0));
    }

    @Test
    void readsLibraryAfterFromAndUnknownFunctions() {
        EvidenceSink sink = parse("""
                Program terminated with signal 11, Segmentation fault.
                #0  0x00007fb6dec981d0 in ?? ()
                Missing separate debuginfos, use: debuginfo-install glibc-2.12-1.107.el6_4.5.x86_64
                (gdb) where
                #0  0x00007fb6dec981d0 in ?? ()
                #1  <signal handler called>
                #2  0x00007fb6e82fff38 in main_arena () from /lib64/libc.so.6
                #3  0x00007fb6e4103de2 in mca_bml_r2_add_procs (nprocs=2, procs=0x2061440, reachable=0x7fff80487b40)
                    at ../../../../../ompi/mca/bml/r2/bml_r2.c:208
                """);
        assertEquals(List.of(), sink.problems());
        assertEquals(2, sink.backtraces().size(), "the bt before the prompt and the one after 'where'");
        List<Frame> frames = sink.backtraces().get(1).threads().get(0).frames();
        assertEquals(4, frames.size());
        assertEquals("??", frames.get(0).function());
        assertEquals(List.of(), frames.get(0).args());
        assertEquals("<signal handler called>", frames.get(1).function());
        assertNull(frames.get(1).address());
        assertEquals("main_arena", frames.get(2).function());
        assertEquals("/lib64/libc.so.6", frames.get(2).library());
        assertEquals("../../../../../ompi/mca/bml/r2/bml_r2.c", frames.get(3).file());
        assertEquals(208, frames.get(3).line());
        assertEquals("0x7fff80487b40", frames.get(3).arg("reachable"));
    }

    @Test
    void keepsInlinedFramesWithoutAddressAndJoinsWrappedArgumentLists() {
        EvidenceSink sink = parse("""
                Thread 4 "qemu-system-x86" received signal SIGABRT, Aborted.
                [Switching to Thread 0x7fffeffff640 (LWP 1897)]
                __pthread_kill_implementation (no_tid=0, signo=6, threadid=140737219917376) at ./nptl/pthread_kill.c:44
                44      ./nptl/pthread_kill.c: No such file or directory.
                (gdb) bt
                #0  __pthread_kill_implementation (no_tid=0, signo=6, threadid=140737219917376)
                    at ./nptl/pthread_kill.c:44
                #1  __pthread_kill_internal (signo=6, threadid=140737219917376)
                    at ./nptl/pthread_kill.c:78
                #2  __GI___pthread_kill (threadid=140737219917376, signo=signo@entry=6)
                    at ./nptl/pthread_kill.c:89
                #3  0x00007ffff66df476 in __GI_raise (sig=sig@entry=6) at ../sysdeps/posix/raise.c:26
                #4  0x00007ffff66c57f3 in __GI_abort () at ./stdlib/abort.c:79
                #5  0x0000555555be3c9e in translator_loop
                     (ops=ops@entry=0x5555563f6500 <i386_tr_ops>, db=db@entry=0x7fffefffe410, cpu=cpu@entry=0x555556824910, tb=tb@entry=0x7fffa8a6db40 <code_gen_buffer+10935059>, max_insns=max_insn)
                    at ../accel/tcg/translator.c:112
                """);
        assertEquals(List.of(), sink.problems());
        List<Frame> frames = onlyThreadFrames(sink);
        assertEquals(6, frames.size());
        Frame f0 = frames.get(0);
        assertNull(f0.address());
        assertEquals("__pthread_kill_implementation", f0.function());
        assertEquals("./nptl/pthread_kill.c", f0.file());
        assertEquals(44, f0.line());
        assertEquals(6, f0.source().line(), "a frame's source is its first line");
        assertEquals(new Frame.Arg("signo", "6", true), arg(frames.get(2), "signo"));
        Frame f5 = frames.get(5);
        assertEquals("translator_loop", f5.function());
        assertEquals(5, f5.args().size());
        assertEquals(new Frame.Arg("ops", "0x5555563f6500 <i386_tr_ops>", true), f5.args().get(0));
        assertEquals("0x7fffa8a6db40 <code_gen_buffer+10935059>", f5.arg("tb"));
        assertEquals("../accel/tcg/translator.c", f5.file());
        assertEquals(112, f5.line());
        assertTrue(f5.source().text().contains("translator.c:112"), "joined text kept: " + f5.source().text());
    }

    @Test
    void keepsInlinedGlibFrameInMainLoopTrace() {
        List<Frame> frames = onlyThreadFrames(parse("""
                #32 0x00007fc549232f4f in g_main_dispatch (context=0x557eb76c6430) at ../glib/gmain.c:3364
                #33 g_main_context_dispatch (context=0x557eb76c6430) at ../glib/gmain.c:4079
                #34 0x0000557eb47d3ab1 in glib_pollfds_poll () at ../util/main-loop.c:287
                #35 0x0000557eb47d3b38 in os_host_main_loop_wait (timeout=0) at ../util/main-loop.c:310
                #36 0x0000557eb47d3c58 in main_loop_wait (nonblocking=0) at ../util/main-loop.c:589
                #37 0x0000557eb4218b01 in qemu_main_loop () at ../system/runstate.c:835
                #38 0x0000557eb46df166 in qemu_default_main (opaque=0x0) at ../system/main.c:50
                #39 0x0000557eb46df215 in main (argc=24, argv=0x7ffd94b4f8d8) at ../system/main.c:80
                """));
        assertEquals(8, frames.size());
        assertEquals(32, frames.get(0).index(), "real frame numbers are kept");
        Frame inlined = frame(frames, 33);
        assertNull(inlined.address());
        assertEquals("g_main_context_dispatch", inlined.function());
        assertEquals(4079, inlined.line());
        assertEquals("qemu_main_loop", frame(frames, 37).function());
    }

    @Test
    void keepsGapsInFrameNumbers() {
        List<Frame> frames = onlyThreadFrames(parse("""
                #0  0x00007ffff0a6e0bf in ppoll () from /lib64/libc.so.6
                #3  0x00007ffff7c4f0b4 in os_host_main_loop_wait (timeout=999000000) at main-loop.c:235
                #7  0x00007ffff7ab5a8e in main (argc=<optimized out>, argv=<optimized out>) at vl.c:4498
                """));
        assertEquals(List.of(0, 3, 7), frames.stream().map(Frame::index).collect(Collectors.toList()));
    }

    @Test
    void readsThreadHeadersOfThreadApplyAllBt() {
        EvidenceSink sink = parse("""
                (gdb) thread apply all bt
                Thread 12 (Thread 0x7f7fe2116700 (LWP 5466)):
                #0 sem_wait () at ../nptl/sysdeps/unix/sysv/linux/x86_64/sem_wait.S:86
                #1 0x0000000000425358 in ?? ()

                Thread 1.4 (Thread 0x7fffeffff640 (LWP 1897) "CPU 1/KVM"):
                #0  0x00007ffff6791c5b in ioctl () at ../sysdeps/unix/syscall-template.S:120
                #1  0x0000555555b8a2c4 in kvm_vcpu_ioctl (cpu=cpu@entry=0x555556ba4d30, type=type@entry=44672) at ../accel/kvm/kvm-all.c:3035

                Thread 1 (Thread 0x7f7feabc27c0 (LWP 5465)):
                #0 0x00007f7fe76c5203 in select () at ../sysdeps/unix/syscall-template.S:82
                """);
        assertEquals(List.of(), sink.problems());
        assertEquals(1, sink.backtraces().size());
        List<BacktraceThread> threads = sink.backtraces().get(0).threads();
        assertEquals(3, threads.size());
        assertEquals("12", threads.get(0).number());
        assertEquals(5466L, threads.get(0).lwp());
        assertNull(threads.get(0).name());
        assertEquals("sem_wait", threads.get(0).frames().get(0).function());
        assertEquals("1.4", threads.get(1).number());
        assertEquals(1897L, threads.get(1).lwp());
        assertEquals("CPU 1/KVM", threads.get(1).name());
        assertEquals("44672", threads.get(1).frames().get(1).arg("type"));
        assertEquals("select", threads.get(2).frames().get(0).function());
    }

    @Test
    void readsTheFrameFilterVariantWithObjectFileAfterAt() {
        List<Frame> frames = onlyThreadFrames(parse("""
                #7 0x00007ffff6799b1c in xmlParseStartTag () at /lib/x86_64-linux-gnu/libxml2.so.2
                #8 0x00007ffff68c7bb8 in () at /lib/x86_64-linux-gnu/libxml2.so.2
                """));
        assertEquals("xmlParseStartTag", frames.get(0).function());
        assertEquals("/lib/x86_64-linux-gnu/libxml2.so.2", frames.get(0).library());
        assertNull(frames.get(0).file());
        assertEquals("??", frames.get(1).function());
        assertEquals("/lib/x86_64-linux-gnu/libxml2.so.2", frames.get(1).library());
    }

    @Test
    void readsDummyFramesAndManualExampleWithMoreFramesFollow() {
        EvidenceSink sink = parse("""
                #0  m4_traceon (obs=0x24eb0, argc=1, argv=0x2b8c8)
                    at builtin.c:993
                #1  0x6e38 in expand_macro (sym=0x2b600, data=...) at macro.c:242
                #2  0x6840 in expand_token (obs=0x0, t=177664, td=0xf7fffb08)
                    at macro.c:71
                #3  <function called from gdb>
                (More stack frames follow...)
                """);
        assertEquals(List.of(), sink.problems());
        List<Frame> frames = onlyThreadFrames(sink);
        assertEquals(4, frames.size());
        assertEquals("builtin.c", frames.get(0).file());
        assertEquals(993, frames.get(0).line());
        assertEquals("...", frames.get(1).arg("data"));
        assertEquals("macro.c", frames.get(2).file());
        assertEquals("<function called from gdb>", frames.get(3).function());
    }

    @Test
    void recordsBacktraceStoppedReasonAndSkipsNoSymbolTableLines() {
        EvidenceSink sink = parse("""
                (gdb) bt full
                #0 0x438561e2 in ?? ()
                No symbol table info available.
                #1 0x43856f92 in ?? ()
                No symbol table info available.
                #2 0x43856f92 in ?? ()
                No symbol table info available.
                Backtrace stopped: previous frame identical to this frame (corrupt stack?)
                """);
        assertEquals(List.of(), sink.problems());
        BacktraceThread t = sink.backtraces().get(0).threads().get(0);
        assertEquals(3, t.frames().size());
        assertEquals("previous frame identical to this frame (corrupt stack?)", t.stoppedReason());
        assertEquals(List.of(), t.frames().get(0).locals());
    }

    @Test
    void attachesBtFullLocalsToTheirFrame() {
        EvidenceSink sink = parse("""
                #1  0x00007ffff7cb087f in pci_write (opaque=0x7ffff8bf7e18, addr=8, data=32, size=4) at hw/acpi/pcihp.c:277
                        s = 0x7ffff8bf7e18
                        bsel = 0
                        __func__ = "pci_write"
                #2  <signal handler called>
                No locals.
                #3  0x0000000010001048 in opal_atomic_swap_32 (addr=0x20, newval=1)
                   at
                /vlsci/VLSCI/samuel/tmp/OMPI/openmpi-gitclone/opal/include/opal/sys/atomic_impl.h:51
                       old = 1
                       tmp = 0xfff7a0ed858 "[avoca:32444] *** Process received signal
                ***\\n"
                       size = 1024
                """);
        assertEquals(List.of(), sink.problems());
        List<Frame> frames = onlyThreadFrames(sink);
        assertEquals(List.of("s = 0x7ffff8bf7e18", "bsel = 0", "__func__ = \"pci_write\""), frames.get(0).locals());
        assertEquals(List.of(), frames.get(1).locals());
        Frame f3 = frames.get(2);
        assertEquals("/vlsci/VLSCI/samuel/tmp/OMPI/openmpi-gitclone/opal/include/opal/sys/atomic_impl.h", f3.file());
        assertEquals(51, f3.line());
        assertEquals(3, f3.locals().size(), "a string local wrapped by mail stays one local: " + f3.locals());
        assertTrue(f3.locals().get(1).startsWith("tmp = 0xfff7a0ed858"));
        assertEquals("size = 1024", f3.locals().get(2));
    }

    @Test
    void splitsArgumentsRespectingQuotesBracketsAndEscapes() {
        Frame f = onlyThreadFrames(parse(
                "#0  0x0000555555a1b2c3 in qemu_opts_parse (list=0x555556302a40 <qemu_drive_opts>, "
                        + "params=0x7fffffffe9b0 \"file=a,b.img,if=none,id=\\\"x, y\\\"\", c=44 ',', "
                        + "v={a = 1, b = 2}, cb=0x5555 <f<int, int>>, mr=<optimized out>, attrs=...) at util/qemu-option.c:920\n"
                        + "#1  0x0000555555a1b2c4 in main () at vl.c:1\n")).get(0);
        assertEquals(List.of("list", "params", "c", "v", "cb", "mr", "attrs"),
                f.args().stream().map(Frame.Arg::name).collect(Collectors.toList()));
        assertEquals("0x7fffffffe9b0 \"file=a,b.img,if=none,id=\\\"x, y\\\"\"", f.arg("params"));
        assertEquals("44 ','", f.arg("c"));
        assertEquals("{a = 1, b = 2}", f.arg("v"));
        assertEquals("0x5555 <f<int, int>>", f.arg("cb"));
        assertEquals("<optimized out>", f.arg("mr"));
        assertEquals("...", f.arg("attrs"));
        assertFalse(f.args().get(0).entryValue());
    }

    @Test
    void readsTheSeedTraceThroughItsNoiseLines() throws IOException {
        String seed = seed();
        EvidenceSink sink = EvidenceSink.forSource(TextSource.ofText("seed.txt", seed));
        BacktraceReader reader = new BacktraceReader(sink);
        String[] lines = seed.split("\n", -1);
        List<Integer> accepted = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            if (reader.accept(i + 1, lines[i])) {
                accepted.add(i + 1);
            }
        }
        reader.finish();
        assertEquals(List.of(), sink.problems());
        List<Frame> frames = onlyThreadFrames(sink);
        List<Integer> indexes = new ArrayList<>();
        for (int i = 0; i <= 20; i++) {
            indexes.add(i);
        }
        assertEquals(indexes, frames.stream().map(Frame::index).collect(Collectors.toList()));

        Frame f0 = frame(frames, 0);
        assertEquals("release_drive", f0.function());
        assertEquals("0x7ffff8bcb5b0 \"drive\"", f0.arg("name"));
        assertEquals("hw/core/qdev-properties-system.c", f0.file());
        assertEquals(85, f0.line());

        Frame f9 = frame(frames, 9);
        assertEquals("32", f9.arg("slots"));
        assertEquals("0", f9.arg("bsel"));

        Frame f11 = frame(frames, 11);
        assertEquals("/usr/local/src/qemu-2.1.2/memory.c", f11.file());
        assertEquals(444, f11.line());
        assertEquals("4294967295", f11.arg("mask"));

        Frame f12 = frame(frames, 12);
        assertEquals("0x7ffff7b410ba <memory_region_write_accessor>", f12.arg("access"));
        assertEquals("0x7ffff8bf8a28", f12.arg("mr"));
        assertEquals(481, f12.line());

        assertEquals("44552", frame(frames, 15).arg("addr"));
        assertEquals("0x7ffff7a3e000 \" \"", frame(frames, 15).arg("buf"));
        assertEquals("/lib64/libpthread.so.0", frame(frames, 19).library());
        assertEquals("start_thread", frame(frames, 19).function());
        assertEquals("/lib64/libc.so.6", frame(frames, 20).library());

        int first = frame(frames, 0).source().line();
        int last = frame(frames, 20).source().line();
        assertEquals("#0 release_drive", lines[first - 1].substring(0, 16));
        assertFalse(accepted.contains(first - 1), "the '-' before the trace is not part of it");
        assertFalse(accepted.contains(last + 1), "the prose after the trace is not part of it");
        for (int n = first; n <= last; n++) {
            assertTrue(accepted.contains(n), "line " + n + " belongs to the trace: " + lines[n - 1]);
        }
    }

    @Test
    void reportsAFrameCutMidLineAtEndOfFileAndKeepsIt() {
        EvidenceSink sink = parse("""
                #0  0x00007ffff7cb0190 in acpi_pcihp_eject_slot (s=0x7ffff8bf7e18, bsel=0, slots=32) at hw/acpi/pcihp.c:139
                #1  0x00007ffff7cb087f in pci_write (opaque=0x7ffff8bf7e18, addr=8, data=32, size=4) at hw/acpi/pcihp.c:277
                #2  0x00007ffff7b4115c in memory_region_write_accessor (mr=0x7ffff8bf8a28, addr=8, val""");
        List<Problem> problems = sink.problems();
        assertEquals(1, problems.size(), problems.toString());
        assertEquals(3, problems.get(0).line());
        List<Frame> frames = onlyThreadFrames(sink);
        assertEquals(3, frames.size());
        Frame cut = frames.get(2);
        assertEquals("memory_region_write_accessor", cut.function());
        assertEquals(List.of(new Frame.Arg("mr", "0x7ffff8bf8a28", false), new Frame.Arg("addr", "8", false)),
                cut.args());
    }

    @Test
    void reportsJunkLinesInsideATraceWithoutEndingIt() {
        EvidenceSink sink = parse("#0  0x00007ffff0a6e0bf in ppoll () from /lib64/libc.so.6\n"
                + "\u0000\u0001\uFFFD\uFFFD\u0007ELF\u0002\u0001\u0001\n"
                + "#1 (((((\"\uFFFD\n"
                + "#2  0x00007ffff7c4f0b4 in os_host_main_loop_wait (timeout=0) at main-loop.c:235\n"
                + "\uFFFD\uFFFD\uFFFD\uFFFD\n");
        assertEquals(1, sink.backtraces().size());
        List<Frame> frames = sink.backtraces().get(0).threads().get(0).frames();
        assertEquals(List.of(0, 2), frames.stream().map(Frame::index).collect(Collectors.toList()));
        assertEquals(List.of(2, 3, 5), sink.problems().stream().map(Problem::line).collect(Collectors.toList()));
    }

    @Test
    void neverThrowsOnArbitraryBytes() {
        StringBuilder sb = new StringBuilder("#0  0x1 in f (a=\"\n");
        java.util.Random r = new java.util.Random(42);
        for (int i = 0; i < 5000; i++) {
            sb.append((char) r.nextInt(0x3000));
            if (i % 97 == 0) {
                sb.append("\n#").append(r.nextInt(30)).append("  0x2 in g (");
            }
        }
        EvidenceSink sink = parse(sb.toString());
        assertFalse(sink.problems().isEmpty());
    }

    @Test
    void recognisesBacktraceFilesAfterGdbPreamble() {
        assertTrue(parser.recognizes(Head.of("""
                Core was generated by `/usr/bin/qemu-system-x86_64 -name guest=vm1,debug-threads=on'.
                Program terminated with signal SIGSEGV, Segmentation fault.
                #0  0x0000555555b2d8a1 in object_unref (objptr=0x0) at ../qom/object.c:1190
                [Current thread is 1 (Thread 0x7f3a9ffff640 (LWP 4242))]
                (gdb) bt
                #0  0x0000555555b2d8a1 in object_unref (objptr=0x0) at ../qom/object.c:1190
                #1  0x0000555555a7f0d2 in release_drive (obj=<optimized out>, name=<optimized out>, opaque=<optimized out>) at ../hw/core/qdev-properties-system.c:189
                """)));
        assertTrue(parser.recognizes(Head.of("""
                -
                Thread 2 (Thread 0x7fffe9897700 (LWP 30512)):
                -
                #0  0x00007ffff0a6e0bf in ioctl () from /lib64/libc.so.6
                """)), "one frame plus a thread header, with noise lines");
    }

    @Test
    void doesNotRecogniseProseThatQuotesABacktrace() throws IOException {
        assertFalse(parser.recognizes(Head.of(seed())));
        assertFalse(parser.recognizes(Head.of("""
                We attached gdb to the stuck QEMU and got this:
                #0  0x00007ffff0a6e0bf in ppoll () from /lib64/libc.so.6
                #1  0x00007ffff7c8e5fb in qemu_poll_ns (fds=0x0, nfds=1, timeout=0) at qemu-timer.c:314
                """)));
    }

    @Test
    void doesNotRecogniseAQemuLogOrASingleFrame() {
        assertFalse(parser.recognizes(Head.of("""
                2019-07-24T06:46:49.487109Z qemu-system-x86_64: warning: Unknown firmware file in legacy mode: etc/msr_feature_control
                2019-07-24T06:47:22.187749Z qemu-system-x86_64: VQ 2 size 0x80 < last_avail_idx 0xb57 - used_idx 0xb59
                2019-07-24T06:47:22.187768Z qemu-system-x86_64: Failed to load virtio-balloon:virtio
                2019-07-24T06:47:22.187771Z qemu-system-x86_64: error while loading state for instance 0x0 of device '0000:00:05.0/virtio-balloon'
                2019-07-24T06:47:22.188194Z qemu-system-x86_64: load of migration failed: Operation not permitted
                2019-07-24 06:47:22.430+0000: shutting down, reason=failed
                """)));
        assertFalse(parser.recognizes(Head.of("#0  0x00007ffff0a6e0bf in ppoll () from /lib64/libc.so.6\n")));
        assertFalse(parser.recognizes(Head.of("#1 issue: the disk stays\n#2 issue: migration fails\n")));
    }

    @Test
    void embeddedReaderEndsATraceAtTheFirstProseLine() {
        EvidenceSink sink = EvidenceSink.forSource(TextSource.ofText("note.txt", ""));
        BacktraceReader reader = new BacktraceReader(sink);
        assertFalse(reader.accept(1, "The vCPU thread was here:"));
        assertTrue(reader.accept(2, "#0  0x00007ffff0a6e0bf in ioctl () from /lib64/libc.so.6"));
        assertTrue(reader.accept(3, ""));
        assertTrue(reader.inTrace());
        assertFalse(reader.accept(4, "and the main loop was idle."));
        assertFalse(reader.inTrace());
        assertEquals(1, sink.backtraces().size());
        assertTrue(reader.accept(5, "#0  0x00007ffff0a6e0bf in ppoll () from /lib64/libc.so.6"));
        reader.finish();
        assertEquals(2, sink.backtraces().size());
        assertEquals(5, sink.backtraces().get(1).source().line());
        assertEquals(List.of(), sink.problems());
    }

    @Test
    void stripsPagerPromptsInsidePastedOutput() {
        List<Frame> frames = onlyThreadFrames(parse("""
                #0  0x00007ffff0a6e0bf in ppoll () from /lib64/libc.so.6
                --Type <RET> for more, q to quit, c to continue without paging--#1  0x00007ffff7c4f0b4 in os_host_main_loop_wait (timeout=0) at main-loop.c:235
                """));
        assertEquals(2, frames.size());
        assertEquals("os_host_main_loop_wait", frames.get(1).function());
    }
}

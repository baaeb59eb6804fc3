package dev.vmcase.parsers.gdb;

import dev.vmcase.model.Backtrace;
import dev.vmcase.model.BacktraceThread;
import dev.vmcase.model.Frame;
import dev.vmcase.parsers.EvidenceSink;
import dev.vmcase.parsers.Head;
import dev.vmcase.parsers.ingest.ParserRegistry;
import dev.vmcase.parsers.TextSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The forms of backtrace beyond gdb's plain {@code #N} lines, on real published output (see the fixtures' README). */
class GdbFormsTest {

    static String resource(String name) throws IOException {
        try (InputStream in = GdbFormsTest.class.getResourceAsStream(name)) {
            assertNotNull(in, name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static EvidenceSink parse(String text) {
        TextSource src = TextSource.ofText("bt.txt", text);
        EvidenceSink sink = EvidenceSink.forSource(src);
        new GdbBacktraceParser().parse(src, sink);
        return sink;
    }

    private static Frame frame(BacktraceThread t, int index) {
        return t.frames().stream().filter(f -> f.index() == index).findFirst()
                .orElseThrow(() -> new AssertionError("no frame " + index + " in " + t.frames()));
    }

    @Test
    void readsFramesPrintedWithoutTheirHashThroughAPagerPrompt() throws IOException {
        String text = resource("qemu-8.0-dev-bare-frames-qtest-eject.txt");
        assertTrue(new GdbBacktraceParser().recognizes(Head.of(text)));
        EvidenceSink sink = parse(text);
        assertEquals(List.of(), sink.problems());
        assertEquals(1, sink.backtraces().size());
        BacktraceThread t = sink.backtraces().get(0).threads().get(0);
        assertEquals(47, t.frames().size(), "frames 3..49");
        assertEquals(3, t.frames().get(0).index());
        Frame eject = frame(t, 26);
        assertEquals("acpi_pcihp_eject_slot", eject.function());
        assertEquals("64", eject.arg("slots"));
        assertEquals("../hw/acpi/pcihp.c", eject.file());
        assertEquals(251, eject.line());
        assertEquals(30, eject.source().line(), "the file's own line number");
        assertEquals("  26 0x0000562b8d603386 in acpi_pcihp_eject_slot (s=0x562b90ade510, bsel=0, slots=64)"
                + " at ../hw/acpi/pcihp.c:251", eject.source().text(), "the line as the user sees it");
        Frame wrapped = frame(t, 29);
        assertEquals("access_with_adjusted_size", wrapped.function());
        assertEquals("8", wrapped.arg("addr"), "the argument list wrapped onto the next line is joined");
        Frame out = frame(t, 34);
        assertEquals("cpu_outl", out.function());
        assertEquals("44552", out.arg("addr"));
        assertEquals("64", out.arg("val"));
        assertEquals("address_space_write", frame(t, 33).function(), "the frame after the pager prompt");
        Frame inlined = frame(t, 43);
        assertNull(inlined.address());
        assertEquals("g_main_context_dispatch", inlined.function());
    }

    @Test
    void framesWithoutHashGiveTheSameFramesAsTheHashForm() throws IOException {
        String bare = resource("qemu-8.0-dev-bare-frames-qtest-eject.txt");
        String hashed = bare.lines().map(l -> l.matches("^  \\d+ .*") ? "#" + l.strip() : l)
                .collect(Collectors.joining("\n"));
        List<Frame> a = parse(bare).backtraces().get(0).threads().get(0).frames();
        List<Frame> b = parse(hashed).backtraces().get(0).threads().get(0).frames();
        assertEquals(b.size(), a.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(b.get(i).function(), a.get(i).function());
            assertEquals(b.get(i).args(), a.get(i).args());
            assertEquals(b.get(i).file(), a.get(i).file());
        }
    }

    @Test
    void numberedProseIsNotABareFrame() {
        for (String prose : List.of(
                "  1 patch in this series (see below) at the end",
                "3 0x10 in total",
                "12 devices in use",
                "2 files changed, 8 insertions(+)",
                "817         if (irqfd->users == 0) {",
                "  26 acpi_pcihp_eject_slot was called twice")) {
            assertFalse(GdbFrameSyntax.isFrameLine(prose), prose);
        }
        assertTrue(GdbFrameSyntax.isBareFrameLine("7  flatview_write () at ../qemu-9.0.0/system/physmem.c:2774"));
        assertTrue(GdbFrameSyntax.isBareFrameLine("13 0x00007c8185bcd1cf in ??? () at /usr/lib/libc.so.6"));
    }

    @Test
    void aThreadSignalLandsOnItsNamedThread() throws IOException {
        String text = resource("qemu-9.0-thread-signal-bare-frames.txt");
        assertTrue(new GdbBacktraceParser().recognizes(Head.of(text)));
        EvidenceSink sink = parse(text);
        assertEquals(List.of(), sink.problems());
        Backtrace bt = sink.backtraces().get(0);
        assertEquals(1, bt.threads().size());
        BacktraceThread t = bt.threads().get(0);
        assertEquals("6", t.number());
        assertEquals(1269146, t.lwp());
        assertEquals("CPU 0/KVM", t.name());
        assertEquals("SIGSEGV", t.signal());
        assertEquals(15, t.frames().size());
        assertEquals("kvm_virtio_pci_vq_vector_use", t.frames().get(0).function());
        assertEquals("???", frame(t, 13).function());
        assertEquals("/usr/lib/libc.so.6", frame(t, 13).library());
        assertEquals("flatview_write_continue_step.isra.0", frame(t, 5).function());
    }

    @Test
    void aSignalOfAnotherThreadDoesNotLandOnThisOne() throws IOException {
        String text = resource("qemu-9.0-thread-signal-bare-frames.txt")
                .replace("Thread 6 (Thread 0x7c817be006c0 (LWP 1269146) \"CPU 0/KVM\"):",
                        "Thread 1 (Thread 0x7c8185a00f00 (LWP 1269140) \"qemu-system-x86\"):");
        BacktraceThread t = parse(text).backtraces().get(0).threads().get(0);
        assertEquals("1", t.number());
        assertEquals("qemu-system-x86", t.name());
        assertNull(t.signal());
    }

    @Test
    void aPlainBtAfterTheSignalIsTheSignalledThread() {
        // the krr-artifact report (https://github.com/rssys/krr-artifact/issues/1), its first frames as posted
        String text = """
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
                """;
        EvidenceSink sink = parse(text);
        BacktraceThread t = sink.backtraces().get(0).threads().get(0);
        assertEquals("4", t.number());
        assertEquals(1897, t.lwp());
        assertEquals("qemu-system-x86", t.name());
        assertEquals("SIGABRT", t.signal());
        assertEquals(5, t.frames().size());
    }

    @Test
    void aCoreFilesSignalLandsOnTheCurrentThread() {
        // dotnet/coreclr#12421 (a gdb session on a core file), first frames as posted
        String text = """
                Core was generated by `clr-debug/corerun tests-release/JIT/Methodical/cctor/misc/threads1_cs_r/threads'.
                Program terminated with signal SIGSEGV, Segmentation fault.
                #0  0x00000000 in ?? ()
                [Current thread is 1 (Thread 0xadbff450 (LWP 22222))]
                (gdb) bt
                #0  0x00000000 in ?? ()
                #1  0xb650a34c in DomainLocalModule::GetPrecomputedNonGCStaticsBasePointer (this=0xb1c2a594) at /home/mskvortsov/git/coreclr/src/vm/appdomain.hpp:234
                #2  0xb648c48c in CallDescrWorker (pCallDescrData=0xadbfe4c0) at /home/mskvortsov/git/coreclr/src/vm/callhelpers.cpp:135
                """;
        EvidenceSink sink = parse(text);
        assertEquals(2, sink.backtraces().size());
        for (Backtrace b : sink.backtraces()) {
            BacktraceThread t = b.threads().get(0);
            assertEquals("1", t.number());
            assertEquals(22222, t.lwp());
            assertEquals("SIGSEGV", t.signal());
        }
    }

    @Test
    void oldGdbSignalNumbersAreNamed() {
        assertEquals("SIGSEGV", BacktraceReader.signalName("11"));
        assertEquals("SIGABRT", BacktraceReader.signalName("6"));
        assertEquals("SIGBUS", BacktraceReader.signalName("SIGBUS"));
    }

    @Test
    void readsACoredumpctlInfoWithItsSignalOnTheFirstStack() throws IOException {
        String text = resource("coredumpctl-info-abrt-1656.txt");
        assertTrue(new GdbBacktraceParser().recognizes(Head.of(text)) || ParserRegistry.detect(Head.of(text)).isEmpty(),
                "one frame is not enough to claim a file, and nothing else claims it");
        EvidenceSink sink = parse(text);
        assertEquals(List.of(), sink.problems());
        BacktraceThread t = sink.backtraces().get(0).threads().get(0);
        assertEquals(3219, t.lwp());
        assertNull(t.number());
        assertEquals("SIGSEGV", t.signal());
        Frame f = t.frames().get(0);
        assertEquals("crash.constprop.0", f.function());
        assertEquals("0x0000aaaaca9d02dc", f.address());
        assertEquals("will_segfault", f.library());
        assertEquals(List.of(), f.args());
    }

    @Test
    void readsASystemdCoredumpStackOfQemuOnceItsQuoteMarkersAreGone() throws IOException {
        // the paste pipeline strips "> " before handing the region over; done by hand here
        String quoted = resource("coredump-stack-qemu-devel-2022-05-20.txt");
        String region = quoted.lines().map(l -> l.startsWith(">") ? l.substring(Math.min(2, l.length())) : l)
                .collect(Collectors.joining("\n"));
        assertEquals(GdbBacktraceParser.FORMAT, ParserRegistry.detect(Head.of(region)).orElseThrow().format());
        EvidenceSink sink = parse(region);
        assertEquals(List.of(), sink.problems());
        BacktraceThread t = sink.backtraces().get(0).threads().get(0);
        assertEquals(16903, t.lwp());
        assertEquals(15, t.frames().size());
        Frame f2 = frame(t, 2);
        assertEquals("error_handle_fatal", f2.function());
        assertEquals("qemu-system-x86_64", f2.library());
        assertEquals("raise", frame(t, 0).function());
        assertEquals("libc.so.6", frame(t, 0).library());
        assertNull(t.signal(), "the paste names no signal");
    }

    @Test
    void coredumpsUnknownFunctionIsAQuestionMark() {
        Frame f = GdbFrameSyntax.parse("#0  0x00007f81bfa9a17c n/a (libc.so.6 + 0x9a17c)") == null ? null
                : parse("Stack trace of thread 222:\n#0  0x00007f81bfa9a17c n/a (libc.so.6 + 0x9a17c)\n"
                        + "#1  0x00007f6184b28a08 raise (libc.so.6 + 0x39a08)\n")
                        .backtraces().get(0).threads().get(0).frames().get(0);
        assertNotNull(f);
        assertEquals("??", f.function());
        assertEquals("libc.so.6", f.library());
    }

    @Test
    void insideProseTheFormsAreFoundTooAndCiteTheFilesLines() throws IOException {
        // what today's fallback for pasted text does with them: the region path of the text pipeline
        String mail = "Sample of calling memory_listener_unregister() with both BQL & RCU held\n"
                + "(RCU held in address_space_write).\n\n"
                + resource("qemu-8.0-dev-bare-frames-qtest-eject.txt")
                + "\nPeter Xu (4):\n  memory: Make memory_listeners RCU-safe for real\n";
        TextSource src = TextSource.ofText("mail.txt", mail);
        EvidenceSink sink = EvidenceSink.forSource(src);
        dev.vmcase.parsers.ingest.ParserRegistry.fallback().parse(src, sink);
        BacktraceThread t = sink.backtraces().get(0).threads().get(0);
        assertEquals(47, t.frames().size());
        assertEquals(33, frame(t, 26).source().line(), "the mail's own line");
        String commit = "The bt tree for this bug is:\n" + resource("qemu-9.0-thread-signal-bare-frames.txt")
                + "\nFixes: 2ce6cff94d (\"virtio-pci: fix use of a released vector\")\n";
        TextSource c = TextSource.ofText("commit.txt", commit);
        EvidenceSink cs = EvidenceSink.forSource(c);
        dev.vmcase.parsers.ingest.ParserRegistry.fallback().parse(c, cs);
        BacktraceThread th = cs.backtraces().get(0).threads().get(0);
        assertEquals("SIGSEGV", th.signal());
        assertEquals("CPU 0/KVM", th.name());
        assertEquals(15, th.frames().size());
    }
}

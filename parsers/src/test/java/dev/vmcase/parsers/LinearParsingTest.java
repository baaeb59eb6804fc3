package dev.vmcase.parsers;

import dev.vmcase.model.Problem;
import dev.vmcase.parsers.ingest.Ingest;
import dev.vmcase.parsers.ingest.ParserRegistry;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One line must never crash or hang a parser (issue 19, item 8): the four lines the hostile campaign found, grown from
 * real evidence. Each goes through {@link Ingest#read} (sniffing by every parser, then the chosen one) and must give
 * no internal error. The time limit is a hang guard (the old patterns took hours or overflowed the stack), not a
 * speed claim; {@code vmcase bench hostile} measures the time.
 */
class LinearParsingTest {
    static final Path DISK = Path.of("..", "sample-cases", "orphaned-disk-qemu", "evidence");
    static final Duration GUARD = Duration.ofSeconds(60);

    static Ingest.ReadResult read(String name, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        TextSource src = new TextSource(name, "sha", () -> new java.io.ByteArrayInputStream(bytes));
        return Ingest.read(src, bytes.length, java.util.Arrays.copyOf(bytes, Math.min(bytes.length, 8192)));
    }

    static void noInternalError(Ingest.ReadResult r) {
        for (Problem p : r.artifact().problems()) {
            assertFalse(p.message().startsWith("internal error"), p::toString);
        }
    }

    @Test
    void aSixKilobyteInfoBlockLine() throws Exception {
        String real = Files.readString(DISK.resolve("source-info-block.txt"));
        String first = real.lines().filter(l -> l.contains("(#block")).findFirst().orElseThrow();
        // a medium line whose option list goes on: "(qcow2, read-only, read-only, …)"
        String longLine = first.substring(0, first.lastIndexOf(')')) + ", a".repeat(2000) + ")";
        assertTrue(longLine.length() > 6000);
        // the long entry after a normal one (sniffing reads the first lines, cut at 4 KiB each)
        Ingest.ReadResult r = assertTimeoutPreemptively(GUARD, () -> read("info-block.txt",
                real + "\n" + real.replace(first, longLine)));
        noInternalError(r);
        assertTrue(r.artifact().format().equals("hmp-info-block"), r.artifact()::toString);
        assertTrue(r.sink().observations().size() >= 2, r.sink().observations()::toString);
    }

    @Test
    void aTwentyKilobyteCommandLine() throws Exception {
        String cmd = Files.readString(DISK.resolve("source-cmdline.txt")).strip();
        StringBuilder env = new StringBuilder();
        while (env.length() < 20_000) {
            env.append("A= ");
        }
        for (String line : List.of(env + cmd, cmd + " -device virtio-blk-pci,id=x".repeat(700),
                env.toString().strip() + " \\")) {
            Ingest.ReadResult r = assertTimeoutPreemptively(GUARD, () -> read("qemu.log", line + "\n"));
            noInternalError(r);
        }
    }

    @Test
    void aGdbFrameLineWithAHundredThousandSpaces() {
        for (String line : List.of(
                "#0  0x00007ffff7b3d5e5 in kvm_handle_io" + " ".repeat(100_000) + "at",
                "#0  0x00007ffff7b3d5e5 in kvm_handle_io (port=44552)" + " ".repeat(100_000) + "x",
                "#1  kvm_cpu_exec" + " ".repeat(100_000) + "from",
                "#2  f (" + "a=1, ".repeat(20_000))) {
            String text = "Thread 1 (Thread 0x7f (LWP 1)):\n" + line + "\n#3  0x0000 in clone () from /lib64/libc.so.6\n";
            Ingest.ReadResult r = assertTimeoutPreemptively(GUARD, () -> read("bt.txt", text));
            noInternalError(r);
        }
    }

    /** Found by {@code vmcase bench hostile}: gdb's chatter pattern took minutes on digits and a million spaces. */
    @Test
    void aLineOfDigitsAndAMillionSpacesInATicket() throws Exception {
        String note = Files.readString(Path.of("..", "sample-cases", "seed-incident", "evidence",
                "000_01db9a105711600e.txt"));
        String text = note + "\n20" + " ".repeat(1 << 20) + "\n" + note;
        Ingest.ReadResult r = assertTimeoutPreemptively(GUARD, () -> read("ticket.txt", text));
        noInternalError(r);
        assertFalse(r.sink().backtraces().isEmpty());
    }

    @Test
    void aOneMegabyteCommandLineToken() throws Exception {
        String cmd = Files.readString(DISK.resolve("source-cmdline.txt")).strip();
        for (String token : List.of("A=" + "b".repeat(1 << 20), "x".repeat(1 << 20), "/" + "a/".repeat(1 << 19),
                "-device " + "a,".repeat(1 << 19))) {
            Ingest.ReadResult r = assertTimeoutPreemptively(GUARD, () -> read("qemu.log", token + " " + cmd + "\n"
                    + cmd + " " + token + "\n"));
            noInternalError(r);
        }
    }
}

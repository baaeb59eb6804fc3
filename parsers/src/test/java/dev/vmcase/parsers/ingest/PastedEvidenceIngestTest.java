package dev.vmcase.parsers.ingest;

import dev.vmcase.model.Artifact;
import dev.vmcase.model.Event;
import dev.vmcase.model.EventKind;
import dev.vmcase.model.Evidence;
import dev.vmcase.model.SourceRef;
import dev.vmcase.parsers.ProgressMonitor;
import dev.vmcase.parsers.text.EmbeddedEvidenceParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pasted evidence in a bundle: quoted copies cite their original once, a pasted line of a log in the bundle is cited
 * from the log, and files that describe a case (its README, its answer key, its capture script) give nothing.
 */
class PastedEvidenceIngestTest {
    static final Path CASE = Path.of("../sample-cases/orphaned-disk-qemu");
    static final Path PASTE = Path.of("src/test/resources/paste");

    private static String format(Evidence e, String fileName) {
        return e.artifacts().stream().filter(a -> a.path().endsWith(fileName)).map(Artifact::format).findFirst()
                .orElseThrow(() -> new AssertionError("no artifact " + fileName));
    }

    private static Stream<SourceRef> cited(Evidence e) {
        return Stream.of(e.events().stream().map(Event::source), e.qmp().stream().map(m -> m.source()),
                e.observations().stream().map(o -> o.source()), e.backtraces().stream().map(b -> b.source()))
                .flatMap(s -> s);
    }

    @Test
    void aSampleCaseFolderOpensAsItsEvidenceWithItsReadmeAsTheCasesNote() {
        // (its capture script is kept elsewhere now: describingFilesAreToldByContentNotByName reads it)
        Evidence e = Ingest.load(List.of(CASE), ProgressMonitor.NONE);
        assertEquals(DescribingFiles.CASE_NOTE, format(e, "README.md"));
        assertEquals(DescribingFiles.ANSWER_KEY, format(e, "expected-findings.json"));
        assertTrue(cited(e).allMatch(r -> r.path().contains("/evidence/")), "only evidence/ gives records");
        // the README's sentence about a variant run in slot 7 gives no device
        assertFalse(e.observations().stream()
                .anyMatch(o -> o.pci() != null && o.pci().toString().equals("0000:00:07.0")));
    }

    @Test
    void describingFilesAreToldByContentNotByName(@TempDir Path dir) throws IOException {
        // a corpus answer key under another name, a capture script without its extension
        Files.writeString(dir.resolve("notes.json"), """
                { "sources": ["https://bugs.launchpad.net/bugs/1894804"],
                  "must-fire": [ { "rule": "UNACKED_UNPLUG", "device": "virtio-disk1" } ] }
                """);
        Files.copy(Path.of("../sample-cases/provenance/orphaned-disk-qemu/capture.py"), dir.resolve("run"));
        Evidence e = Ingest.load(List.of(dir), ProgressMonitor.NONE);
        assertEquals(DescribingFiles.ANSWER_KEY, format(e, "notes.json"));
        assertEquals(DescribingFiles.SCRIPT, format(e, "run"));
        assertEquals(0, cited(e).count());
    }

    @Test
    void aReadmeOutsideACaseFolderIsReadAsAPastedNote(@TempDir Path dir) throws IOException {
        Files.copy(CASE.resolve("README.md"), dir.resolve("README.md"));
        Evidence e = Ingest.load(List.of(dir), ProgressMonitor.NONE);
        assertEquals(EmbeddedEvidenceParser.FORMAT, format(e, "README.md"));
        assertTrue(e.events().stream().anyMatch(ev -> ev.kind() == EventKind.MIGRATION_LOAD_ERROR));
    }

    @Test
    void aPastedLineOfALogInTheBundleIsCitedFromTheLog() {
        Evidence e = Ingest.load(List.of(CASE.resolve("README.md"), CASE.resolve("evidence")), ProgressMonitor.NONE);
        List<Event> errors = e.events().stream().filter(ev -> ev.kind() == EventKind.MIGRATION_LOAD_ERROR).toList();
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).source().path().endsWith("destination-qemu.log"));
        assertEquals(1, errors.get(0).source().line());
    }

    @Test
    void aThreadQuotingItsFirstMailCitesTheFirstMailOnce() {
        // the replies come first in reading order: the original still wins, by its lower quote depth
        Evidence e = Ingest.load(List.of(PASTE.resolve("qemu-devel-ramblock-reply-2.eml"),
                PASTE.resolve("qemu-devel-ramblock-reply-1.eml"), PASTE.resolve("qemu-devel-ramblock-original.eml")),
                ProgressMonitor.NONE);
        // the rejected section and the three cause lines QEMU printed before it (Bad config data, Failed to load …)
        List<Event> errors = e.events().stream().filter(ev -> ev.kind() == EventKind.MIGRATION_LOAD_ERROR).toList();
        assertEquals(List.of(29, 31, 32, 34), errors.stream().map(ev -> ev.source().line()).toList(), errors.toString());
        assertTrue(errors.stream().allMatch(ev -> ev.source().path().endsWith("qemu-devel-ramblock-original.eml")));
        assertEquals("0000:00:03.0/ioh-3240-express-root-port", errors.get(3).details().get("idstr"));
        assertEquals(1, e.observations().stream().filter(o -> "ioh3420".equals(o.type())).count(),
                "the quoted command lines are the original's too");
    }

    @Test
    void aReplyQuotingItsOwnThreadInOneFileCitesTheUnquotedLines(@TempDir Path dir) throws IOException {
        // a mail and its quoted copy saved as one file, the quote first (a top-posted forward)
        String original = Files.readString(PASTE.resolve("qemu-devel-ramblock-original.eml"));
        String reply = Files.readString(PASTE.resolve("qemu-devel-ramblock-reply-1.eml"));
        Path thread = dir.resolve("thread.txt");
        Files.writeString(thread, reply + "\n" + original);
        Evidence e = Ingest.load(List.of(thread), ProgressMonitor.NONE);
        List<Event> errors = e.events().stream()
                .filter(ev -> ev.kind() == EventKind.MIGRATION_LOAD_ERROR && ev.details().containsKey("idstr")).toList();
        assertEquals(1, errors.size());
        assertEquals(4, e.events().stream().filter(ev -> ev.kind() == EventKind.MIGRATION_LOAD_ERROR).count(),
                "the section and its three cause lines, each once");
        int replyLines = (int) reply.lines().count();
        assertEquals(replyLines + 1 + 34, errors.get(0).source().line(), "the unquoted copy, though it comes later");
    }

    @Test
    void aReplyQuotingTheSeedCitesTheSeedsBacktraceAndMessagesOnce(@TempDir Path dir) throws IOException {
        // the seed note quoted in a reply (each line behind "> "): frames, events and the migration section merge
        Path seed = Path.of("../sample-cases/seed-incident/evidence/000_01db9a105711600e.txt");
        StringBuilder reply = new StringBuilder("收到，下面是你贴的内容：\n");
        for (String l : Files.readAllLines(seed)) {
            reply.append("> ").append(l).append('\n');
        }
        Path quoted = dir.resolve("reply.txt");
        Files.writeString(quoted, reply.toString());
        Evidence e = Ingest.load(List.of(quoted, seed), ProgressMonitor.NONE);
        assertEquals(1, e.backtraces().size());
        assertTrue(e.backtraces().get(0).source().path().endsWith("000_01db9a105711600e.txt"));
        assertEquals(87, e.backtraces().get(0).source().line());
        assertEquals(1, e.events().stream().filter(ev -> ev.kind() == EventKind.MIGRATION_LOAD_ERROR).count());
        assertEquals(1, e.observations().size(), "the rejected section, once");
        assertTrue(cited(e).allMatch(r -> r.path().endsWith("000_01db9a105711600e.txt")));
    }

    @Test
    void aQuotedCopyOfLibvirtdRecordsMergesItsQmpMessages(@TempDir Path dir) throws IOException {
        Path original = PASTE.resolve("launchpad-1894804-notification.eml");
        StringBuilder reply = new StringBuilder();
        for (String l : Files.readAllLines(original)) {
            reply.append(">").append(l).append('\n');
        }
        Path quoted = dir.resolve("reply.eml");
        Files.writeString(quoted, "[A reply quoting the notification.]\n\n" + reply);
        Evidence both = Ingest.load(List.of(quoted, original), ProgressMonitor.NONE);
        Evidence alone = Ingest.load(List.of(original), ProgressMonitor.NONE);
        assertEquals(alone.qmp().size(), both.qmp().size());
        assertEquals(alone.events().size(), both.events().size());
        assertTrue(both.qmp().stream().allMatch(m -> m.source().path().endsWith("launchpad-1894804-notification.eml")));
    }

    @Test
    void twoAttemptsPastedOneAfterTheOtherStayTwo(@TempDir Path dir) throws IOException {
        // old QEMU's bare line (Launchpad bug 1535232, comment 6: https://bugs.launchpad.net/nova/+bug/1535232),
        // pasted once per failed attempt
        Path note = dir.resolve("note.txt");
        Files.writeString(note, """
                First attempt, the destination said:
                load of migration failed
                and the second attempt an hour later:
                load of migration failed
                """);
        Evidence e = Ingest.load(List.of(note), ProgressMonitor.NONE);
        assertEquals(2, e.events().stream().filter(ev -> ev.kind() == EventKind.MIGRATION_LOAD_FAILED).count());
    }
}

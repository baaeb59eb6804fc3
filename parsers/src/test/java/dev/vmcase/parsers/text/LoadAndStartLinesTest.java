package dev.vmcase.parsers.text;

import dev.vmcase.model.Detail;
import dev.vmcase.model.Event;
import dev.vmcase.model.EventKind;
import dev.vmcase.model.MessageClass;
import dev.vmcase.parsers.EvidenceSink;
import dev.vmcase.parsers.Head;
import dev.vmcase.parsers.TextSource;
import dev.vmcase.parsers.ingest.ParserRegistry;
import dev.vmcase.parsers.qmp.QmpJsonParser;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lines that say what a load or a start was (the catalogue's loadvm/restore/save/start classes), read from real
 * public reports of the corpus: pasted virsh lines become events of their class, a QEMU message after a bare
 * {@code qemu:} is read inside libvirt's error, a {@code [prose omitted]} first line is no JSON array.
 */
class LoadAndStartLinesTest {
    private static final Path PUBLIC = Path.of("../sample-cases/public");

    private static List<Event> events(String file) throws IOException {
        TextSource src = TextSource.of(PUBLIC.resolve(file), file);
        EvidenceSink sink = EvidenceSink.forSource(src);
        ParserRegistry.detect(Head.of(Files.readString(PUBLIC.resolve(file)))).orElse(ParserRegistry.fallback())
                .parse(src, sink);
        return sink.events();
    }

    private static Event at(List<Event> events, int line) {
        return events.stream().filter(e -> e.source().line() == line).findFirst().orElseThrow(
                () -> new AssertionError("no event at line " + line + ": " + events));
    }

    /** https://bugs.launchpad.net/qemu/+bug/1785972: virsh managedsave, then a start that restores it (ppc64 QEMU). */
    @Test
    void aManagedsaveTranscriptSaysItSavedAndTheRestoreRejectionIsRead() throws IOException {
        List<Event> ev = events("mig-managedsave-spapr-cpu-after-unplug/evidence/description.txt");
        assertEquals(MessageClass.STATE_SAVED.value(), at(ev, 28).detail(Detail.MESSAGE_CLASS));
        assertEquals(MessageClass.START_FAILED.value(), at(ev, 33).detail(Detail.MESSAGE_CLASS));
        // '2018-…Z qemu: Unknown savevm section …' inside 'qemu unexpectedly closed the monitor: '
        Event rejected = at(ev, 34);
        assertEquals(EventKind.MIGRATION_LOAD_ERROR, rejected.kind());
        assertEquals("spapr_cpu", rejected.details().get("idstr"));
    }

    /** https://bugs.launchpad.net/qemu/+bug/1924738: virsh save and restore, libvirt's error in Russian. */
    @Test
    void virshSaveAndRestoreLinesCarryTheirFile() throws IOException {
        List<Event> ev = events("ctl-virsh-restore-balloon-state-localized/evidence/description.txt");
        assertEquals(MessageClass.STATE_SAVED.value(), at(ev, 4).detail(Detail.MESSAGE_CLASS));
        Event restore = at(ev, 7);
        assertEquals(MessageClass.RESTORE.value(), restore.detail(Detail.MESSAGE_CLASS));
        assertEquals("/var/lib/libvirt/qemu/save/linux2020.save", restore.detail(Detail.FILE));
    }

    /** https://bugs.launchpad.net/qemu/+bug/1259499: virsh snapshot-revert; -loadvm on the command line. */
    @Test
    void theSnapshotVerdictAndLoadvmAreRead() throws IOException {
        List<Event> ev = events("mig-snapshot-revert-short-root-bus-1-6/evidence/description.txt");
        assertEquals(MessageClass.LOADVM_FAILED.value(), at(ev, 6).detail(Detail.MESSAGE_CLASS));
        Event cmd = at(ev, 15);
        assertEquals(EventKind.QEMU_COMMAND_LINE, cmd.kind());
        assertEquals("wtb", cmd.detail(Detail.LOADVM));
    }

    /**
     * https://bugs.launchpad.net/qemu/+bug/1875139: a domain XML and domain log under a '[reporter's prose omitted]'
     * line, the log's -blockdev JSON quoting "node-name": no QMP JSON document; QEMU's refusal is a start error.
     */
    @Test
    void aBracketedProseLabelIsNoJsonArray() throws IOException {
        String file = "ctl-start-failure-readonly-lv-blockdev/evidence/comment-2.txt";
        assertFalse(new QmpJsonParser().recognizes(Head.of(Files.readString(PUBLIC.resolve(file)))));
        List<Event> ev = events(file);
        Event refused = at(ev, 113);
        assertEquals(MessageClass.START_ERROR.value(), refused.detail(Detail.MESSAGE_CLASS));
        assertEquals("blockdev", refused.detail(Detail.OPTION));
        assertTrue(ev.stream().anyMatch(e -> e.kind() == EventKind.LIBVIRT_SHUTDOWN && e.source().line() == 114));
    }
}

package dev.vmcase.parsers.knowledge;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The message catalogue is checked as lnav checks its formats: every entry's real samples match its pattern, each is
 * recognised by its own entry before any other of its component, no line is claimed by two entries, what each group
 * names is said, and no pattern takes more than linear time on a hostile line.
 */
class MessageCatalogueTest {
    private final MessageCatalogue catalogue = MessageCatalogue.get();

    @Test
    void everyEntryHasRealSamplesThatItsPatternMatches() {
        List<String> wrong = new ArrayList<>();
        for (Message m : catalogue.messages()) {
            if (m.samples().isEmpty()) {
                wrong.add(m.id() + ": no sample");
            }
            for (Message.Sample s : m.samples()) {
                if (m.find(s.line()) == null) {
                    wrong.add(m.id() + " does not match its sample: " + s.line());
                }
                if (!s.source().startsWith("https://") && !inRepository(s)) {
                    wrong.add(m.id() + ": a sample neither from a public address nor from a file of this repository "
                            + "holding it: " + s.source());
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    /** A sample the lab's real QEMU or libvirt wrote: its source is the repository's file that holds it verbatim. */
    private static boolean inRepository(Message.Sample s) {
        Path file = Path.of("..").resolve(s.source()).normalize();
        try {
            return !s.source().contains("..") && Files.isRegularFile(file) && Files.readString(file).contains(s.line());
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void eachSampleIsRecognisedByItsOwnEntryFirstAndClaimedOnce() {
        Map<String, String> owner = new HashMap<>();
        List<String> wrong = new ArrayList<>();
        for (Message m : catalogue.messages()) {
            // a known bug's signature is a narrower reading of a line some message entry also recognises: bugs are
            // told apart among bugs, messages among their component's messages
            List<Message> sameComponent = catalogue.ofComponent(m.component()).stream()
                    .filter(o -> (o.bug() == null) == (m.bug() == null)).toList();
            for (Message.Sample s : m.samples()) {
                String before = owner.put(s.line(), m.id());
                if (before != null) {
                    wrong.add(s.line() + " is a sample of both " + before + " and " + m.id());
                }
                MessageMatch first = MessageCatalogue.match(s.line(), sameComponent);
                if (first == null || !first.message().id().equals(m.id())) {
                    wrong.add(m.id() + "'s sample is recognised first by "
                            + (first == null ? "nothing" : first.message().id()) + ": " + s.line());
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void eachNeedleIsInItsPatternAndEveryGroupIsNamed() {
        List<String> wrong = new ArrayList<>();
        for (Message m : catalogue.messages()) {
            if (!m.pattern().pattern().replace("\\", "").contains(m.needle())) {
                wrong.add(m.id() + ": the needle '" + m.needle() + "' is not in the pattern");
            }
            for (String g : m.groups()) {
                if (!m.names().containsKey(g)) {
                    wrong.add(m.id() + ": the group " + g + " is not described in 'names'");
                }
            }
            for (String n : m.names().keySet()) {
                if (!m.groups().contains(n)) {
                    wrong.add(m.id() + ": 'names' describes " + n + ", which the pattern does not capture");
                }
            }
            if (m.versions().isBlank()) {
                wrong.add(m.id() + ": no versions");
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void knownBugsNameTheirPublicReportAndTheVersionsThatFixedThem() {
        List<Message> bugs = catalogue.bugs();
        assertTrue(bugs.size() >= 10, "known bugs: " + bugs.size());
        for (Message b : bugs) {
            assertTrue(b.bug().startsWith("https://"), b.id() + ": " + b.bug());
            assertTrue(b.fixedIn().matches(".*\\d+\\.\\d+.*"), b.id() + " names no version: " + b.fixedIn());
        }
        // a line of the same bug from another report than the entry's sample: QEMU issue 932's footer on a snapshot
        // load (https://gitlab.com/qemu-project/qemu/-/issues/932 is the bug; this line is from its own description)
        Message piix4 = catalogue.knownBug("qemu-system-x86_64: Missing section footer for 0000:00:01.3/piix4_pm");
        assertNotNull(piix4);
        assertEquals("https://gitlab.com/qemu-project/qemu/-/issues/932", piix4.bug());
        // another section's missing footer is no sign of it (https://bugs.launchpad.net/bugs/1739378)
        assertEquals(null, catalogue.knownBug("qemu-system-arm: Missing section footer for sd-card"));
    }

    @Test
    void aMatchCarriesTheEntryItsClassAndWhatItNames() {
        MessageMatch m = catalogue.match("2019-07-24T06:47:22.187771Z qemu-system-x86_64: error while loading state for "
                + "instance 0x0 of device '0000:00:05.0/virtio-balloon'");
        assertNotNull(m);
        assertEquals("qemu.load.device-state", m.message().id());
        assertEquals("0000:00:05.0/virtio-balloon", m.group("section"));
        assertEquals("load/device-state", m.details().get("message-class"));
        assertEquals("device-state", m.details().get("kind"));
        assertEquals(null, catalogue.match("2019-07-24T06:46:49Z qemu-system-x86_64: -chardev pty,id=charserial0: "
                + "char device redirected to /dev/pts/2 (label charserial0)"), "an informational line is no message");
    }

    @Test
    void noPatternTakesMoreThanLinearTimeOnAHostileLine() {
        // the shapes that make backtracking patterns blow up: long runs of one character, of the needle, of a
        // sample's own words, with the end that would complete a match missing
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (Message m : catalogue.messages()) {
                String s = m.samples().get(0).line();
                for (String hostile : List.of(" ".repeat(200_000), "a".repeat(200_000), ":".repeat(200_000),
                        m.needle().repeat(20_000), s.repeat(2_000), m.needle() + "x".repeat(200_000),
                        m.needle() + " ".repeat(200_000) + "'", s.substring(0, s.length() / 2).repeat(4_000))) {
                    m.find(hostile);
                }
            }
        });
    }

    @Test
    void aMalformedEntryStopsTheLoadNamingTheFileAndTheEntry() throws Exception {
        var bad = new ObjectMapper().readTree("""
                {"component": "qemu", "messages": [
                  {"id": "qemu.x", "class": "load/none", "needle": "x", "pattern": "x", "samples": []}]}""");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> MessageCatalogue.read(bad, "q.json"));
        assertTrue(e.getMessage().contains("q.json qemu.x"), e.getMessage());
        var broken = new ObjectMapper().readTree("""
                {"component": "qemu", "messages": [
                  {"id": "qemu.y", "class": "noise", "needle": "y", "pattern": "(y", "samples": []}]}""");
        assertThrows(IllegalStateException.class, () -> MessageCatalogue.read(broken, "q.json"));
        assertFalse(catalogue.messages().isEmpty());
    }
}

package dev.vmcase.samples;

import dev.vmcase.model.Finding;
import dev.vmcase.model.Severity;
import dev.vmcase.model.SourceRef;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The corpus check itself: what it accepts and each way it rejects. */
class CorpusCheckTest {
    private static final Path CASE = Path.of("/corpus/mig-x");

    private static Finding finding(String rule, List<String> devices, Map<String, String> details, String... lines) {
        List<SourceRef> refs = Stream.of(lines).map(l -> new SourceRef("sha", CASE + "/evidence/" + l.split(":")[0],
                Integer.parseInt(l.split(":")[1]), "")).toList();
        return new Finding(rule, Severity.ERROR, devices, refs, "k", List.of(), details);
    }

    private static CaseTruth truth(CaseTruth.Expected e, String... may) {
        return new CaseTruth(List.of("https://example.invalid"), "migration/x", null, List.of(e), Set.of(may), "n");
    }

    private static final CaseTruth.Expected EXPECTED = new CaseTruth.Expected("MIGRATION_STATE_MISMATCH",
            "device-state-rejected", null, "0000:00:05.0", 5, null, Map.of(), List.of("evidence/post-1.txt:4"));

    @Test
    void aFindingWithEveryExpectedFactAndCitePasses() {
        Finding f = finding("MIGRATION_STATE_MISMATCH", List.of("0000:00:05.0"),
                Map.of("slot", "5", "failure-class", "device-state-rejected"), "post-1.txt:4", "post-1.txt:5");
        assertEquals(List.of(), CorpusCheck.problems(CASE, truth(EXPECTED), List.of(f)));
    }

    @Test
    void aMissingRuleAWrongSlotAMissingCiteAndAWrongClassAreEachReported() {
        assertEquals(List.of("missing MIGRATION_STATE_MISMATCH"), CorpusCheck.problems(CASE, truth(EXPECTED), List.of()));
        Finding wrong = finding("MIGRATION_STATE_MISMATCH", List.of("0000:00:05.0"),
                Map.of("slot", "6", "failure-class", "unknown"), "post-1.txt:5");
        List<String> p = CorpusCheck.problems(CASE, truth(EXPECTED), List.of(wrong));
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).contains("slot 5 expected, got 6"), p.get(0));
        assertTrue(p.get(0).contains("failure-class device-state-rejected expected, got unknown"), p.get(0));
        assertTrue(p.get(0).contains("does not cite [evidence/post-1.txt:4]"), p.get(0));
    }

    @Test
    void aRuleInNeitherListMustNotFireButAMayFireRuleMay() {
        Finding ok = finding("MIGRATION_STATE_MISMATCH", List.of("0000:00:05.0"),
                Map.of("slot", "5", "failure-class", "device-state-rejected"), "post-1.txt:4");
        Finding extra = finding("MIGRATION_FAILED", List.of(), Map.of(), "post-1.txt:6");
        assertEquals(List.of("must not fire: MIGRATION_FAILED"),
                CorpusCheck.problems(CASE, truth(EXPECTED), List.of(ok, extra)));
        assertEquals(List.of(), CorpusCheck.problems(CASE, truth(EXPECTED, "MIGRATION_FAILED"), List.of(ok, extra)));
    }

    @Test
    void aDeviceIsNamedByTheDevicesListOrADetail() {
        CaseTruth.Expected byName = new CaseTruth.Expected("MIGRATION_STATE_MISMATCH", null, "virtio-disk1", null,
                null, null, Map.of(), List.of("evidence/post-1.txt:4"));
        Finding inDetails = finding("MIGRATION_STATE_MISMATCH", List.of(), Map.of("source-device", "virtio-disk1"),
                "post-1.txt:4");
        Finding elsewhere = finding("MIGRATION_STATE_MISMATCH", List.of("virtio-disk2"), Map.of(), "post-1.txt:4");
        assertEquals(List.of(), CorpusCheck.problems(CASE, truth(byName), List.of(inDetails)));
        assertEquals(1, CorpusCheck.problems(CASE, truth(byName), List.of(elsewhere)).size());
    }

    @Test
    void anOtherDetailMustHaveItsValue() {
        CaseTruth.Expected crash = new CaseTruth.Expected("QEMU_CRASHED", null, null, null, null, null,
                Map.of("during", "runtime"), List.of("evidence/post-1.txt:4"));
        Finding runtime = finding("QEMU_CRASHED", List.of(), Map.of("during", "runtime"), "post-1.txt:4");
        Finding migration = finding("QEMU_CRASHED", List.of(), Map.of("during", "migration"), "post-1.txt:4");
        assertEquals(List.of(), CorpusCheck.problems(CASE, truth(crash), List.of(runtime)));
        assertEquals(List.of("QEMU_CRASHED: during runtime expected, got migration"),
                CorpusCheck.problems(CASE, truth(crash), List.of(migration)));
    }
}

package dev.vmcase.analysis;

import dev.vmcase.analysis.devices.DeviceTable;
import dev.vmcase.analysis.rules.RuleOutcome;
import dev.vmcase.analysis.vms.Unattributed;
import dev.vmcase.analysis.vms.Vm;
import dev.vmcase.model.Artifact;
import dev.vmcase.model.Evidence;
import dev.vmcase.model.Finding;
import dev.vmcase.model.Severity;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A whole analysis: the evidence, every VM it names with its devices, findings and rule outcomes ({@link #vms()}), and
 * the evidence that belongs to no VM ({@link #unattributed()}).
 * <p>
 * {@link #devices()} is the {@linkplain #primary() primary} VM's devices (the one a single-VM view opens on);
 * {@link #findings()} is every VM's findings, each naming its VM ({@link Finding#vm()}). A view that shows one VM takes
 * {@code vm(key).asResult()}.
 *
 * @param evidence     everything read
 * @param devices      the primary VM's devices
 * @param findings     every VM's findings, VM by VM, rule by rule
 * @param vms          one result per VM, by key
 * @param unattributed evidence of no VM (kept out of every VM's rows)
 */
public record AnalysisResult(Evidence evidence, DeviceTable devices, List<Finding> findings, List<VmResult> vms,
                             List<Unattributed> unattributed) {
    public AnalysisResult {
        findings = List.copyOf(findings);
        vms = List.copyOf(vms);
        unattributed = List.copyOf(unattributed);
    }

    /** A result of evidence taken as one VM, with no rule outcomes: for callers that build one by hand. */
    public AnalysisResult(Evidence evidence, DeviceTable devices, List<Finding> findings) {
        this(evidence, devices, findings, List.of(new VmResult(Vm.unnamed(), evidence, devices, findings, List.of())),
                List.of());
    }

    /**
     * The VM to show first: the one with the most severe findings (then the most findings), else the first by key.
     */
    public VmResult primary() {
        return primaryOf(vms);
    }

    static VmResult primaryOf(List<VmResult> vms) {
        Comparator<VmResult> bySeverity = Comparator.comparing(v -> v.worst() == null ? -1 : v.worst().ordinal());
        return vms.stream().max(bySeverity.thenComparing(v -> v.findings().size())
                .thenComparing(Comparator.comparing((VmResult v) -> v.vm().key()).reversed())).orElseThrow();
    }

    /** The VM with this key, name or UUID. */
    public Optional<VmResult> vm(String keyNameOrUuid) {
        return vms.stream().filter(v -> v.vm().key().equals(keyNameOrUuid) || v.vm().isCalled(keyNameOrUuid))
                .findFirst();
    }

    /** Every rule outcome of every VM. */
    public List<RuleOutcome> outcomes() {
        return vms.stream().flatMap(v -> v.outcomes().stream()).toList();
    }

    /** Whether the evidence names more than one VM (a chooser is worth showing). */
    public boolean manyVms() {
        return vms.size() > 1;
    }

    /**
     * One VM of this analysis as a view shows it: its own evidence, devices and findings, with the evidence kept out of
     * every VM ({@link #unattributed()}), which no VM's rules read and which the view must still name, and the files
     * with problems (unreadable, binary, too big for the heap) that are in no VM's evidence, which the view must name
     * too: whatever they held is missing from every VM's checks.
     */
    public AnalysisResult shown(VmResult vm) {
        Set<String> inSomeVm = new HashSet<>();
        vms.forEach(v -> v.evidence().artifacts().forEach(a -> inSomeVm.add(a.path())));
        List<Artifact> artifacts = new ArrayList<>(vm.evidence().artifacts());
        evidence.artifacts().stream().filter(a -> !a.problems().isEmpty() && !inSomeVm.contains(a.path()))
                .forEach(artifacts::add);
        Evidence e = vm.evidence();
        Evidence shownEvidence = artifacts.size() == e.artifacts().size() ? e : new Evidence(artifacts, e.events(),
                e.qmp(), e.observations(), e.backtraces(), e.timeline(), e.coverage());
        return new AnalysisResult(shownEvidence, vm.devices(), vm.findings(), List.of(vm), unattributed);
    }

    /** Only one VM of this result, as if the evidence were its alone (what {@code analyze --vm} shows). */
    public AnalysisResult only(VmResult vm) {
        return new AnalysisResult(vm.evidence(), vm.devices(), vm.findings(), List.of(vm), List.of());
    }

    /** The most severe finding of all VMs, or null. */
    public Severity worst() {
        return findings.stream().map(Finding::severity).max(Enum::compareTo).orElse(null);
    }
}

package dev.vmcase.analysis;

import dev.vmcase.analysis.devices.DeviceTable;
import dev.vmcase.analysis.rules.RuleOutcome;
import dev.vmcase.analysis.vms.Vm;
import dev.vmcase.model.Evidence;
import dev.vmcase.model.Finding;
import dev.vmcase.model.Severity;

import java.util.List;

/**
 * One VM's analysis: its part of the evidence, its devices (keyed by side and id), its findings, and what each rule
 * concluded about it — fired, clear, or not checked and why.
 *
 * @param vm       the VM
 * @param evidence its part of the evidence ({@code VmIndex.slice})
 * @param devices  its devices; {@link DeviceTable#devices()} is the one count of them
 * @param findings its findings
 * @param outcomes per rule, in rule order
 */
public record VmResult(Vm vm, Evidence evidence, DeviceTable devices, List<Finding> findings,
                       List<RuleOutcome> outcomes) {
    public VmResult {
        findings = List.copyOf(findings);
        outcomes = List.copyOf(outcomes);
    }

    /** This VM alone as an analysis result: what a view showing one VM is given. */
    public AnalysisResult asResult() {
        return new AnalysisResult(evidence, devices, findings, List.of(this), List.of());
    }

    /** The most severe of its findings, or null. */
    public Severity worst() {
        return findings.stream().map(Finding::severity).max(Enum::compareTo).orElse(null);
    }

    /** The outcomes with a given status. */
    public List<RuleOutcome> outcomes(RuleOutcome.Status status) {
        return outcomes.stream().filter(o -> o.status() == status).toList();
    }
}

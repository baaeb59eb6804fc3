package dev.vmcase.analysis;

import dev.vmcase.analysis.devices.DeviceReconciler;
import dev.vmcase.analysis.devices.DeviceTable;
import dev.vmcase.analysis.rules.EvidenceKind;
import dev.vmcase.analysis.rules.Rule;
import dev.vmcase.analysis.rules.RuleContext;
import dev.vmcase.analysis.rules.RuleOutcome;
import dev.vmcase.analysis.rules.RuleRegistry;
import dev.vmcase.analysis.vms.Vm;
import dev.vmcase.analysis.vms.VmIndex;
import dev.vmcase.model.Evidence;
import dev.vmcase.model.Finding;
import dev.vmcase.model.Severity;
import dev.vmcase.parsers.ingest.Ingest;
import dev.vmcase.parsers.ProgressMonitor;
import dev.vmcase.parsers.time.HostClocks;
import dev.vmcase.parsers.time.LocalTimes;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Runs the whole analysis, VM by VM: which VM each piece of evidence speaks for ({@link VmIndex}), then for each VM
 * its devices and every rule, each rule's outcome (fired, clear, not checked) with it.
 */
public final class Analysis {
    public static final String INTERNAL_ERROR = "INTERNAL_ERROR";

    private Analysis() {
    }

    public static AnalysisResult of(List<Path> inputs, ProgressMonitor monitor) {
        return run(Ingest.load(inputs, monitor), RuleRegistry.all());
    }

    public static AnalysisResult run(Evidence evidence) {
        return run(evidence, RuleRegistry.all());
    }

    /**
     * Runs the rules, VM by VM. Lines in a host's local time are placed first with what the evidence says of the host's
     * zone ({@link LocalTimes}; callers with the user's zones resolve before, and what they placed stays).
     */
    public static AnalysisResult run(Evidence evidence, List<Rule> rules) {
        return run(evidence, rules, UnaryOperator.identity());
    }

    /**
     * As {@link #run(Evidence)}, with where each artifact path was handed over ({@link VmIndex#of(Evidence,
     * UnaryOperator)}): a saved case's files are no longer side by side where they were.
     */
    public static AnalysisResult run(Evidence evidence, UnaryOperator<String> place) {
        return run(evidence, RuleRegistry.all(), place);
    }

    public static AnalysisResult run(Evidence evidence, List<Rule> rules, UnaryOperator<String> place) {
        evidence = LocalTimes.resolve(evidence, HostClocks.NONE);
        VmIndex index = VmIndex.of(evidence, place);
        List<VmResult> vms = new ArrayList<>();
        List<Finding> all = new ArrayList<>();
        for (Vm vm : index.vms()) {
            VmResult r = analyse(vm, index.slice(vm), rules);
            vms.add(r);
            all.addAll(r.findings());
        }
        return new AnalysisResult(evidence, AnalysisResult.primaryOf(vms).devices(), all, vms, index.unattributed());
    }

    /** One VM: its devices, then each rule on its evidence. */
    static VmResult analyse(Vm vm, Evidence slice, List<Rule> rules) {
        DeviceTable devices = DeviceReconciler.reconcile(slice, vm.key());
        RuleContext ctx = new RuleContext(slice, devices);
        Set<EvidenceKind> present = EvidenceKind.present(slice);
        List<Finding> findings = new ArrayList<>();
        List<RuleOutcome> outcomes = new ArrayList<>();
        for (Rule rule : rules) {
            try {
                ctx.takeUndecided(); // a rule's doubts are its own
                List<Finding> fired = rule.evaluate(ctx);
                fired.forEach(f -> findings.add(f.withVm(vm.key())));
                outcomes.add(RuleOutcome.of(rule.id(), vm.key(), fired.size(), rule.needs().missing(present),
                        ctx.takeUndecided()));
            } catch (RuntimeException e) {
                // a broken rule is reported, and never hides the others; it checked nothing
                findings.add(new Finding(INTERNAL_ERROR, Severity.WARNING, List.of(), List.of(), "internal_error",
                        List.of(rule.id(), String.valueOf(e)), Map.of("rule", rule.id()), vm.key()));
                outcomes.add(new RuleOutcome(rule.id(), vm.key(), RuleOutcome.Status.NOT_CHECKED, 0, List.of()));
            }
        }
        return new VmResult(vm, slice, devices, Witness.mark(findings, slice), outcomes);
    }
}

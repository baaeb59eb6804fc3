package dev.vmcase.analysis;

import dev.vmcase.analysis.devices.DeviceReconciler;
import dev.vmcase.analysis.devices.DeviceTable;
import dev.vmcase.analysis.rules.Rule;
import dev.vmcase.analysis.rules.RuleContext;
import dev.vmcase.analysis.rules.RuleRegistry;
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

/** Runs the whole analysis: reconcile devices, evaluate every rule. */
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
     * Runs the rules. Lines in a host's local time are placed first with what the evidence says of the host's zone
     * ({@link LocalTimes}; callers with the user's zones resolve before, and what they placed stays).
     */
    public static AnalysisResult run(Evidence evidence, List<Rule> rules) {
        evidence = LocalTimes.resolve(evidence, HostClocks.NONE);
        DeviceTable devices = DeviceReconciler.reconcile(evidence);
        RuleContext ctx = new RuleContext(evidence, devices);
        List<Finding> findings = new ArrayList<>();
        for (Rule rule : rules) {
            try {
                findings.addAll(rule.evaluate(ctx));
            } catch (RuntimeException e) {
                // a broken rule is reported, and never hides the others
                findings.add(new Finding(INTERNAL_ERROR, Severity.WARNING, List.of(), List.of(), "internal_error",
                        List.of(rule.id(), String.valueOf(e)), Map.of("rule", rule.id())));
            }
        }
        return new AnalysisResult(evidence, devices, findings);
    }
}

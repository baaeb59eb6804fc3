package dev.vmcase.samples;

import dev.vmcase.model.Finding;
import dev.vmcase.model.SourceRef;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Compares the findings of one public corpus case with its {@link CaseTruth}: every must-fire finding present (rule,
 * and device / PCI address / slot / failure class / known bug / other details when the truth gives them, matched
 * against the finding's devices and details), citing every line the truth cites; no finding of a rule outside must-fire ∪
 * may-fire. The result is the list of what is wrong, empty when the case passes.
 */
final class CorpusCheck {
    private CorpusCheck() {
    }

    static List<String> problems(Path caseDir, CaseTruth truth, List<Finding> findings) {
        List<String> out = new ArrayList<>();
        for (CaseTruth.Expected e : truth.mustFire()) {
            List<Finding> sameRule = findings.stream().filter(f -> f.rule().equals(e.rule())).toList();
            if (sameRule.isEmpty()) {
                out.add("missing " + e.rule());
                continue;
            }
            if (sameRule.stream().anyMatch(f -> mismatches(caseDir, e, f).isEmpty())) {
                continue;
            }
            // name what the closest finding of that rule gets wrong, so the gap line can say it
            List<String> best = null;
            for (Finding f : sameRule) {
                List<String> m = mismatches(caseDir, e, f);
                if (best == null || m.size() < best.size()) {
                    best = m;
                }
            }
            out.add(e.rule() + ": " + String.join("; ", best));
        }
        Set<String> allowed = new LinkedHashSet<>(truth.mayFire());
        truth.mustFire().forEach(e -> allowed.add(e.rule()));
        Set<String> unexpected = new LinkedHashSet<>();
        for (Finding f : findings) {
            if (!allowed.contains(f.rule())) {
                unexpected.add(f.rule() + (f.devices().isEmpty() ? "" : " " + f.devices()));
            }
        }
        unexpected.forEach(u -> out.add("must not fire: " + u));
        return out;
    }

    /** What keeps finding {@code f} from being the expected one; empty when it is. */
    static List<String> mismatches(Path caseDir, CaseTruth.Expected e, Finding f) {
        List<String> out = new ArrayList<>();
        if (e.device() != null && !names(f, e.device())) {
            out.add("device " + e.device() + " not named (devices " + f.devices() + ")");
        }
        if (e.pci() != null && !names(f, e.pci())) {
            out.add("pci " + e.pci() + " not named (devices " + f.devices() + ", pci " + f.details().get("pci") + ")");
        }
        if (e.slot() != null && !String.valueOf(e.slot()).equals(f.details().get("slot"))) {
            out.add("slot " + e.slot() + " expected, got " + f.details().get("slot"));
        }
        if (e.failureClass() != null && !e.failureClass().equals(f.details().get("failure-class"))) {
            out.add("failure-class " + e.failureClass() + " expected, got " + f.details().get("failure-class"));
        }
        if (e.knownBug() != null && !e.knownBug().equals(f.details().get("known-bug"))) {
            out.add("known-bug " + e.knownBug() + " expected, got " + f.details().get("known-bug"));
        }
        e.details().forEach((k, v) -> {
            if (!v.equals(f.details().get(k))) {
                out.add(k + " " + v + " expected, got " + f.details().get(k));
            }
        });
        Set<String> cited = cited(caseDir, f);
        List<String> missing = e.cites().stream().filter(c -> !cited.contains(c)).toList();
        if (!missing.isEmpty()) {
            out.add("does not cite " + missing);
        }
        return out;
    }

    /** A finding names a device when its devices list holds it or one of its details says it. */
    private static boolean names(Finding f, String name) {
        return f.devices().contains(name) || f.details().values().stream().anyMatch(v -> Objects.equals(v, name));
    }

    /** The finding's evidence as {@code evidence/FILE:LINE}, relative to the case folder. */
    static Set<String> cited(Path caseDir, Finding f) {
        Set<String> out = new LinkedHashSet<>();
        Path base = caseDir.toAbsolutePath().normalize();
        for (SourceRef s : f.evidence()) {
            out.add(relative(base, s.path()) + ":" + s.line());
        }
        return out;
    }

    private static String relative(Path base, String path) {
        // an archive member's path is archive!/member: only the archive part is a file path
        int bang = path.indexOf('!');
        String file = bang < 0 ? path : path.substring(0, bang);
        String rest = bang < 0 ? "" : path.substring(bang);
        Path p = Path.of(file).toAbsolutePath().normalize();
        String rel = p.startsWith(base) ? base.relativize(p).toString() : file;
        return rel.replace('\\', '/') + rest;
    }
}

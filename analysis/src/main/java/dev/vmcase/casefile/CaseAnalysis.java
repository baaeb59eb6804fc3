package dev.vmcase.casefile;

import dev.vmcase.analysis.Analysis;
import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.parsers.ingest.Attribution;
import dev.vmcase.parsers.ingest.Ingest;
import dev.vmcase.parsers.ProgressMonitor;
import dev.vmcase.parsers.time.HostClocks;
import dev.vmcase.parsers.time.LocalTimes;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Analyses a case's evidence with the existing Analysis API and the case's host/role assignments. */
public final class CaseAnalysis {
    private CaseAnalysis() {
    }

    public static AnalysisResult run(CaseFile c, ProgressMonitor monitor) {
        List<Path> paths = new ArrayList<>();
        Attribution attribution = new Attribution();
        Map<String, String> names = new HashMap<>();
        for (CaseArtifact a : c.artifacts()) {
            Path p = c.pathOf(a).toAbsolutePath().normalize();
            paths.add(p);
            names.put(p.toString(), a.name());
            if (a.host() != null) {
                attribution.host(p + "=" + a.host());
            }
            if (a.role() != null) {
                attribution.role(p + "=" + a.role());
            }
        }
        // each file of a saved case has a folder of its own; which files were neighbours is in their original names
        return Analysis.run(LocalTimes.resolve(attribution.apply(Ingest.load(paths, monitor)),
                clocks(c.notes().timeZones())), path -> {
                    int bang = path.indexOf("!/");
                    String file = bang < 0 ? path : path.substring(0, bang);
                    String name = names.get(file);
                    return name == null ? path : bang < 0 ? name : name + path.substring(bang);
                });
    }

    /** The case's time zones; an entry that is not a zone (a hand-edited case) is left out, the others kept. */
    public static HostClocks clocks(Map<String, String> zones) {
        Map<String, String> ok = new LinkedHashMap<>();
        zones.forEach((host, spec) -> {
            try {
                new HostClocks(Map.of(host, spec));
                ok.put(host, spec);
            } catch (IllegalArgumentException e) {
                // ignored: the case still opens, and the host's lines say they are not on the timeline
            }
        });
        return new HostClocks(ok);
    }

    /**
     * The name to show for an evidence path of this case: an artifact's original name instead of where its bytes are
     * now (the working folder), also for members of an archive artifact ({@code name!/member}).
     */
    public static String displayName(CaseFile c, String path) {
        if (path == null) {
            return "";
        }
        for (CaseArtifact a : c.artifacts()) {
            String p = c.pathOf(a).toAbsolutePath().normalize().toString();
            if (path.equals(p)) {
                return a.name();
            }
            if (path.startsWith(p + "!/")) {
                return a.name() + path.substring(p.length());
            }
        }
        return path;
    }
}

package dev.vmcase.analysis.timeline;

import dev.vmcase.analysis.Analysis;
import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.model.Artifact;
import dev.vmcase.model.Evidence;
import dev.vmcase.model.Role;
import dev.vmcase.model.Timeline;
import dev.vmcase.parsers.domainlog.DomainLogParser;
import dev.vmcase.parsers.libvirt.LibvirtdLogParser;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Timeline-only evidence of a given size for benchmarks: per host a libvirtd debug log (most lines) and a QEMU
 * domain log, times spread over an hour in bursts, a level mix like a debug log's (mostly debug/info, a few warnings
 * and errors). No text: the timeline index holds none.
 */
public final class SyntheticEvidence {
    private SyntheticEvidence() {
    }

    public static AnalysisResult of(int events, int hosts, long seed) {
        Random rnd = new Random(seed);
        long start = 1_795_820_000_000_000L;
        long hour = 3_600_000_000L;
        List<Artifact> artifacts = new ArrayList<>();
        Timeline.Builder tb = new Timeline.Builder();
        int perArtifact = Math.max(1, events / (hosts * 2));
        int left = events;
        for (int h = 0; h < hosts; h++) {
            for (int k = 0; k < 2 && left > 0; k++) {
                boolean libvirt = k == 0;
                int n = (h == hosts - 1 && k == 1) ? left : Math.min(left, perArtifact);
                left -= n;
                String sha = String.format("%064x", (long) h * 2 + k + 1);
                artifacts.add(new Artifact(sha, "synthetic/host" + h + (libvirt ? "/libvirtd.log" : "/qemu.log"),
                        n * 120L, libvirt ? LibvirtdLogParser.FORMAT : DomainLogParser.FORMAT, "host" + h,
                        h == 0 ? Role.SOURCE : Role.DESTINATION, List.of()));
                Timeline.Segment s = new Timeline.Segment();
                long t = start + rnd.nextInt(1_000_000);
                double mean = (double) hour / n;
                for (int i = 0; i < n; i++) {
                    // bursts: most gaps tiny, a few long
                    double g = rnd.nextDouble() < 0.02 ? mean * 40 * rnd.nextDouble() : mean * 0.2 * rnd.nextDouble();
                    t += (long) g;
                    int r = rnd.nextInt(1000);
                    byte level = r < 2 ? Timeline.ERROR : r < 12 ? Timeline.WARNING : r < 400 ? Timeline.INFO
                            : Timeline.DEBUG;
                    s.add(i + 1, t, level);
                }
                tb.add(s.of(sha));
            }
        }
        Evidence e = new Evidence(artifacts, List.of(), List.of(), List.of(), List.of(), tb.build());
        return Analysis.run(e, List.of());
    }
}

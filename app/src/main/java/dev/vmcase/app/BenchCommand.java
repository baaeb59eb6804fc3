package dev.vmcase.app;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/** {@code vmcase bench ingest|bundle|grow-log|timeline|hostile|fleet|window}: commands that print figures, for closing notes and regressions. */
@Command(name = "bench", resourceBundle = "dev.vmcase.app.Cli", mixinStandardHelpOptions = true,
        subcommands = {BenchIngestCommand.class, BenchBundleCommand.class, GrowLogCommand.class,
                BenchTimelineCommand.class, BenchHostileCommand.class, BenchFleetCommand.class,
                BenchWindowCommand.class})
public final class BenchCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The sum of the heap pools' peak use since the JVM started (or since the peaks were reset). */
    static long peakHeap() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }

    static void resetPeaks() {
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

}

package dev.vmcase.parsers.ingest;

import java.nio.file.Path;
import java.util.Set;

/**
 * Limits for reading archives. A <em>bundle</em> is one archive given as input (a file or a file found in a given
 * directory) with everything nested in it.
 *
 * @param maxBundleBytes    most bytes all decompressors of one bundle may produce together (gz/xz/bz2 output and zip
 *                          member data, at every nesting level); past it the bundle gets a problem and reading it
 *                          stops, the members before are kept. Default 4 GiB.
 * @param maxRatio          most uncompressed bytes per compressed byte read from the bundle's file, checked once
 *                          {@code ratioFloorBytes} have been produced. Default 500 (sosreports are around 10:1; a gzip
 *                          cannot exceed about 1032:1, so gzip bombs are stopped by {@code maxBundleBytes}).
 * @param ratioFloorBytes   uncompressed bytes before the ratio is checked, so small, very repetitive files pass.
 *                          Default 32 MiB.
 * @param memoryBufferBytes a member up to this size is held in memory to be parsed; a bigger one is spooled to a
 *                          temporary file in {@code workDir}, deleted as soon as it is parsed. Default 1 MiB.
 * @param maxDepth          most nested layers (compression or archive) inside one input. Default 8.
 * @param workDir           where spooled members go; {@code null}: a fresh {@code vmcase-ingest-*} folder in the
 *                          system temporary directory, deleted after each bundle. Nothing is written elsewhere.
 * @param sosLogLimits      member sizes that mean sos cut the log at its size limit (default 25 MiB, sos's
 *                          {@code --log-size} default).
 */
public record IngestOptions(long maxBundleBytes, int maxRatio, long ratioFloorBytes, int memoryBufferBytes,
                            int maxDepth, Path workDir, Set<Long> sosLogLimits) {
    public static final long MIB = 1L << 20;
    public static final IngestOptions DEFAULTS =
            new IngestOptions(4L << 30, 500, 32 * MIB, (int) MIB, 8, null, Set.of(25 * MIB));

    public IngestOptions {
        if (maxBundleBytes <= 0 || maxRatio <= 0 || ratioFloorBytes < 0 || memoryBufferBytes < 0 || maxDepth < 1) {
            throw new IllegalArgumentException("ingest limits must be positive");
        }
        sosLogLimits = Set.copyOf(sosLogLimits);
    }

    public IngestOptions withMaxBundleBytes(long bytes) {
        return new IngestOptions(bytes, maxRatio, ratioFloorBytes, memoryBufferBytes, maxDepth, workDir, sosLogLimits);
    }

    public IngestOptions withMaxRatio(int ratio, long floorBytes) {
        return new IngestOptions(maxBundleBytes, ratio, floorBytes, memoryBufferBytes, maxDepth, workDir, sosLogLimits);
    }

    public IngestOptions withMemoryBufferBytes(int bytes) {
        return new IngestOptions(maxBundleBytes, maxRatio, ratioFloorBytes, bytes, maxDepth, workDir, sosLogLimits);
    }

    public IngestOptions withWorkDir(Path dir) {
        return new IngestOptions(maxBundleBytes, maxRatio, ratioFloorBytes, memoryBufferBytes, maxDepth, dir, sosLogLimits);
    }
}

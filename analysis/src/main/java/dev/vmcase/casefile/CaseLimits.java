package dev.vmcase.casefile;

/**
 * What an opened case may cost, since a case from a ticket may be hostile.
 *
 * @param maxEntries       zip entries
 * @param maxJsonBytes     bytes of each JSON document (after decompression, counted while reading)
 * @param maxArtifactBytes bytes of all evidence together (after decompression, counted while extracting)
 */
public record CaseLimits(int maxEntries, long maxJsonBytes, long maxArtifactBytes) {
    public static final CaseLimits DEFAULT = new CaseLimits(10_000, 32L << 20, 4L << 30);
}

package dev.vmcase.analysis.callchain;

/**
 * What the knowledge base says about one function.
 *
 * @param function    the function name as looked up (gdb suffixes such as {@code .isra.0} removed)
 * @param layer       the layer it belongs to
 * @param description one line on what it does
 * @param versionNote how it changed across QEMU versions, or null
 */
public record FrameKnowledge(String function, CallLayer layer, String description, String versionNote) {
}

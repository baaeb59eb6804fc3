package dev.vmcase.analysis.callchain;

/**
 * What the knowledge base says about one function.
 *
 * @param function    the function name as looked up (gdb suffixes such as {@code .isra.0} removed)
 * @param layer       the layer it belongs to
 * @param description one line on what it does
 * @param versionNote how it changed across QEMU versions, or null
 * @param versions    the QEMU versions a real frame of it was seen in ({@code 2.1.2}, {@code 4.2}, {@code 8.0-dev})
 */
public record FrameKnowledge(String function, CallLayer layer, String description, String versionNote,
                             java.util.List<String> versions) {
    public FrameKnowledge {
        versions = versions == null ? java.util.List.of() : java.util.List.copyOf(versions);
    }

    public FrameKnowledge(String function, CallLayer layer, String description, String versionNote) {
        this(function, layer, description, versionNote, java.util.List.of());
    }
}

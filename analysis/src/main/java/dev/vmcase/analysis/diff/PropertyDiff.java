package dev.vmcase.analysis.diff;

import dev.vmcase.model.SourceRef;

import java.util.List;

/**
 * One property of a device on both sides: {@code qdev drive = ""} against {@code drive-virtio-disk1}, a block
 * entry's {@code inserted = false}, a changed PCI address.
 *
 * @param name     {@code LAYER property} ({@code qdev drive}); without the layer when each side is one layer
 * @param left     the value on the left, or null when the left does not have it
 * @param right    the value on the right, or null
 * @param changed  whether the sides disagree (a value only one side has counts only where the other side looked at
 *                 that layer; between two different layers, only values both record and that differ)
 * @param leftEvidence  the lines the left value comes from
 * @param rightEvidence the lines the right value comes from
 */
public record PropertyDiff(String name, String left, String right, boolean changed,
                           List<SourceRef> leftEvidence, List<SourceRef> rightEvidence) {
    public PropertyDiff {
        leftEvidence = List.copyOf(leftEvidence);
        rightEvidence = List.copyOf(rightEvidence);
    }
}

package dev.vmcase.analysis.diff;

import java.util.List;
import java.util.Optional;

/**
 * The rows of one diff, in the left side's order, then what only the right side has.
 *
 * @param leftHasEvidence  whether the left side has any evidence at all
 * @param rightHasEvidence whether the right side has any (a single host's evidence has no destination: say "no
 *                         evidence of the destination", not "not here" on every row)
 */
public record DiffResult(DiffSpec left, DiffSpec right, List<DiffRow> rows, boolean leftHasEvidence,
                         boolean rightHasEvidence) {
    public DiffResult {
        rows = List.copyOf(rows);
    }

    public DiffResult(DiffSpec left, DiffSpec right, List<DiffRow> rows) {
        this(left, right, rows, true, true);
    }

    /** The "only differences" filter. */
    public List<DiffRow> differences() {
        return rows.stream().filter(DiffRow::different).toList();
    }

    public List<DiffRow> orphans() {
        return rows.stream().filter(DiffRow::isOrphan).toList();
    }

    /** The row of a device, by {@code DeviceRow.key()}, qdev id or PCI address. */
    public Optional<DiffRow> row(String key) {
        return rows.stream().filter(r -> r.key().equals(key)).findFirst()
                .or(() -> rows.stream().filter(r -> r.label().startsWith(key + " ") || r.label().equals(key)
                        || r.label().contains("(" + key + ")")).findFirst());
    }
}

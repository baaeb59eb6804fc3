package dev.vmcase.analysis.diff;

import java.util.List;
import java.util.Optional;

/** The rows of one diff, in the left side's order, then what only the right side has. */
public record DiffResult(DiffSpec left, DiffSpec right, List<DiffRow> rows) {
    public DiffResult {
        rows = List.copyOf(rows);
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

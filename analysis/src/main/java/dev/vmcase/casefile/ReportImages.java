package dev.vmcase.casefile;

import java.util.Optional;

/** Pictures for a report, as PNG bytes: the GUI passes snapshots of its views; the CLI has none yet. */
public interface ReportImages {
    ReportImages NONE = new ReportImages() {
        @Override
        public Optional<byte[]> timeline() {
            return Optional.empty();
        }

        @Override
        public Optional<byte[]> deviceDiff() {
            return Optional.empty();
        }
    };

    Optional<byte[]> timeline();

    Optional<byte[]> deviceDiff();
}

package dev.vmcase.views.notes;

import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.casefile.CaseAnalysis;
import dev.vmcase.casefile.CaseFile;
import dev.vmcase.casefile.Target;
import dev.vmcase.model.Artifact;
import dev.vmcase.model.Finding;
import dev.vmcase.views.LineRef;
import dev.vmcase.views.Selection;

import java.util.Optional;

/**
 * Joins note targets to the analysis on screen: names them for the user, and turns them into the shared
 * {@link Selection} (jump) and back (annotate what is selected).
 */
public final class TargetResolver {
    private final AnalysisResult result;
    private final CaseFile caseFile;

    /** {@code caseFile} may be null (evidence opened without a case): paths are then shown as they are. */
    public TargetResolver(AnalysisResult result, CaseFile caseFile) {
        this.result = result;
        this.caseFile = caseFile;
    }

    public static TargetResolver empty() {
        return new TargetResolver(null, null);
    }

    public Optional<Finding> finding(String id) {
        if (result == null) {
            return Optional.empty();
        }
        return result.findings().stream().filter(f -> f.id().equals(id)).findFirst();
    }

    /** {@code instance.log:9}, {@code device virtio-disk1}, {@code MIGRATION_FAILED 0000:00:06.0}. */
    public String describe(Target t) {
        return switch (t.kind()) {
            case LINE, FRAME -> {
                String name = t.artifact().substring(0, 12);
                if (result != null) {
                    for (Artifact a : result.evidence().artifacts()) {
                        if (a.sha256().equals(t.artifact())) {
                            String p = caseFile == null ? a.path() : CaseAnalysis.displayName(caseFile, a.path());
                            int slash = p.lastIndexOf('/');
                            name = slash >= 0 ? p.substring(slash + 1) : p;
                        }
                    }
                }
                yield (t.kind() == Target.Kind.FRAME ? NotesTexts.get("kind.frame") + " " : "") + name + ":" + t.line();
            }
            case DEVICE -> NotesTexts.get("kind.device") + " " + t.key();
            case FINDING -> finding(t.key()).map(f -> f.rule() + " " + String.join(", ", f.devices()))
                    .orElse(NotesTexts.get("kind.finding") + " " + t.key());
        };
    }

    /** Selects the target in every view (they centre what is selected). */
    public void select(Target t, Selection selection) {
        switch (t.kind()) {
            case LINE, FRAME -> selection.lineProperty().set(new LineRef(t.artifact(), t.line()));
            case DEVICE -> selection.deviceProperty().set(t.key());
            case FINDING -> finding(t.key()).ifPresent(f -> {
                selection.findingProperty().set(f);
                if (!f.evidence().isEmpty()) {
                    selection.lineProperty().set(LineRef.of(f.evidence().get(0)));
                }
            });
        }
    }

    /**
     * What is selected now, as a target: the line (a frame's line when {@code frame}), else the device, else the
     * finding; empty when nothing is.
     */
    public static Optional<Target> of(Selection s, boolean frame) {
        LineRef l = s.lineProperty().get();
        if (l != null) {
            return Optional.of(frame ? Target.frame(l.sha256(), l.line()) : Target.line(l.sha256(), l.line()));
        }
        if (s.deviceProperty().get() != null && !s.deviceProperty().get().isEmpty()) {
            return Optional.of(Target.device(s.deviceProperty().get()));
        }
        if (s.findingProperty().get() != null) {
            return Optional.of(Target.finding(s.findingProperty().get().id()));
        }
        return Optional.empty();
    }
}

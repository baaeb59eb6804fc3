package dev.vmcase.analysis.rules;

import dev.vmcase.model.Detail;
import dev.vmcase.model.Event;
import dev.vmcase.model.EventKind;
import dev.vmcase.model.Finding;
import dev.vmcase.model.MessageClass;
import dev.vmcase.model.Severity;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code DOMAIN_START_FAILED}: the domain never ran. QEMU refused its command line ({@code -blockdev …: The device is
 * not writable}, {@code -drive …: Could not open …}, an unsupported machine type: the catalogue's {@code start/error}
 * entries), libvirt said the start failed ({@code process exited while connecting to monitor},
 * {@code Failed to start domain}: {@code start/failed}), or libvirt's {@code shutting down, reason=failed} ends a
 * domain log in which nothing migrates or loads (no {@code -incoming}, no load error, no migration or restore line:
 * {@link StateLoads}). That is a failed start, never {@code MIGRATION_FAILED}.
 * <p>
 * A start that failed because a saved state could not be loaded is the load's failure ({@code SNAPSHOT_RESTORE_FAILED}
 * or the migration rules): this rule stays silent then.
 */
public final class DomainStartFailedRule implements Rule {
    public static final String ID = "DOMAIN_START_FAILED";

    @Override
    public String id() {
        return ID;
    }

    /** libvirt's domain log (its banner, QEMU's errors, its shutdown reason). */
    @Override
    public Needs needs() {
        return Needs.of(Need.anyOf("domain-log", EvidenceKind.DOMAIN_LOG));
    }

    @Override
    public List<Finding> evaluate(RuleContext ctx) {
        if (!StateLoads.loadFailures(ctx).isEmpty()) {
            return List.of();
        }
        boolean migratesOrLoads = StateLoads.anyMigrationOrLoad(ctx);
        List<Event> errors = new ArrayList<>();
        List<Event> stops = new ArrayList<>();
        for (Event e : ctx.evidence().events()) {
            if (StateLoads.hasClass(e, MessageClass.START_ERROR) || StateLoads.hasClass(e, MessageClass.START_FAILED)) {
                errors.add(e);
            } else if (e.kind() == EventKind.LIBVIRT_SHUTDOWN && "failed".equals(e.detail(Detail.REASON))) {
                stops.add(e);
            }
        }
        // a stop with reason=failed alone is a failed start only where nothing migrated or loaded
        if (errors.isEmpty() && (stops.isEmpty() || migratesOrLoads)) {
            return List.of();
        }
        Findings f = Findings.of(ID, Severity.ERROR);
        errors.forEach(e -> f.cite(e.source()));
        stops.forEach(e -> f.cite(e.source()));
        Event refused = errors.stream().filter(e -> e.detail(Detail.OPTION) != null).findFirst().orElse(null);
        if (refused != null) {
            f.detail("option", refused.detail(Detail.OPTION)).detail("error", refused.detail(Detail.ERROR));
            f.message("domain_start_failed_option", refused.detail(Detail.OPTION), refused.detail(Detail.ERROR));
        } else if (!errors.isEmpty()) {
            f.message("domain_start_failed", errors.get(0).message());
        } else {
            f.message("domain_start_failed_stopped", stops.get(0).message());
        }
        return List.of(f.build());
    }
}

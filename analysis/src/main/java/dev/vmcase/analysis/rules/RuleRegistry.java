package dev.vmcase.analysis.rules;

import java.util.List;

/** Every rule, in the order findings are reported. */
public final class RuleRegistry {
    private static final List<Rule> RULES = List.of(
            new BackendRemovedBeforeFrontendRule(),
            new UnackedUnplugRule(),
            new UnplugRejectedRule(),
            new OrphanedFrontendRule(),
            new StaleDeviceReferenceRule(),
            new MigrationStateMismatchRule(),
            new MigrationFailedRule(),
            new QemuCrashedRule(),
            new SnapshotRestoreFailedRule(),
            new DomainStartFailedRule());

    private RuleRegistry() {
    }

    public static List<Rule> all() {
        return RULES;
    }
}

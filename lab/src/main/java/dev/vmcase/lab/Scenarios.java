package dev.vmcase.lab;

import java.util.List;
import java.util.Optional;

/** Every scenario of {@code vmcase lab}, in the order {@code --list} shows them. */
public final class Scenarios {
    public static final List<Scenario> ALL = List.of(
            new OrphanedDiskScenario(), new OrphanedNicScenario(), new CleanUnplugScenario(),
            new OrphanedDiskQ35Scenario(),
            new CleanUnplugQ35Scenario(),
            new CleanUnplugPciehpScenario(),
            new LibvirtPendingUnplugScenario(), new LibvirtMigrationScenario(), new LibvirtFleetScenario(),
            new LibvirtProbeScenario());

    private Scenarios() {
    }

    public static Optional<Scenario> byName(String name) {
        return ALL.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}

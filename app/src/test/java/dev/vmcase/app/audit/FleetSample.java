package dev.vmcase.app.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** sample-cases/fleet-audit: three hosts' audits as the playbook fetched them from the lab's fleet (a real run). */
final class FleetSample {
    static final Path DIR = Path.of("../sample-cases/fleet-audit");
    static final Path HOSTS = DIR.resolve("hosts");

    private FleetSample() {
    }

    static List<Path> archives() throws IOException {
        try (Stream<Path> s = Files.list(HOSTS)) {
            return s.sorted().toList();
        }
    }

    /** One host's archive unpacked into {@code into}. */
    static Path host(String name, Path into) throws IOException {
        return FleetMerge.untar(HOSTS.resolve(name + ".tar.gz"), into);
    }

    /** The lab's record of what it did: {@code host domain state device slot} per line. */
    static List<String[]> truth() throws IOException {
        return Files.readAllLines(DIR.resolve("lab/fleet.txt")).stream().filter(l -> !l.startsWith("#"))
                .map(l -> l.split(" ")).toList();
    }
}

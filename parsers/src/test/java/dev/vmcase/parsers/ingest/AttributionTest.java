package dev.vmcase.parsers.ingest;

import dev.vmcase.model.Artifact;
import dev.vmcase.model.Evidence;
import dev.vmcase.model.Role;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AttributionTest {
    private static Artifact artifact(String path, String host, Role role) {
        return new Artifact("sha-" + path, path, 1, "qemu-domain-log", host, role, List.of());
    }

    private static Evidence evidence(Artifact... a) {
        return new Evidence(List.of(a), List.of(), List.of(), List.of(), List.of());
    }

    @Test
    void theMostSpecificPathWinsAndCoversFoldersAndArchiveMembers() {
        String base = Path.of("bundle").toAbsolutePath().toString();
        Evidence e = evidence(artifact(base + "/src/a.log", null, Role.UNKNOWN),
                artifact(base + "/src/dst.log", "from-content", Role.DESTINATION),
                artifact(base + "/cmp.tar.xz!/sosreport-x/var/log/libvirt/qemu/b.log", null, Role.UNKNOWN),
                artifact(base + "/srcfile.log", null, Role.UNKNOWN));
        Evidence out = new Attribution().host("bundle/src=cmp-17").host("bundle/src/dst.log=cmp-18")
                .role("bundle/src=source").role("bundle/cmp.tar.xz=destination").apply(e);
        assertEquals("cmp-17", out.artifacts().get(0).host());
        assertEquals(Role.SOURCE, out.artifacts().get(0).role());
        assertEquals("cmp-18", out.artifacts().get(1).host(), "the longer path wins");
        assertEquals(Role.SOURCE, out.artifacts().get(1).role(), "the user's word beats the content's");
        assertEquals(Role.DESTINATION, out.artifacts().get(2).role(), "an archive path covers its members");
        assertEquals(null, out.artifacts().get(3).host(), "bundle/src does not cover bundle/srcfile.log");
    }

    @Test
    void malformedRulesAreRefusedWithAMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Attribution().role("x=sideways"));
        assertTrue(e.getMessage().contains("'source' or 'destination'"));
        assertThrows(IllegalArgumentException.class, () -> new Attribution().host("no-equals-sign"));
        assertThrows(IllegalArgumentException.class, () -> new Attribution().host("path="));
    }
}

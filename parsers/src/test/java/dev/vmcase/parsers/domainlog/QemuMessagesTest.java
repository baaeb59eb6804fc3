package dev.vmcase.parsers.domainlog;

import dev.vmcase.model.EventKind;
import dev.vmcase.model.SourceRef;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Migration failure lines of every QEMU generation (the wordings of migration/savevm.c and migration/ram.c across releases). */
class QemuMessagesTest {
    private static final SourceRef REF = new SourceRef("0", "x.log", 1, "");

    private static QemuMessages.Classified classify(String line) {
        return QemuMessages.classifyMigration(line, REF).orElseThrow();
    }

    @Test
    void readsTheSeedsShortRootBusSection() {
        QemuMessages.Classified c = classify("Unknown savevm section or instance '0000:06.0/virtio-blk' 0");
        assertEquals(EventKind.MIGRATION_LOAD_ERROR, c.event().kind());
        assertEquals("0000:06.0/virtio-blk", c.event().details().get("idstr"));
        assertEquals("true", c.event().details().get("short-root-bus"));
        assertEquals("0000:00:06.0", c.observation().pci().toString());
        assertEquals("0000:00:06.0", c.observation().pciPath().orElseThrow().toString(), "the short root bus is bus 0");
        assertEquals("virtio-blk", c.observation().type());
    }

    @Test
    void readsTheModernSectionWithTimestampAndHint() {
        QemuMessages.Classified c = classify("2026-11-27T22:57:22.243843Z qemu-system-x86_64: Unknown savevm section or "
                + "instance '0000:00:07.0/virtio-blk' 0. Make sure that your current VM setup matches your saved VM setup, "
                + "including any hotplugged devices");
        assertEquals("0000:00:07.0", c.observation().pci().toString());
        assertNull(c.event().details().get("short-root-bus"));
        assertEquals("0", c.event().details().get("section-instance"));
    }

    @Test
    void readsTheFoldedTenTwoForm() {
        QemuMessages.Classified c = classify("qemu-system-x86_64: load of migration failed: Invalid argument: Unknown "
                + "section or instance '0000:00:0a.0/virtio-net' 0. Make sure that your current VM setup matches");
        assertEquals("0000:00:0a.0", c.observation().pci().toString());
        assertEquals("true", c.event().details().get("failed"));
    }

    @Test
    void mapsARamBlockToItsDevice() {
        QemuMessages.Classified c = classify("qemu-system-x86_64: Unknown ramblock \"0000:00:08.0/virtio-net-pci.rom\", cannot accept migration");
        assertEquals("virtio-net-pci", c.observation().type());
        assertEquals("0000:00:08.0", c.observation().pci().toString());
        assertEquals("ramblock", c.event().details().get("kind"));
    }

    @Test
    void aDeviceBehindABridgeKeepsItsWholePathAndNoRootBusAddress() {
        // minimega issue 847 (QEMU 2.5): the e1000 in slot 1 behind the bridge at 00:04.0
        QemuMessages.Classified c = classify("qemu-system-x86_64: Unknown ramblock \"0000:00:04.0:01.0/e1000.rom\", cannot accept migration");
        assertNull(c.observation().pci());
        assertEquals("0000:00:04.0:01.0", c.observation().pciPath().orElseThrow().toString());
        assertEquals("0000:00:04.0:01.0", c.event().details().get("pci-path"));
        assertEquals("0000:00:04.0", c.event().details().get("bridge"));
        assertNull(c.event().details().get("pci"), "the bridge's address is not the device's");
    }

    @Test
    void aDeviceBehindARootPortAsQemu72PrintsIt() {
        // captured by the lab (orphaned-disk-q35): the disk on the pcie-root-port at 00:07.0
        QemuMessages.Classified c = classify("2026-12-04T17:34:00.404426Z qemu-system-x86_64: Unknown savevm section or "
                + "instance '0000:00:07.0:00.0/virtio-blk' 0. Make sure that your current VM setup matches your saved VM "
                + "setup, including any hotplugged devices");
        assertEquals("0000:00:07.0:00.0", c.observation().pciPath().orElseThrow().toString());
        assertEquals("virtio-blk", c.observation().type());
        assertEquals("0000:00:07.0", c.event().details().get("bridge"));
    }


    @Test
    void readsDeviceStateErrorsWithAndWithoutTheOldPrefix() {
        assertEquals("0000:00:05.0/virtio-balloon", classify("2019-07-24T06:47:22.187771Z qemu-system-x86_64: error while "
                + "loading state for instance 0x0 of device '0000:00:05.0/virtio-balloon'").event().details().get("idstr"));
        assertEquals("0000:00:03.0/virtio-net", classify("qemu: warning: error while loading state for instance 0x0 of "
                + "device '0000:00:03.0/virtio-net'").event().details().get("idstr"));
        assertEquals("cpu", classify("2024-04-26T13:28:53Z qemu-system-x86_64: error while loading state for instance 0x1b of device 'cpu'")
                .event().details().get("idstr"));
    }

    @Test
    void readsTheFinalLineOfEveryGeneration() {
        assertEquals(EventKind.MIGRATION_LOAD_FAILED, classify("load of migration failed").event().kind());
        QemuMessages.Classified c = classify("2019-07-24T06:47:22.188194Z qemu-system-x86_64: load of migration failed: Operation not permitted");
        assertEquals("Operation not permitted", c.event().details().get("reason"));
    }

    @Test
    void theWordingsComeFromTheCatalogueAndTheEventNamesItsEntry() {
        // a wording no Java of vmcase spells: QEMU 7.x on aarch64 refusing an ACPI table's RAM block of another size
        // (https://lore.kernel.org/qemu-devel/1673954121-23942-1-git-send-email-loyou85@gmail.com/)
        QemuMessages.Classified c = classify("2023-01-17T02:32:56.058827Z qemu-system-aarch64: Length too large: "
                + "/rom@etc/acpi/rsdp: 0x10000 > 0x1000: Invalid argument");
        assertEquals(EventKind.MIGRATION_LOAD_ERROR, c.event().kind());
        assertEquals("qemu.load.ramblock-length-too-large", c.event().details().get("message"));
        assertEquals("load/ramblock-size", c.event().details().get("message-class"));
        assertNull(c.observation(), "a RAM block both sides have, of another size, is no device the destination lacks");
        // the stream-level wording under the old 'kvm' program name (https://bugs.launchpad.net/bugs/1706866)
        QemuMessages.Classified old = classify(" kvm: error while loading state section id 2(ram)");
        assertEquals("qemu.load.section-id", old.event().details().get("message"));
    }

    @Test
    void ordinaryLinesAreNoMigrationFailure() {
        assertTrue(QemuMessages.classifyMigration("char device redirected to /dev/pts/17 (label charserial1)", REF).isEmpty());
    }
}

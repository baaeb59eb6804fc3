package dev.vmcase.analysis.callchain;

import dev.vmcase.model.Frame;
import dev.vmcase.parsers.EvidenceSink;
import dev.vmcase.parsers.TextSource;
import dev.vmcase.parsers.gdb.BacktraceReader;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameHintsTest {
    private final FrameHints hints = new FrameHints();

    /** A frame as the gdb reader produces it from one line of the seed's backtrace. */
    private static Frame frame(String line) {
        EvidenceSink sink = EvidenceSink.forSource(TextSource.ofText("bt.txt", line));
        BacktraceReader reader = new BacktraceReader(sink);
        assertTrue(reader.accept(1, line), line);
        reader.finish();
        assertEquals(List.of(), sink.problems());
        return sink.backtraces().get(0).threads().get(0).frames().get(0);
    }

    private static FrameHint only(List<FrameHint> hs, String kind) {
        List<FrameHint> of = hs.stream().filter(h -> h.kind().equals(kind)).collect(Collectors.toList());
        assertEquals(1, of.size(), kind + " in " + hs);
        return of.get(0);
    }

    @Test
    void decodesKvmHandleIoPort44552AsTheEjectRegister() {
        List<FrameHint> hs = hints.hints(frame("#16 0x00007ffff7b3d5e5 in kvm_handle_io (port=44552, "
                + "data=0x7ffff7a3e000, direction=1, size=4, count=1) at /usr/local/src/qemu-2.1.2/kvm-all.c:1597"));
        FrameHint h = only(hs, FrameHint.IO_PORT);
        assertEquals(0xae08, h.ioPort());
        assertEquals("I/O port 0xae08: ACPI PCI hotplug eject (B0EJ)", h.text());
        assertNull(h.slot());
    }

    @Test
    void decodesAddressSpaceRwAddrInThePcihpBlock() {
        List<FrameHint> hs = hints.hints(frame("#15 0x00007ffff7aef749 in address_space_rw (as=0x7ffff833dc00, "
                + "addr=44552, buf=0x7ffff7a3e000 \" \", len=4, is_write=true) at /usr/local/src/qemu-2.1.2/exec.c:2077"));
        assertEquals(0xae08, only(hs, FrameHint.IO_PORT).ioPort());
        List<FrameHint> bsel = hints.hints(frame("#3  0x0000555555a6b2e1 in address_space_write "
                + "(as=0x55555678e7a0 <address_space_io>, addr=0xae10, attrs=..., buf=0x7ffff7fe5000, len=4) "
                + "at ../system/physmem.c:2938"));
        assertEquals("I/O port 0xae10: ACPI PCI hotplug bus select (BNUM)", only(bsel, FrameHint.IO_PORT).text());
    }

    @Test
    void namesEveryPcihpPortAndPrintsOtherPortsInHex() {
        assertEquals("I/O port 0xae00: ACPI PCI hotplug pending insert (PCIU)", portText(0xae00));
        assertEquals("I/O port 0xae04: ACPI PCI hotplug pending remove (PCID)", portText(0xae04));
        assertEquals("I/O port 0xae0c: ACPI PCI hotplug removable slots (PCI_RMV_BASE)", portText(0xae0c));
        assertEquals("I/O port 0xae14: ACPI PCI hotplug acpi-index (PIDX)", portText(0xae14));
        assertEquals("I/O port 0x1f0", portText(0x1f0));
        assertEquals(0x1f0, only(hints.hints(kvmHandleIo(0x1f0)), FrameHint.IO_PORT).ioPort());
    }

    private String portText(int port) {
        return only(hints.hints(kvmHandleIo(port)), FrameHint.IO_PORT).text();
    }

    private static Frame kvmHandleIo(int port) {
        return frame("#5  0x0000555555b8a6c2 in kvm_handle_io (port=" + port
                + ", attrs=..., data=0x7ffff7fe5000, direction=0, size=4, count=1) at ../accel/kvm/kvm-all.c:2633");
    }

    @Test
    void decodesEjectSlotBitmap32AsSlot5OnTheRootBus() {
        List<FrameHint> hs = hints.hints(frame("#9 0x00007ffff7cb0190 in acpi_pcihp_eject_slot (s=0x7ffff8bf7e18, "
                + "bsel=0, slots=32) at hw/acpi/pcihp.c:139"));
        FrameHint slot = only(hs, FrameHint.SLOT_BITMAP);
        assertEquals(5, slot.slot());
        assertEquals("slot bitmap 0x20: slot 5", slot.text());
        assertEquals("bus select (bsel) 0: the root bus pci.0", only(hs, FrameHint.BUS_SELECT).text());
    }

    @Test
    void decodesEntryValueSlotBitmap256AsSlot8() {
        FrameHint slot = only(hints.hints(frame("#2  0x0000555555a0c1f4 in acpi_pcihp_eject_slot "
                + "(s=0x555557a1c2d8, bsel=bsel@entry=1, slots=slots@entry=256) at ../hw/acpi/pcihp.c:230")),
                FrameHint.SLOT_BITMAP);
        // bsel 1 is a bridge's bus: slot 8 there is not root-bus slot 8
        assertNull(slot.slot());
        assertEquals("slot bitmap 0x100: slot 8 on the bus the bus select names, not the root bus", slot.text());
        FrameHint root = only(hints.hints(frame("#2  0x0000555555a0c1f4 in acpi_pcihp_eject_slot "
                + "(s=0x555557a1c2d8, bsel=bsel@entry=0, slots=slots@entry=256) at ../hw/acpi/pcihp.c:230")),
                FrameHint.SLOT_BITMAP);
        assertEquals(8, root.slot());
        assertEquals("slot bitmap 0x100: slot 8", root.text());
    }

    @Test
    void takesTheLowestSetBitAndNotesTheOthers() {
        FrameHint slot = only(hints.hints(frame("#2  0x0000555555a0c1f4 in acpi_pcihp_eject_slot "
                + "(s=0x555557a1c2d8, bsel=0, slots=0x60) at ../hw/acpi/pcihp.c:230")), FrameHint.SLOT_BITMAP);
        assertEquals(5, slot.slot());
        assertTrue(slot.text().startsWith("slot bitmap 0x60: slot 5 (lowest set bit"), slot.text());
        assertTrue(slot.text().endsWith("slots 6)"), slot.text());
    }

    @Test
    void decodesPcihpWriteOfData32ToOffset8AsEjectOfSlot5() {
        List<FrameHint> hs = hints.hints(frame("#10 0x00007ffff7cb087f in pci_write (opaque=0x7ffff8bf7e18, "
                + "addr=8, data=32, size=4) at hw/acpi/pcihp.c:277"));
        assertEquals("register offset 0x8: eject (PCI_EJ_BASE)", only(hs, FrameHint.REGISTER).text());
        assertEquals(5, only(hs, FrameHint.SLOT_BITMAP).slot());
    }

    @Test
    void givesNoSlotForOptimizedOutValues() {
        List<FrameHint> eject = hints.hints(frame("#2  0x0000555555a0c1f4 in acpi_pcihp_eject_slot "
                + "(s=0x555557a1c2d8, bsel=<optimized out>, slots=<optimized out>) at ../hw/acpi/pcihp.c:230"));
        assertEquals(List.of(), eject);
        List<FrameHint> write = hints.hints(frame("#1  0x0000555555a0c5a0 in pci_write (opaque=0x555557a1c2d8, "
                + "addr=8, data=<optimized out>, size=4) at ../hw/acpi/pcihp.c:488"));
        assertEquals(1, write.size(), write.toString());
        assertNull(write.get(0).slot());
        assertEquals(List.of(), hints.hints(frame("#16 0x00007ffff7b3d5e5 in kvm_handle_io (port=<optimized out>, "
                + "data=0x7ffff7a3e000, direction=1, size=4, count=1) at kvm-all.c:1597")));
    }

    @Test
    void ignoresPciWriteOfOtherFiles() {
        assertEquals(List.of(), hints.hints(frame("#4  0x0000555555912345 in pci_write (opaque=0x1, addr=8, "
                + "data=32, size=4) at ../hw/misc/some_other_device.c:77")));
    }

    @Test
    void rendersChineseTextsForTheChineseLocale() {
        List<FrameHint> hs = hints.hints(frame("#10 0x00007ffff7cb087f in pci_write (opaque=0x7ffff8bf7e18, "
                + "addr=8, data=32, size=4) at hw/acpi/pcihp.c:277"), Locale.SIMPLIFIED_CHINESE);
        assertEquals("寄存器偏移 0x8：弹出（PCI_EJ_BASE）", only(hs, FrameHint.REGISTER).text());
        assertEquals("插槽位图 0x20：插槽 5", only(hs, FrameHint.SLOT_BITMAP).text());
        FrameHint port = only(hints.hints(kvmHandleIo(44552), Locale.SIMPLIFIED_CHINESE), FrameHint.IO_PORT);
        assertEquals("I/O 端口 0xae08：ACPI PCI 热插拔弹出（B0EJ）", port.text());
        FrameKnowledge k = hints.lookup("release_drive", Locale.SIMPLIFIED_CHINESE);
        assertTrue(k.description().contains("块后端"), k.description());
    }

    @Test
    void rendersEnglishEvenWhenTheDefaultLocaleIsChinese() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.SIMPLIFIED_CHINESE);
            assertEquals("I/O port 0xae08: ACPI PCI hotplug eject (B0EJ)",
                    only(hints.hints(kvmHandleIo(44552)), FrameHint.IO_PORT).text());
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void knowsTheLayersOfTheSeedCallChain() {
        assertEquals(CallLayer.VCPU_EXIT, hints.lookup("kvm_handle_io").layer());
        assertEquals(CallLayer.MEMORY_DISPATCH, hints.lookup("memory_region_write_accessor").layer());
        assertEquals(CallLayer.ACPI_HOTPLUG, hints.lookup("acpi_pcihp_eject_slot").layer());
        assertEquals(CallLayer.QOM_QDEV, hints.lookup("device_unparent").layer());
        assertEquals(CallLayer.THREAD, hints.lookup("start_thread").layer());
        assertEquals(CallLayer.ACPI_HOTPLUG, hints.lookup("pci_write.isra.0").layer(), "GCC clone suffix");
        assertNull(hints.lookup("some_unknown_function"));
        assertTrue(hints.lookup("device_unparent").versionNote().contains("2.11"));
        assertTrue(hints.lookup("device_finalize").versionNote().contains("2.11"));
        assertTrue(hints.lookup("release_drive").versionNote().contains("2.1"));
        assertNull(hints.lookup("kvm_cpu_exec").versionNote());
    }

    @Test
    void everyKnownFunctionHasAnEnglishAndAChineseDescription() {
        CallChainKnowledge k = CallChainKnowledge.standard();
        for (String fn : List.of("kvm_handle_io", "kvm_cpu_exec", "qemu_kvm_cpu_thread_fn", "kvm_vcpu_thread_fn",
                "address_space_rw", "address_space_write", "io_mem_write", "memory_region_dispatch_write",
                "access_with_adjusted_size", "memory_region_write_accessor", "pci_write", "acpi_pcihp_eject_slot",
                "acpi_pcihp_device_unplug_cb", "acpi_pcihp_device_unplug_request_cb", "piix4_device_unplug_cb",
                "object_unparent", "device_unparent", "bus_unparent", "object_finalize", "object_unref",
                "object_property_del_all", "release_drive", "pci_qdev_unrealize", "virtio_blk_device_unrealize",
                "device_finalize", "qmp_device_del", "qdev_unplug", "hmp_drive_del", "do_drive_del",
                "blockdev_auto_del", "qmp_blockdev_del", "qemu_loadvm_state", "qemu_loadvm_section_start_full",
                "vmstate_load_state", "process_incoming_migration_co", "start_thread", "clone", "main_loop_wait",
                "qemu_main_loop")) {
            assertTrue(k.functions().contains(fn), fn);
        }
        for (String fn : k.functions()) {
            FrameKnowledge en = k.lookup(fn);
            FrameKnowledge zh = k.lookup(fn, Locale.SIMPLIFIED_CHINESE);
            assertNotNull(en.description(), "English description of " + fn);
            assertNotNull(zh.description(), "Chinese description of " + fn);
            assertTrue(zh.description().codePoints().anyMatch(c -> Character.UnicodeScript.of(c)
                    == Character.UnicodeScript.HAN), "Chinese text for " + fn + ": " + zh.description());
            assertEquals(en.versionNote() == null, zh.versionNote() == null, "version note of " + fn);
        }
        for (CallLayer l : CallLayer.values()) {
            assertTrue(!l.label(Locale.ROOT).startsWith("layer."), l.id());
        }
    }
}

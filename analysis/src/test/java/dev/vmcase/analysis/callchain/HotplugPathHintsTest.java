package dev.vmcase.analysis.callchain;

import dev.vmcase.model.Backtrace;
import dev.vmcase.model.BacktraceThread;
import dev.vmcase.model.Frame;
import dev.vmcase.analysis.Fixtures;
import dev.vmcase.parsers.EvidenceSink;
import dev.vmcase.parsers.gdb.BacktraceReader;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The I/O frames of every hotplug path, decoded from data (io-blocks.properties, io-decoders.properties): the real
 * QEMU 8.0-dev qtest eject (i440fx), q35's ICH9 block (its ports checked on a real QEMU 7.2 run, see
 * qemu-7.2-q35-acpi-eject-qtest.txt), native PCIe hotplug and SHPC (values from the PCIe Slot Control and SHPC
 * register layouts of QEMU's hw/pci/pcie.c and hw/pci/shpc.c).
 */
class HotplugPathHintsTest {
    private static final Path RES = Path.of("src/test/resources/dev/vmcase/analysis/callchain");
    private final FrameHints hints = FrameHints.standard();

    private static BacktraceThread thread(Path file) {
        List<Backtrace> bts = Fixtures.load(file).backtraces();
        return bts.get(0).threads().get(0);
    }

    private static Frame frame(List<Frame> frames, String fn) {
        return frames.stream().filter(f -> fn.equals(f.function())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + fn));
    }

    /** A thread of frames from gdb text, for the paths no public backtrace shows yet. */
    private static List<Frame> frames(String... lines) {
        EvidenceSink sink = new EvidenceSink("x", "x");
        BacktraceReader r = new BacktraceReader(sink);
        int n = 0;
        for (String l : lines) {
            r.accept(++n, l);
        }
        r.finish();
        return sink.backtraces().get(0).threads().get(0).frames();
    }

    private List<FrameHint> of(Frame f, List<Frame> thread) {
        return hints.hints(f, Locale.ROOT, thread);
    }

    private static FrameHint kind(List<FrameHint> hs, String kind) {
        return hs.stream().filter(h -> h.kind().equals(kind)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " in " + hs));
    }

    @Test
    void theRealQtestEjectDecodesAtEveryLayerToSlot6() {
        List<Frame> t = thread(RES.resolve("qemu-8.0-dev-eject-qtest.txt")).frames();
        FrameHint out = kind(of(frame(t, "cpu_outl"), t), FrameHint.IO_PORT);
        assertEquals("I/O port 0xae08: ACPI PCI hotplug eject (B0EJ)", out.text());
        FrameHint bitmap = kind(of(frame(t, "cpu_outl"), t), FrameHint.SLOT_BITMAP);
        assertEquals(6, bitmap.slot(), "val=64 → slot 6");
        assertEquals(0xae08, kind(of(frame(t, "address_space_write"), t), FrameHint.IO_PORT).ioPort());
        assertEquals(0xae08, kind(of(frame(t, "flatview_write"), t), FrameHint.IO_PORT).ioPort());
        List<FrameHint> cont = of(frame(t, "flatview_write_continue"), t);
        assertEquals("offset 0x8 of the region at 0xae00 (PIIX4 ACPI PCI hotplug block at 0xae00, i440fx): eject (PCI_EJ_BASE)",
                kind(cont, FrameHint.REGISTER).text());
        List<FrameHint> dispatch = of(frame(t, "memory_region_dispatch_write"), t);
        assertEquals(6, kind(dispatch, FrameHint.SLOT_BITMAP).slot(), "data=64 at offset 8 of the eject block");
        assertEquals(6, kind(of(frame(t, "pci_write"), t), FrameHint.SLOT_BITMAP).slot());
        assertEquals(6, kind(of(frame(t, "acpi_pcihp_eject_slot"), t), FrameHint.SLOT_BITMAP).slot());
        // without the thread, a region offset cannot be placed: no guess
        assertTrue(hints.hints(frame(t, "memory_region_dispatch_write"), Locale.ROOT).isEmpty());
    }

    @Test
    void q35sIch9BlockIsNamedAndItsSlotIsNotTakenForARootBusSlot() {
        // qtest's "outl 0xcc8 0x1" of the real q35 run reaches the device through cpu_outl, as qtest's outl does
        // in the 8.0-dev backtrace
        List<Frame> t = frames(
                "#0  memory_region_dispatch_write (mr=0x1, addr=8, data=1, op=MO_32, attrs=...) at ../softmmu/memory.c:1515",
                "#1  0x0000562b8da752a4 in flatview_write_continue (fv=0x2, addr=3272, attrs=..., ptr=0x3, len=4, addr1=8, l=4, mr=0x1) at ../softmmu/physmem.c:2826",
                "#2  0x0000562b8da757b7 in address_space_write (as=0x562b8e5f9f60 <address_space_io>, addr=3272, attrs=..., buf=0x3, len=4) at ../softmmu/physmem.c:2964",
                "#3  0x0000562b8da60ad9 in cpu_outl (addr=3272, val=1) at ../softmmu/ioport.c:80");
        FrameHint port = kind(of(t.get(3), t), FrameHint.IO_PORT);
        assertEquals("I/O port 0xcc8: ACPI PCI hotplug eject (B0EJ) (ICH9 ACPI PCI hotplug block at 0x0cc0, q35)", port.text());
        FrameHint slot = kind(of(t.get(3), t), FrameHint.SLOT_BITMAP);
        assertNull(slot.slot(), "slot 0 of a root port's bus is not root-bus slot 0 (the host bridge)");
        assertTrue(slot.text().startsWith("slot bitmap 0x1: slot 0 on the bus"), slot.text());
        assertNull(kind(of(t.get(0), t), FrameHint.SLOT_BITMAP).slot());
        assertTrue(kind(of(t.get(0), t), FrameHint.REGISTER).text().contains("ICH9"));
        List<Frame> sel = frames("#0  0x0000562b8da60ad9 in cpu_outl (addr=3280, val=0) at ../softmmu/ioport.c:80");
        assertTrue(kind(of(sel.get(0), sel), FrameHint.BUS_SELECT).text().contains("root port"));
    }

    @Test
    void aPcieSlotPoweredOffNamesThePortAndSaysQemuUnplugs() {
        // Linux pciehp powers a slot off with Power Controller Control set and the power indicator off
        // (PCI_EXP_SLTCTL_PCC | PCI_EXP_SLTCTL_PWR_IND_OFF, attention indicator off: 0x07c0 = 1984); the previous value
        // had both on (0x05c0 -> power indicator on, power on = 0x01c0 = 448). The port is 00:02.0, its Slot Control
        // at its PCIe capability + 0x18: CONFIG_ADDRESS 0x80001058.
        List<Frame> t = frames(
                "#0  pcie_cap_slot_write_config (dev=0x1, old_slt_ctl=448, old_slt_sta=64, addr=88, val=1984, len=2) at ../hw/pci/pcie.c:770",
                "#1  0x0000555555912345 in rp_write_config (d=0x1, address=88, val=1984, len=2) at ../hw/pci-bridge/pcie_root_port.c:42",
                "#2  0x0000555555912346 in pci_host_config_write_common (pci_dev=0x1, addr=88, limit=4096, val=1984, len=2) at ../hw/pci/pci_host.c:96",
                "#3  0x0000555555912347 in pci_data_write (s=0x2, addr=2147487832, val=1984, len=2) at ../hw/pci/pci_host.c:138");
        List<FrameHint> hs = of(t.get(0), t);
        FrameHint ctl = hs.stream().filter(h -> h.kind().equals(FrameHint.SLOT_CONTROL) && h.text().startsWith("Slot Control 0x7c0"))
                .findFirst().orElseThrow(() -> new AssertionError(hs.toString()));
        assertEquals("Slot Control 0x7c0: attention indicator off, power indicator off, power off — powers the slot of "
                + "the port at 00:02.0 off: QEMU unplugs the device behind it (pcie_cap_slot_do_unplug)", ctl.text());
        assertEquals(2, ctl.slot());
        assertTrue(hs.stream().anyMatch(h -> h.text().startsWith("Slot Control before the write 0x1c0")), hs.toString());
        FrameHint cfg = kind(of(t.get(3), t), FrameHint.CONFIG);
        assertEquals("configuration access to 00:02.0, register 0x58 (through CONFIG_ADDRESS)", cfg.text());
        // the same value again (a slot already off) unplugs nothing
        List<Frame> again = frames("#0  pcie_cap_slot_write_config (dev=0x1, old_slt_ctl=1984, old_slt_sta=0, addr=88, val=1984, len=2) at ../hw/pci/pcie.c:770");
        assertTrue(of(again.get(0), again).stream().noneMatch(h -> h.text().contains("unplugs")));
    }

    @Test
    void ecamAddressesDecodeToo() {
        List<Frame> t = frames("#0  pcie_mmcfg_data_write (s=0x1, mmcfg_addr=1114200, val=1984, len=2) at ../hw/pci/pcie_host.c:40");
        assertEquals("configuration access to 01:02.0, register 0x58 (through the PCIe ECAM window)",
                kind(of(t.get(0), t), FrameHint.CONFIG).text());
    }

    @Test
    void anShpcDisableCommandSaysWhichSlotIsEmptied() {
        // SHPC slot command: state disabled (3), power LED off (3 << 2), attention LED off (3 << 4) = 0x3f, to target
        // slot 2: a word write of 0x023f at SHPC_CMD_CODE (0x14)
        List<Frame> t = frames(
                "#0  shpc_slot_command (shpc=0x1, target=2, state=3, power=3, attn=3) at ../hw/pci/shpc.c:275",
                "#1  0x0000555555a1 in shpc_command (shpc=0x1) at ../hw/pci/shpc.c:312",
                "#2  0x0000555555a2 in shpc_write (d=0x2, addr=20, val=575, l=2) at ../hw/pci/shpc.c:370",
                "#3  0x0000555555a3 in shpc_free_devices_in_slot (shpc=0x1, slot=1) at ../hw/pci/shpc.c:250");
        List<FrameHint> write = of(t.get(2), t);
        assertEquals("SHPC register 0x14: command code (SHPC_CMD_CODE)", write.get(0).text());
        assertEquals("SHPC slot command 0x3f to slot 2: state disabled, power LED off, attention LED off — disables the "
                + "slot with its power LED off: QEMU removes its devices (shpc_free_devices_in_slot)", write.get(1).text());
        List<FrameHint> cmd = of(t.get(0), t);
        assertEquals(List.of("target slot 2 (logical number = PCI slot on the bridge's secondary bus)",
                "slot state: disabled", "LED: off", "LED: off"), cmd.stream().map(FrameHint::text).toList());
        assertEquals("slot index 1: PCI slot 2 behind the bridge", of(t.get(3), t).get(0).text());
    }

    @Test
    void chineseTextsForTheNewPaths() {
        List<Frame> t = frames("#0  0x0000562b8da60ad9 in cpu_outl (addr=3272, val=1) at ../softmmu/ioport.c:80");
        List<FrameHint> zh = hints.hints(t.get(0), Locale.SIMPLIFIED_CHINESE, t);
        assertTrue(zh.get(0).text().contains("ICH9 ACPI PCI 热插拔寄存器块"), zh.toString());
    }

    @Test
    void everyDecodedFunctionIsInTheKnowledgeBase() {
        for (String fn : hints.decodedFunctions()) {
            String name = fn.contains("@") ? fn.substring(0, fn.indexOf('@')) : fn;
            assertTrue(CallChainKnowledge.standard().functions().contains(name), name);
        }
    }
}

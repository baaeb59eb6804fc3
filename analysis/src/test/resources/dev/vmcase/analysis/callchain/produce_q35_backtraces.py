#!/usr/bin/env python3
"""Captures real gdb backtraces of QEMU's q35 unplug paths (see README.md in this folder, "q35").

Starts qemu-system-x86_64 -machine q35 (TCG, no guest OS) laid out as the lab's q35 scenarios lay it out (net0
behind the root port pci.1 at 00:01.0, virtio-disk0 behind pci.2 at 00:01.1, virtio-disk1 behind pci.3 at
00:SLOT.0), waits until the firmware numbered the ports' buses, attaches gdb -batch with breakpoints, sends
device_del virtio-disk1 and plays the guest over qtest as the lab does:
  acpi   ACPI PCI hotplug (QEMU's q35 default): outl 0xcd0 BSEL, inl 0xcc4 until a bus shows the pending slot,
         outl 0xcc8 BITS;
  pciehp native PCIe hotplug (-global ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off): slot control of the
         port (PCI Express capability at 0x54, slot control 0x6c): blink 0x2c0, power off 0x6c0, indicator off 0x7c0.
Each breakpoint prints gdb's "hit Breakpoint" line and `bt`. With a binary that has debug info the breakpoints are
acpi_pcihp_eject_slot / pcie_cap_slot_write_config (slot control writes only), pci_qdev_unrealize, release_drive and
qapi_event_send_device_deleted; with Debian's stripped binary (only exported symbols) hotplug_handler_unplug,
qdev_unrealize, pcie_cap_slot_write_config (4th argument, the register, 0x6c) and qapi_event_send_device_deleted.
Usage: produce_q35_backtraces.py --mode acpi|pciehp --out FILE [--qemu PATH] [--slot N] [--firmware DIR]
       [--netdev hubport,hubid=0]
"""
import argparse, json, os, socket, subprocess, tempfile, time

ap = argparse.ArgumentParser()
ap.add_argument("--mode", choices=["acpi", "pciehp"], required=True)
ap.add_argument("--out", required=True)
ap.add_argument("--qemu", default="qemu-system-x86_64")
ap.add_argument("--slot", type=int, default=3)
ap.add_argument("--firmware", action="append", default=[],
                help="-L DIR (repeatable): where a QEMU built from source finds its BIOS and option ROMs")
ap.add_argument("--netdev", default="user", help="net0's backend: user, or hubport,hubid=0 for a build without slirp")
args = ap.parse_args()
tmp = tempfile.mkdtemp()
for d in ["disk0", "disk1"]:
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", f"{tmp}/{d}.qcow2", "64M"], check=True)
debug = b".debug_info" in subprocess.run(["readelf", "-S", subprocess.run(["sh", "-c", f"command -v {args.qemu}"],
                                          capture_output=True, text=True).stdout.strip()], capture_output=True).stdout

argv = [args.qemu] + [a for d in args.firmware for a in ["-L", d]] + [
        "-name", "guest=instance-0000002a,debug-threads=on",
        "-machine", "q35,accel=tcg,usb=off,dump-guest-core=off", "-m", "128", "-nodefaults", "-display", "none"]
if args.mode == "pciehp":
    argv += ["-global", "ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off"]
argv += ["-qmp", f"unix:{tmp}/qmp.sock,server=on,wait=off", "-qtest", f"unix:{tmp}/qtest.sock,server=on,wait=off",
         "-device", "pcie-root-port,port=0x8,chassis=1,id=pci.1,bus=pcie.0,multifunction=on,addr=0x1",
         "-device", "pcie-root-port,port=0x9,chassis=2,id=pci.2,bus=pcie.0,addr=0x1.0x1",
         "-device", f"pcie-root-port,port=0xa,chassis=3,id=pci.3,bus=pcie.0,addr={hex(args.slot)}",
         "-drive", f"file={tmp}/disk0.qcow2,format=qcow2,if=none,id=drive-virtio-disk0",
         "-device", "virtio-blk-pci,bus=pci.2,addr=0x0,drive=drive-virtio-disk0,id=virtio-disk0",
         "-drive", f"file={tmp}/disk1.qcow2,format=qcow2,if=none,id=drive-virtio-disk1",
         "-device", "virtio-blk-pci,bus=pci.3,addr=0x0,drive=drive-virtio-disk1,id=virtio-disk1",
         "-netdev", f"{args.netdev},id=hostnet0",
         "-device", "virtio-net-pci,netdev=hostnet0,id=net0,mac=52:54:00:12:34:56,bus=pci.1,addr=0x0"]
qemu = subprocess.Popen(argv, stderr=subprocess.DEVNULL)


def connect(path):
    for _ in range(200):
        try:
            s = socket.socket(socket.AF_UNIX)
            s.connect(path)
            return s.makefile("rw")
        except OSError:
            time.sleep(0.05)
    raise SystemExit("no socket " + path)


qmp = connect(f"{tmp}/qmp.sock")
qmp.readline()


def cmd(name, **a):
    qmp.write(json.dumps({"execute": name, "arguments": a} if a else {"execute": name}) + "\n")
    qmp.flush()
    while True:
        r = json.loads(qmp.readline())
        if "event" not in r:
            return r


cmd("qmp_capabilities")
qt = connect(f"{tmp}/qtest.sock")


def guest(c):
    qt.write(c + "\n")
    qt.flush()
    while True:
        line = qt.readline().strip()
        if not line.startswith("IRQ"):
            return line


for _ in range(120):  # the firmware numbers the ports' buses
    ports = [d for b in cmd("query-pci")["return"] for d in b["devices"] if d.get("qdev_id", "").startswith("pci.")]
    if ports and all(d["pci_bridge"]["bus"]["secondary"] for d in ports):
        break
    time.sleep(0.25)

gdb = ["set pagination off", "set confirm off", "set print thread-events off", "set width 0", "set height 0"]
if debug:
    points = (["acpi_pcihp_eject_slot"] if args.mode == "acpi" else ["pcie_cap_slot_write_config if addr == 0x6c"]) \
        + ["pci_qdev_unrealize", "release_drive", "qapi_event_send_device_deleted"]
else:
    points = (["pcie_cap_slot_write_config if $rcx == 0x6c"] if args.mode == "pciehp" else []) \
        + ["hotplug_handler_unplug", "qdev_unrealize", "qapi_event_send_device_deleted"]
for p in points:
    gdb += [f"break {p}", "commands", "bt", "continue", "end"]
gdb += ["continue"]
with open(f"{tmp}/gdb.cmds", "w") as f:
    f.write("\n".join(gdb) + "\n")
out = open(args.out, "w")
g = subprocess.Popen(["gdb", "-batch", "-p", str(qemu.pid), "-x", f"{tmp}/gdb.cmds"], stdout=out,
                     stderr=subprocess.STDOUT)
time.sleep(8)  # gdb attached, breakpoints set, the process continued

cmd("device_del", id="virtio-disk1")
if args.mode == "acpi":
    for bsel in range(256):
        guest(f"outl 0xcd0 {bsel}")
        pending = int(guest("inl 0xcc4").split()[1], 16)
        if pending:
            guest(f"outl 0xcc8 {hex(pending)}")
            break
else:
    sel = 0x80000000 | args.slot << 11 | 0x6c
    for value in ["0x2c0", "0x6c0", "0x7c0"]:
        guest(f"outl 0xcf8 {hex(sel)}")
        guest(f"outw 0xcfc {value}")
time.sleep(6)
cmd("quit")
qemu.wait()
g.wait(timeout=60)

#!/usr/bin/env python3
"""Regenerates the real QEMU q35 fixtures in this folder (see README.md, "q35").

Runs qemu-system-x86_64 -machine q35 (TCG, no guest OS) laid out as libvirt lays out a q35 domain: root ports
pci.1 (00:02.0, multifunction) and pci.2 (00:02.1); a PCIe switch behind pci.1 (x3130 upstream port pci.3 at 00.0 of
pci.1's bus, xio3130 downstream port pci.4 at slot 0 of its bus); disks virtio-disk0 behind pci.2,
virtio-disk2 behind pci.4, and the victim virtio-disk1 behind its own root port pci.5 at 00:07.0. Dumps
info qtree / info pci / query-pci after device_del virtio-disk1 + drive_del drive-virtio-disk1 (no guest
acknowledges): with the firmware run; and the command line itself ("q35-command-line.txt") ("q35-run-…") and with -S ("q35-nofw-…", buses not numbered).
Usage: produce_q35_fixtures.py OUTDIR
"""
import json, os, shlex, socket, subprocess, sys, tempfile, time

out = sys.argv[1] if len(sys.argv) > 1 else "."
tmp = tempfile.mkdtemp()
for img in ["d0", "d1", "d2"]:
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", f"{tmp}/{img}.qcow2", "64M"], check=True)


def machine(firmware_runs):
    return (["qemu-system-x86_64", "-machine", "q35,accel=tcg", "-m", "128", "-nodefaults", "-display", "none"]
            + ([] if firmware_runs else ["-S"]) + [
        "-device", "pcie-root-port,port=0x10,chassis=1,id=pci.1,bus=pcie.0,multifunction=on,addr=0x2",
        "-device", "pcie-root-port,port=0x11,chassis=2,id=pci.2,bus=pcie.0,addr=0x2.0x1",
        "-device", "x3130-upstream,id=pci.3,bus=pci.1,addr=0x0",
        "-device", "xio3130-downstream,port=0x0,chassis=4,id=pci.4,bus=pci.3,addr=0x0",
        "-device", "pcie-root-port,port=0x12,chassis=5,id=pci.5,bus=pcie.0,addr=0x7",
        "-drive", f"file={tmp}/d0.qcow2,format=qcow2,if=none,id=drive-virtio-disk0",
        "-device", "virtio-blk-pci,bus=pci.2,addr=0x0,drive=drive-virtio-disk0,id=virtio-disk0",
        "-drive", f"file={tmp}/d2.qcow2,format=qcow2,if=none,id=drive-virtio-disk2",
        "-device", "virtio-blk-pci,bus=pci.4,addr=0x0,drive=drive-virtio-disk2,id=virtio-disk2",
        "-drive", f"file={tmp}/d1.qcow2,format=qcow2,if=none,id=drive-virtio-disk1",
        "-device", "virtio-blk-pci,bus=pci.5,addr=0x0,drive=drive-virtio-disk1,id=virtio-disk1"])


def session(prefix, firmware_runs):
    sock = f"{tmp}/qmp.sock"
    if os.path.exists(sock):
        os.unlink(sock)
    p = subprocess.Popen(machine(firmware_runs) + ["-qmp", f"unix:{sock},server=on,wait=off"])
    while not os.path.exists(sock):
        time.sleep(0.1)
    s = socket.socket(socket.AF_UNIX)
    s.connect(sock)
    f = s.makefile("rw")

    def cmd(name, **args):
        f.write(json.dumps({"execute": name, "arguments": args} if args else {"execute": name}) + "\n")
        f.flush()
        while True:
            line = f.readline()
            if "event" not in json.loads(line):
                return json.loads(line), line

    f.readline()
    cmd("qmp_capabilities")
    if firmware_runs:
        time.sleep(4)  # SeaBIOS numbers the buses behind the ports and assigns BARs
        cmd("stop")
    for c in ["device_del virtio-disk1", "drive_del drive-virtio-disk1"]:
        r, _ = cmd("human-monitor-command", **{"command-line": c})
        print(f"{c} -> {r['return']!r}")
    for hmp in ["info qtree", "info pci"]:
        r, _ = cmd("human-monitor-command", **{"command-line": hmp})
        with open(f"{out}/{prefix}-{hmp.replace(' ', '-')}.txt", "w", newline="") as o:
            o.write(r["return"].replace(tmp, "/tmp/vmcase"))
    _, line = cmd("query-pci")
    with open(f"{out}/{prefix}-query-pci.json", "w") as o:
        o.write(line)
    cmd("quit")
    p.wait()


with open(f"{out}/q35-command-line.txt", "w") as o:  # as libvirt up to 4.x logs it: one line
    o.write(" ".join(shlex.quote(a) for a in machine(True)).replace(tmp, "/tmp/vmcase") + "\n")
session("q35-run", True)
session("q35-nofw", False)

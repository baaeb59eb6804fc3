#!/usr/bin/env python3
"""Regenerates the real QEMU fixtures in this folder (see README.md).

Runs qemu-system-x86_64 (TCG, no guest OS) with one -drive virtio disk at slot 6, one -blockdev virtio
disk at slot 5, a virtio-net NIC at slot 3, a pci-bridge at slot 9 with a -drive virtio disk behind it and
an empty IDE cdrom; dumps HMP (through QMP human-monitor-command) and QMP outputs, then does
device_del virtio-disk1, drive_del drive-virtio-disk1, device_del net0, netdev_del hostnet0 (no guest
acknowledges the unplugs) and dumps again. Usage: produce_fixtures.py OUTDIR
"""
import json, os, re, socket, subprocess, sys, tempfile, time

out = sys.argv[1] if len(sys.argv) > 1 else "."
tmp = tempfile.mkdtemp()
for img in ["d", "e", "f"]:
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", f"{tmp}/{img}.qcow2", "64M"], check=True)

def machine(firmware_runs):
    return (["qemu-system-x86_64", "-machine", "pc,accel=tcg", "-m", "64", "-nodefaults", "-display", "none"]
            + ([] if firmware_runs else ["-S"]) + [
        "-drive", f"file={tmp}/d.qcow2,if=none,id=drive-virtio-disk1,format=qcow2",
        "-device", "virtio-blk-pci,drive=drive-virtio-disk1,id=virtio-disk1,addr=0x6",
        "-blockdev", json.dumps({"driver": "file", "filename": f"{tmp}/e.qcow2", "node-name": "libvirt-2-storage"}),
        "-blockdev", json.dumps({"driver": "qcow2", "file": "libvirt-2-storage", "node-name": "libvirt-2-format"}),
        "-device", "virtio-blk-pci,drive=libvirt-2-format,id=virtio-disk0,addr=0x5",
        "-netdev", "user,id=hostnet0",
        "-device", "virtio-net-pci,netdev=hostnet0,id=net0,addr=0x3",
        "-device", "pci-bridge,id=br0,chassis_nr=1,addr=0x9",
        "-drive", f"file={tmp}/f.qcow2,if=none,id=drive-virtio-disk2,format=qcow2",
        "-device", "virtio-blk-pci,drive=drive-virtio-disk2,id=virtio-disk2,bus=br0,addr=0x1",
        "-drive", "if=none,id=drive-ide0-1-0,media=cdrom",
        "-device", "ide-cd,bus=ide.1,unit=0,drive=drive-ide0-1-0,id=ide0-1-0"])

def qmp_session(prefix, firmware_runs):
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
        time.sleep(4)  # SeaBIOS enumerates PCI: bridge secondary bus, BARs and IRQs get assigned
        cmd("stop")

    def dump(tag):
        for hmp in ["info qtree", "info pci", "info block"]:
            r, _ = cmd("human-monitor-command", **{"command-line": hmp})
            with open(f"{out}/{prefix}-{tag}-{hmp.replace(' ', '-')}.txt", "w", newline="") as o:
                o.write(r["return"])
        for q in ["query-pci", "query-block", "query-named-block-nodes"]:
            _, line = cmd(q)
            with open(f"{out}/{prefix}-{tag}-{q}.json", "w") as o:
                o.write(line.replace(tmp, "/tmp/vmcase"))

    dump("before")
    for c in ["device_del virtio-disk1", "drive_del drive-virtio-disk1", "device_del net0",
              "netdev_del hostnet0", "drive_del drive-virtio-disk1"]:
        r, _ = cmd("human-monitor-command", **{"command-line": c})
        print(f"{c} -> {r['return']!r}")
    dump("after")
    cmd("quit")
    p.wait()

def render(raw):
    """What a terminal shows for HMP's readline echo (ESC[K erase, ESC[D cursor left): the last redraw."""
    lines = []
    for line in raw.split("\r\n"):
        if "\x1b[" in line:
            line = re.split(r"(?:\x1b\[D)+", line)[-1].replace("\x1b[K", "")
            line = "(qemu) " + line if not line.startswith("(qemu) ") else line
        lines.append(line)
    return "\r\n".join(lines)

def stdio_session(prefix, commands):
    """One file per command: the terminal transcript from its '(qemu) ' prompt line (the first also keeps
    the monitor banner) up to the next prompt."""
    p = subprocess.Popen(machine(False) + ["-monitor", "stdio"], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    for c in commands:
        p.stdin.write((c + "\n").encode())
        p.stdin.flush()
        time.sleep(1)
    p.stdin.write(b"quit\n")
    p.stdin.flush()
    lines = render(p.communicate()[0].decode()).replace(tmp, "/tmp/vmcase").split("\r\n")
    starts = [i for i, l in enumerate(lines) if l.startswith("(qemu) ")]
    for n, (a, b) in enumerate(zip(starts, starts[1:])):
        cmd = lines[a][len("(qemu) "):]
        with open(f"{out}/{prefix}-{cmd.replace(' ', '-').replace('-drive-virtio-disk1', '').replace('-virtio-disk1', '')}.txt",
                  "w", newline="") as o:
            o.write("\r\n".join(lines[0 if n == 0 else a:b]) + "\r\n")

KEEP = {"run-before-info-qtree.txt", "run-after-info-qtree.txt", "nofw-after-info-qtree.txt",
        "run-after-info-pci.txt", "run-before-info-block.txt", "run-after-info-block.txt",
        "run-after-query-pci.json", "nofw-after-query-pci.json", "run-before-query-block.json",
        "run-after-query-block.json", "run-before-query-named-block-nodes.json",
        "stdio-info-qtree.txt", "stdio-info-block--n.txt"}

qmp_session("run", True)
qmp_session("nofw", False)
stdio_session("stdio", ["info qtree", "info block -n", "device_del virtio-disk1", "drive_del drive-virtio-disk1"])
for fn in os.listdir(out):
    if fn.endswith(".txt") or fn.endswith(".json"):
        path = f"{out}/{fn}"
        if fn not in KEEP:
            os.unlink(path)
            continue
        with open(path, newline="") as i:
            text = i.read()
        with open(path, "w", newline="") as o:
            o.write(text.replace(tmp, "/tmp/vmcase"))

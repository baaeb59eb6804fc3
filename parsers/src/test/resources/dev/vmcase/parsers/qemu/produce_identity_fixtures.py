#!/usr/bin/env python3
"""Real QEMU output for the identity and coverage tests (qemu-system-x86_64, TCG, no guest OS).

  python3 produce_identity_fixtures.py OUTDIR

writes
  qmp-query-name-uuid.jsonl      the QMP wire transcript of qmp_capabilities, query-name, query-uuid
                                 (QEMU started with -name guest=vm-fixture -uuid 0b5c3a5e-...)
  stdio-info-block-one-device.txt  a -monitor stdio session's "info block drive-virtio-disk0" (one device asked for),
                                 readline's echo rendered as a terminal shows it (as stdio-info-qtree.txt)
Only the temporary image folder is rewritten to /tmp/vmcase, as produce_fixtures.py does.
"""
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

QEMU = "qemu-system-x86_64"
UUID = "0b5c3a5e-6d2f-4e8a-9c41-5f7e2d1a9b63"


def render(line):
    """A line as a terminal shows it: readline's echo redraws with ESC[K (erase to the end) and ESC[D (one left)."""
    screen, col, i = [], 0, 0
    while i < len(line):
        if line.startswith("\x1b[K", i):
            del screen[col:]
            i += 3
        elif line.startswith("\x1b[D", i):
            col = max(0, col - 1)
            i += 3
        else:
            if col < len(screen):
                screen[col] = line[i]
            else:
                screen.append(line[i])
            col += 1
            i += 1
    return "".join(screen)


def main(out):
    os.makedirs(out, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="vmcase-idfix-")
    try:
        img = os.path.join(tmp, "d.qcow2")
        subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", img, "16M"], check=True)
        sock = os.path.join(tmp, "qmp.sock")
        common = ["-name", "guest=vm-fixture", "-uuid", UUID, "-machine", "pc,accel=tcg", "-m", "64",
                  "-nodefaults", "-display", "none", "-S",
                  "-drive", "file=%s,format=qcow2,if=none,id=drive-virtio-disk0" % img,
                  "-device", "virtio-blk-pci,drive=drive-virtio-disk0,id=virtio-disk0,addr=0x5"]
        q = subprocess.Popen([QEMU] + common + ["-qmp", "unix:%s,server=on,wait=off" % sock])
        try:
            for _ in range(100):
                if os.path.exists(sock):
                    break
                time.sleep(0.05)
            s = socket.socket(socket.AF_UNIX)
            s.connect(sock)
            f = s.makefile("rw", encoding="utf-8", newline="\n")
            lines = [f.readline().rstrip("\n")]
            for i, cmd in enumerate(["qmp_capabilities", "query-name", "query-uuid"], 1):
                msg = json.dumps({"execute": cmd, "id": "fixture-%d" % i}, separators=(",", ":"))
                f.write(msg + "\n")
                f.flush()
                lines.append(msg)
                lines.append(f.readline().rstrip("\n"))
            with open(os.path.join(out, "qmp-query-name-uuid.jsonl"), "w", encoding="utf-8") as o:
                o.write("\n".join(lines) + "\n")
            f.write(json.dumps({"execute": "quit"}) + "\n")
            f.flush()
        finally:
            q.wait(timeout=10)
        h = subprocess.run([QEMU] + common + ["-monitor", "stdio"], input="info block drive-virtio-disk0\nquit\n",
                           capture_output=True, text=True, timeout=20)
        text = "\n".join(render(l) for l in h.stdout.replace(tmp, "/tmp/vmcase").split("\n"))
        with open(os.path.join(out, "stdio-info-block-one-device.txt"), "w", encoding="utf-8") as o:
            o.write(text)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")

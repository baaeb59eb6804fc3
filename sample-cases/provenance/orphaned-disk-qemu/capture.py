#!/usr/bin/env python3
"""Capture a real "orphaned device" migration failure from QEMU (TCG, no KVM).

--kind disk (default):
  * source QEMU with two virtio-blk disks (healthy one in slot 5, victim in
    --slot) and a virtio-net NIC in slot 3;
  * device_del of the victim (no guest OS, so it never completes) followed by
    HMP drive_del of its drive -> the device stays, its drive is gone;
  * destination QEMU started from the "new XML", i.e. without the victim disk,
    with -incoming defer;
  * migration source -> destination, which fails on the destination with
    "Unknown savevm section or instance '0000:00:NN.0/virtio-blk' 0".

--kind nic:
  * source QEMU with the same two virtio-blk disks (slots 5 and 6) and the
    victim virtio-net-pci NIC in --slot (default 3, id net0, netdev host<id>);
  * device_del of the NIC (never completes) followed by QMP netdev_del of its
    netdev -> the NIC stays, its backend is removed;
  * destination QEMU started without that NIC, -incoming defer;
  * migration source -> destination (the destination's stderr tells how it
    fails; see the README of the orphaned-nic-qemu case).

Every output file is written from what QEMU itself produced: its stderr, the
raw QMP wire traffic, HMP text returned by human-monitor-command, the
command line read from /proc/PID/cmdline and `qemu-system-x86_64 --version`.

stdout gets only a short summary; progress goes to stderr. Exit status: 0 when
the capture ran to the end (whatever the migration outcome), 1 when it could
not be done (QEMU failing to start, QMP error, time limit), 2 on bad options or
missing tools, 130 when interrupted. QEMU is never left running.

Usage: python3 capture.py [--kind disk|nic] [--slot N] [--id DEVICE_ID]
                          [--timeout SECONDS] [OUTDIR]
(python3 standard library only)
"""

import argparse
import ctypes
import json
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

QEMU = "qemu-system-x86_64"
QEMU_IMG = "qemu-img"

HEALTHY_SLOT = 5
NIC_SLOT = 3         # NIC net0 of the disk kind
DISK1_SLOT = 6       # second disk virtio-disk1 of the nic kind
NIC_MAC = "52:54:00:12:34:56"
# slot 0: i440FX host bridge, slot 1: PIIX3 (ISA/IDE/USB/ACPI) on the pc machine
RESERVED_SLOTS = {0: "i440FX host bridge", 1: "PIIX3 multifunction device",
                  NIC_SLOT: "virtio-net NIC net0",
                  HEALTHY_SLOT: "healthy disk virtio-disk0"}
NIC_KIND_RESERVED_SLOTS = {0: "i440FX host bridge", 1: "PIIX3 multifunction device",
                           HEALTHY_SLOT: "healthy disk virtio-disk0",
                           DISK1_SLOT: "disk virtio-disk1"}
# per kind: default victim slot and id, slots taken by the other devices,
# ids taken by the other devices
KINDS = {
    "disk": {"slot": 6, "id": "virtio-disk1", "reserved": RESERVED_SLOTS,
             "taken_ids": ("virtio-disk0", "net0")},
    "nic": {"slot": NIC_SLOT, "id": "net0", "reserved": NIC_KIND_RESERVED_SLOTS,
            "taken_ids": ("virtio-disk0", "virtio-disk1")},
}
# what QEMU accepts as a device / drive / netdev id (util/id.c: id_wellformed)
ID_RE = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*\Z")


def log(msg):
    print("[capture] " + msg, file=sys.stderr, flush=True)


class CaptureTimeout(Exception):
    pass


class QMPError(Exception):
    pass


class QMPClient:
    """Tiny QMP client that records the wire traffic verbatim.

    Each line sent and each line received is appended, as is (line terminator
    stripped), to the transcript file, in the order it crossed the socket.
    """

    def __init__(self, sock_path, transcript_path, name):
        self.name = name
        self.sock_path = sock_path
        self.transcript = open(transcript_path, "w", encoding="utf-8", newline="\n")
        self.lock = threading.Lock()
        self.responses = queue.Queue()
        self.events = []
        self.events_cv = threading.Condition()
        self.counter = 0
        self.closed = threading.Event()
        self.sock = None
        self.reader = None
        self.greeting = None

    def _record(self, line):
        with self.lock:
            if not self.transcript.closed:
                self.transcript.write(line + "\n")
                self.transcript.flush()

    def connect(self, proc, timeout=30.0):
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise QMPError("%s: QEMU exited (rc=%s) before QMP was reachable"
                               % (self.name, proc.returncode))
            try:
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.connect(self.sock_path)
                break
            except (FileNotFoundError, ConnectionRefusedError):
                s.close()
                if time.monotonic() > deadline:
                    raise QMPError("%s: QMP socket never came up" % self.name)
                time.sleep(0.05)
        self.sock = s
        self.rfile = s.makefile("rb")
        self.reader = threading.Thread(target=self._read_loop, daemon=True,
                                       name="qmp-reader-" + self.name)
        self.reader.start()
        self.greeting = self.responses.get(timeout=timeout)
        if "QMP" not in self.greeting:
            raise QMPError("%s: unexpected greeting %r" % (self.name, self.greeting))

    def _read_loop(self):
        try:
            while True:
                raw = self.rfile.readline()
                if not raw:
                    break
                line = raw.decode("utf-8").rstrip("\r\n")
                if not line:
                    continue
                self._record(line)
                try:
                    msg = json.loads(line, object_pairs_hook=dict)
                except ValueError:
                    continue
                if "event" in msg:
                    with self.events_cv:
                        self.events.append(msg)
                        self.events_cv.notify_all()
                else:
                    self.responses.put(msg)
        except OSError:
            pass
        finally:
            self.closed.set()
            self.responses.put(None)
            with self.events_cv:
                self.events_cv.notify_all()

    def cmd(self, execute, arguments=None, timeout=30.0, check=True):
        if self.closed.is_set():
            raise QMPError("%s: connection closed" % self.name)
        self.counter += 1
        cid = "vmcase-%d" % self.counter
        msg = {"execute": execute}
        if arguments is not None:
            msg["arguments"] = arguments
        msg["id"] = cid
        line = json.dumps(msg)
        self._record(line)
        self.sock.sendall(line.encode("utf-8") + b"\n")
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise QMPError("%s: timeout waiting for reply to %s" % (self.name, cid))
            try:
                resp = self.responses.get(timeout=left)
            except queue.Empty:
                continue
            if resp is None:
                raise QMPError("%s: connection closed while waiting for %s"
                               % (self.name, cid))
            if resp.get("id") == cid:
                break
        if check and "error" in resp:
            raise QMPError("%s: %s failed: %s" % (self.name, execute, resp["error"]))
        return resp

    def hmp(self, command_line, **kw):
        return self.cmd("human-monitor-command", {"command-line": command_line}, **kw)

    def wait_event(self, name, timeout, start_index=0):
        deadline = time.monotonic() + timeout
        with self.events_cv:
            while True:
                for ev in self.events[start_index:]:
                    if ev.get("event") == name:
                        return ev
                left = deadline - time.monotonic()
                if left <= 0 or self.closed.is_set():
                    return None
                self.events_cv.wait(left)

    def close(self):
        try:
            if self.sock is not None:
                self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        if self.reader is not None:
            self.reader.join(timeout=5)
        try:
            if self.sock is not None:
                self.sock.close()
        except OSError:
            pass
        with self.lock:
            if not self.transcript.closed:
                self.transcript.close()


try:  # resolved in the parent: the forked child must not call dlopen()
    _prctl = ctypes.CDLL(None, use_errno=True).prctl
except (OSError, AttributeError):
    _prctl = None


def _child_setup():
    """Runs in the forked child before exec: if capture.py dies, even by
    SIGKILL, the kernel sends SIGTERM to its QEMU (PR_SET_PDEATHSIG)."""
    if _prctl is not None:
        _prctl(1, int(signal.SIGTERM), 0, 0, 0)  # 1 == PR_SET_PDEATHSIG


def read_cmdline(pid):
    with open("/proc/%d/cmdline" % pid, "rb") as f:
        data = f.read()
    return " ".join(a.decode("utf-8", "replace") for a in data.rstrip(b"\0").split(b"\0"))


def write_text(path, text):
    # newline="" keeps QEMU's own line endings (HMP text uses \r\n).
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)


def write_pretty(path, resp):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(json.dumps(resp, indent=2) + "\n")


# The guest's name (-name guest=), the same on the source and the destination: a migration moves one VM.
GUEST = "vm-orphan"


def image_name(dev_id):
    if dev_id.startswith("virtio-"):
        return dev_id[len("virtio-"):] + ".qcow2"
    return dev_id + ".qcow2"


def qemu_argv(name, qmp_sock, disks, nics=(("net0", NIC_SLOT),), incoming=None):
    """disks: list of (image_path, dev_id, slot); nics: list of (dev_id, slot),
    each NIC's netdev is host<dev_id> (libvirt's naming)"""
    argv = [QEMU, "-name", "guest=" + name, "-machine", "pc,accel=tcg",
            "-m", "128", "-nodefaults", "-display", "none",
            "-msg", "timestamp=on",
            "-qmp", "unix:%s,server=on,wait=off" % qmp_sock]
    for image, dev_id, slot in disks:
        drive = "drive-" + dev_id
        argv += ["-drive", "file=%s,format=qcow2,if=none,id=%s" % (image, drive),
                 "-device", "virtio-blk-pci,scsi=off,bus=pci.0,addr=0x%x,drive=%s,id=%s"
                 % (slot, drive, dev_id)]
    for dev_id, slot in nics:
        netdev = "host" + dev_id
        argv += ["-netdev", "user,id=%s" % netdev,
                 "-device", "virtio-net-pci,netdev=%s,id=%s,"
                            "mac=%s,bus=pci.0,addr=0x%x" % (netdev, dev_id, NIC_MAC, slot)]
    if incoming:
        argv += ["-incoming", incoming]
    return argv


def short(resp):
    """The interesting part of a QMP response, as compact JSON."""
    if resp is None:
        return "(no reply)"
    return json.dumps({k: v for k, v in resp.items() if k != "id"})


class Capture:
    def __init__(self, outdir, slot, victim_id, kind="disk"):
        self.outdir = outdir
        self.kind = kind
        self.slot = slot
        self.victim = victim_id
        self.victim_drive = "drive-" + victim_id
        self.victim_netdev = "host" + victim_id
        self.procs = {}      # name -> Popen
        self.clients = {}    # name -> QMPClient
        self.logs = []
        self.tmp = None
        self.facts = {}      # for the stdout summary

    def out(self, name):
        return os.path.join(self.outdir, name)

    def start_qemu(self, role, argv):
        stderr = open(self.out("%s-qemu.log" % role), "wb")
        stdout_path = os.path.join(self.tmp, "%s-stdout" % role)
        stdout = open(stdout_path, "wb")
        self.logs += [stderr, stdout]
        log("starting %s: %s" % (role, " ".join(argv)))
        # own session: a terminal Ctrl+C reaches only capture.py, which then
        # shuts QEMU down itself (so QEMU's log is not polluted by the signal)
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=stdout,
                                stderr=stderr, cwd=self.tmp,
                                start_new_session=True, preexec_fn=_child_setup)
        self.procs[role] = proc
        # wait until QEMU has exec'd (cmdline is the QEMU one)
        deadline = time.monotonic() + 10
        while True:
            try:
                cmdline = read_cmdline(proc.pid)
            except (FileNotFoundError, ProcessLookupError):
                cmdline = ""
            if cmdline.startswith(QEMU) or proc.poll() is not None \
                    or time.monotonic() > deadline:
                break
            time.sleep(0.02)
        if cmdline:
            with open(self.out("%s-cmdline.txt" % role), "w", encoding="utf-8") as f:
                f.write(cmdline + "\n")
        return proc

    def connect(self, role, sock):
        c = QMPClient(sock, self.out("%s-qmp.jsonl" % role), role)
        self.clients[role] = c
        c.connect(self.procs[role])
        c.cmd("qmp_capabilities")
        return c

    OUTPUTS = ["qemu-version.txt"] + [
        "%s-%s" % (role, suffix) for role in ("source", "destination")
        for suffix in ("qemu.log", "qemu.stdout.log", "cmdline.txt", "qmp.jsonl")] + [
        "source-info-qtree.txt", "source-info-pci.txt", "source-info-block.txt",
        "source-info-network.txt",
        "source-query-pci.json", "source-query-block.json"]

    def run(self):
        os.makedirs(self.outdir, exist_ok=True)
        for name in self.OUTPUTS:  # never mix files from two runs
            if os.path.exists(self.out(name)):
                os.remove(self.out(name))
        self.tmp = tempfile.mkdtemp(prefix="vmcase-orphan-")
        ver = subprocess.run([QEMU, "--version"], check=True,
                             capture_output=True, text=True).stdout
        with open(self.out("qemu-version.txt"), "w", encoding="utf-8") as f:
            f.write(ver)
        self.facts["version"] = ver.splitlines()[0] if ver else "?"

        disk0 = os.path.join(self.tmp, "disk0.qcow2")
        if self.kind == "disk":
            disk1_id, disk1_slot = self.victim, self.slot
        else:
            disk1_id, disk1_slot = "virtio-disk1", DISK1_SLOT
        disk1 = os.path.join(self.tmp, image_name(disk1_id))
        for img in (disk0, disk1):
            subprocess.run([QEMU_IMG, "create", "-q", "-f", "qcow2", img, "64M"],
                           check=True, capture_output=True)

        src_sock = os.path.join(self.tmp, "src-qmp.sock")
        dst_sock = os.path.join(self.tmp, "dst-qmp.sock")
        mig_sock = os.path.join(self.tmp, "migrate.sock")
        healthy = (disk0, "virtio-disk0", HEALTHY_SLOT)
        second = (disk1, disk1_id, disk1_slot)
        # one guest on both sides, as libvirt and nova start a migration's destination: under the domain's own name
        if self.kind == "disk":
            # the destination is the "new XML": no victim disk
            src_argv = qemu_argv(GUEST, src_sock, [healthy, second])
            dst_argv = qemu_argv(GUEST, dst_sock, [healthy], incoming="defer")
        else:
            # the destination is the "new XML": no victim NIC
            nic = (self.victim, self.slot)
            src_argv = qemu_argv(GUEST, src_sock, [healthy, second], nics=[nic])
            dst_argv = qemu_argv(GUEST, dst_sock, [healthy, second], nics=[],
                                 incoming="defer")

        # ---- source -------------------------------------------------------
        self.start_qemu("source", src_argv)
        src = self.connect("source", src_sock)
        src.cmd("query-pci")
        src.cmd("query-block")
        if self.kind == "nic":
            src.hmp("info network")  # before the unplug (transcript only)
        n_ev = len(src.events)
        r = src.cmd("device_del", {"id": self.victim})
        self.facts["device_del"] = short(r)
        ev = src.wait_event("DEVICE_DELETED", 2.0, n_ev)
        time.sleep(0.5)  # keep reading events a little longer
        ev = ev or src.wait_event("DEVICE_DELETED", 0, n_ev)
        self.facts["device_deleted"] = "yes" if ev else "no"
        log("DEVICE_DELETED after device_del: %s" % ("yes" if ev else "no"))
        if self.kind == "disk":
            r = src.hmp("drive_del " + self.victim_drive)
            log("drive_del returned %r" % r.get("return"))
            self.facts["backend_del"] = "HMP drive_del %s -> %s" % (
                self.victim_drive, short(r))
        else:
            # whatever QEMU answers (success or error) is part of the evidence
            r = src.cmd("netdev_del", {"id": self.victim_netdev}, check=False)
            log("netdev_del returned %s" % short(r))
            self.facts["backend_del"] = "netdev_del %s -> %s" % (
                self.victim_netdev, short(r))
        write_pretty(self.out("source-query-pci.json"), src.cmd("query-pci"))
        write_pretty(self.out("source-query-block.json"), src.cmd("query-block"))
        src.cmd("query-named-block-nodes")
        infos = ("qtree", "pci", "block") + (("network",) if self.kind == "nic" else ())
        for what in infos:
            r = src.hmp("info " + what)
            write_text(self.out("source-info-%s.txt" % what), r["return"])

        # ---- destination --------------------------------------------------
        self.start_qemu("destination", dst_argv)
        dst = self.connect("destination", dst_sock)
        dst.cmd("migrate-set-capabilities",
                {"capabilities": [{"capability": "events", "state": True}]})
        dst.cmd("migrate-incoming", {"uri": "unix:" + mig_sock})

        # ---- migrate -------------------------------------------------------
        src.cmd("migrate-set-capabilities",
                {"capabilities": [{"capability": "events", "state": True}]})
        src.cmd("migrate", {"uri": "unix:" + mig_sock})
        status = None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            status = src.cmd("query-migrate")["return"].get("status")
            if status in ("failed", "completed", "cancelled"):
                break
            time.sleep(0.5)
        log("source migration status: %s" % status)

        # let the destination finish reporting (it exits on load failure)
        dproc = self.procs["destination"]
        try:
            dproc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        log("destination QEMU %s" % ("exited rc=%s" % dproc.returncode
                                     if dproc.returncode is not None else "still running"))
        self.facts["destination_rc"] = dproc.returncode

        time.sleep(1.0)
        self.facts["run_state"] = src.cmd("query-status")["return"].get("status")
        final = src.cmd("query-migrate")["return"]
        self.facts["migration"] = final.get("status")
        if final.get("error-desc"):
            self.facts["migration"] += " (%s)" % final["error-desc"]
        if status not in ("failed", "completed", "cancelled"):
            raise QMPError("source: migration did not finish within 30 s "
                           "(last status %s)" % status)
        return status

    def shutdown(self):
        for role in ("destination", "source"):
            proc = self.procs.get(role)
            client = self.clients.get(role)
            if proc is not None and proc.poll() is None and client is not None \
                    and not client.closed.is_set():
                try:
                    client.cmd("quit", timeout=5, check=False)
                except Exception as e:  # noqa: BLE001 - best effort
                    log("%s: quit failed: %s" % (role, e))
            if proc is not None:
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    log("%s: terminating pid %d" % (role, proc.pid))
                    proc.terminate()
                    try:
                        proc.wait(timeout=5)
                    except subprocess.TimeoutExpired:
                        log("%s: killing pid %d" % (role, proc.pid))
                        proc.kill()
                        proc.wait()
                log("%s QEMU exit code %s" % (role, proc.returncode))
            if client is not None:
                # give the reader a moment to record SHUTDOWN / trailing lines
                client.closed.wait(timeout=2)
                client.close()
        for f in self.logs:
            try:
                f.close()
            except OSError:
                pass
        if self.tmp:
            for role in ("source", "destination"):
                p = os.path.join(self.tmp, "%s-stdout" % role)
                if os.path.exists(p) and os.path.getsize(p) > 0:
                    shutil.copyfile(p, self.out("%s-qemu.stdout.log" % role))
            shutil.rmtree(self.tmp, ignore_errors=True)

    def stderr_lines(self, role):
        try:
            with open(self.out("%s-qemu.log" % role), encoding="utf-8",
                      errors="replace") as f:
                return [line.rstrip("\r\n") for line in f if line.strip()]
        except OSError:
            return []

    def summary(self):
        f = self.facts
        if self.kind == "disk":
            what = "virtio-blk-pci %s, slot %d, drive %s" % (
                self.victim, self.slot, self.victim_drive)
        else:
            what = "virtio-net-pci %s, slot %d, netdev %s" % (
                self.victim, self.slot, self.victim_netdev)
        lines = ["vmcase capture: kind=%s victim=%s (%s)" % (self.kind, self.victim, what),
                 "qemu: %s" % f.get("version", "?"),
                 "source: device_del %s -> %s, DEVICE_DELETED: %s; %s" % (
                     self.victim, f.get("device_del"), f.get("device_deleted"),
                     f.get("backend_del")),
                 "source: migration %s, run state %s" % (
                     f.get("migration"), f.get("run_state")),
                 "destination: exit status %s, stderr:" % f.get("destination_rc")]
        lines += ["  " + line for line in self.stderr_lines("destination")] or ["  (empty)"]
        n = len([n for n in os.listdir(self.outdir)
                 if n in self.OUTPUTS])
        lines.append("evidence: %s (%d files)" % (self.outdir, n))
        return "\n".join(lines)


def main():
    def on_signal(signum, _frame):
        raise KeyboardInterrupt("signal %d" % signum)

    def on_alarm(_signum, _frame):
        raise CaptureTimeout("time limit of %g s reached" % args.timeout)

    for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, on_signal)

    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("outdir", nargs="?", default=os.path.join(here, "evidence"))
    ap.add_argument("--kind", choices=sorted(KINDS), default="disk",
                    help="what is orphaned: the disk virtio-disk1 (default) or "
                         "the virtio-net NIC net0")
    ap.add_argument("--slot", type=lambda s: int(s, 0), default=None,
                    help="PCI slot of the victim (default 6 for disk, 3 for nic)")
    ap.add_argument("--id", dest="dev_id", default=None,
                    help="qdev id of the victim (default virtio-disk1 for disk, "
                         "net0 for nic); a disk's drive is drive-<id>, a NIC's "
                         "netdev is host<id>")
    ap.add_argument("--timeout", type=float, default=60.0,
                    help="give up (exit 1) after this many seconds (default 60)")
    args = ap.parse_args()
    kind = KINDS[args.kind]
    if args.slot is None:
        args.slot = kind["slot"]
    if args.dev_id is None:
        args.dev_id = kind["id"]
    if args.slot in kind["reserved"]:
        ap.error("slot %d collides with %s" % (args.slot, kind["reserved"][args.slot]))
    if not 2 <= args.slot <= 0x1f:
        ap.error("slot must be in 2..31")
    if args.dev_id in kind["taken_ids"] or not ID_RE.match(args.dev_id):
        ap.error("bad or colliding --id %r" % args.dev_id)
    if args.timeout <= 0:
        ap.error("--timeout must be positive")
    for tool in (QEMU, QEMU_IMG):
        if shutil.which(tool) is None:
            ap.error("%s not found in PATH" % tool)

    cap = Capture(os.path.abspath(args.outdir), args.slot, args.dev_id, args.kind)
    status = None
    rc = 0
    signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, args.timeout)
    try:
        status = cap.run()
    except KeyboardInterrupt as e:
        log("interrupted (%s); shutting QEMU down" % (e or "Ctrl+C"))
        rc = 130
    except (CaptureTimeout, QMPError, OSError, subprocess.SubprocessError) as e:
        detail = str(e)
        if isinstance(e, subprocess.CalledProcessError) and e.stderr:
            detail += ": " + (e.stderr if isinstance(e.stderr, str)
                              else e.stderr.decode("utf-8", "replace")).strip()
        log("capture failed: %s; shutting QEMU down" % detail)
        rc = 1
    finally:
        # no signal may interrupt the cleanup
        signal.setitimer(signal.ITIMER_REAL, 0)
        for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(s, signal.SIG_IGN)
        cap.shutdown()
    if rc:
        for role in ("source", "destination"):
            for line in cap.stderr_lines(role)[-5:]:
                log("%s stderr: %s" % (role, line))
        print("vmcase capture FAILED (kind=%s); see the messages on stderr"
              % args.kind, file=sys.stderr)
        return rc
    log("done: source migration status %s; evidence in %s" % (status, cap.outdir))
    print(cap.summary(), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

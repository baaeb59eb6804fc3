#!/usr/bin/env bash
# Re-run the "libvirt-pending-unplug" scenario from scratch and write its evidence.
#
#   sudo ./capture.sh            # -> ./evidence/
#   sudo ./capture.sh /tmp/out   # -> /tmp/out/
#   SEGV_AFTER=1 sudo ./capture.sh /tmp/out   # QEMU sent SIGSEGV 1 s into the detach
#                                 (../libvirt-crash-during-unplug/capture.sh: a staged crash during the unplug)
#
# What it does (see README.md):
#   1. starts a private libvirtd (own libvirtd.conf, qemu.conf, sockets, state,
#      run, cache and log dirs) inside its own mount namespace,
#   2. starts a type='qemu' (TCG) domain "instance-0000002a" with two virtio
#      disks and no guest OS,
#   3. runs "virsh detach-disk instance-0000002a vdb --live": the guest never
#      acknowledges the unplug, so no DEVICE_DELETED arrives,
#   4. records the live XML before/after, QMP query-pci/query-block, HMP
#      "info qtree", libvirt events, the libvirtd debug log and the domain log,
#   5. destroys the domain and stops the daemon. A trap kills whatever the
#      script started, on any exit or Ctrl+C.
#
# Needs root (libvirtd in system mode, mount namespace), libvirtd/virsh 9.x,
# qemu-system-x86_64, qemu-img, unshare, timeout. No KVM needed.
set -u -o pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${1:-$HERE/evidence}
DOM=instance-0000002a
STEP_TIMEOUT=${STEP_TIMEOUT:-60}    # bound for every single virsh/qemu-img step

die() { echo "capture.sh: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "must run as root (system libvirtd in its own mount namespace)"
for p in libvirtd virsh qemu-img qemu-system-x86_64 unshare mount timeout; do
    command -v "$p" >/dev/null 2>&1 || die "missing program '$p' (apt-get install -y libvirt-daemon-system libvirt-clients libvirt-daemon-driver-qemu qemu-system-x86 qemu-utils)"
done

WORK=$(mktemp -d /tmp/vmcase-lv-unplug.XXXXXX) || die "mktemp failed"
chmod 755 "$WORK"           # qemu runs as libvirt-qemu and must reach the images
mkdir -p "$WORK"/{etc,runroot,lib,log,cache,img}
SOCK=$WORK/runroot/libvirt/libvirt-sock
URI="qemu:///system?socket=$SOCK"
DPID=""
EVPID=""

stop_daemon() {
    [ -n "$DPID" ] || return 0
    if kill -0 "$DPID" 2>/dev/null; then
        kill -TERM "$DPID" 2>/dev/null
        for _ in $(seq 1 50); do kill -0 "$DPID" 2>/dev/null || break; sleep 0.2; done
        kill -0 "$DPID" 2>/dev/null && kill -KILL "$DPID" 2>/dev/null
    fi
    wait "$DPID" 2>/dev/null
    DPID=""
}

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    [ -n "$EVPID" ] && kill "$EVPID" 2>/dev/null && wait "$EVPID" 2>/dev/null
    if [ -n "$DPID" ] && kill -0 "$DPID" 2>/dev/null; then
        timeout 20 virsh -c "$URI" destroy "$DOM" >/dev/null 2>&1
    fi
    # QEMU processes outlive libvirtd; kill any the daemon left behind (by pid file)
    for pf in "$WORK"/runroot/libvirt/qemu/*.pid; do
        [ -f "$pf" ] || continue
        pid=$(cat "$pf" 2>/dev/null)
        [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
    done
    stop_daemon
    rm -rf "$WORK"
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- config ---
# Debug filters as recommended by libvirt for QEMU driver debugging; the
# QEMU_MONITOR_* lines come from qemu.qemu_monitor / qemu.qemu_monitor_json.
cat > "$WORK/etc/libvirtd.conf" <<'EOF'
log_filters="1:qemu 1:libvirt 4:object 4:json 4:event 1:util"
log_outputs="1:file:/var/log/libvirt/libvirtd.log"
auth_unix_rw="none"
auth_unix_ro="none"
unix_sock_rw_perms="0700"
host_uuid="5d1c7a2e-8b0f-4c3a-9e61-0000000000a1"
EOF
# Only used to fill the QEMU capabilities cache before the real run, so that
# the evidence log does not start with ~1 MB of capability probing.
cat > "$WORK/etc/warmup.conf" <<'EOF'
log_level=3
log_outputs="3:file:/var/log/libvirt/warmup.log"
auth_unix_rw="none"
auth_unix_ro="none"
unix_sock_rw_perms="0700"
host_uuid="5d1c7a2e-8b0f-4c3a-9e61-0000000000a1"
EOF
# stdio_handler=file: domain log written by libvirtd itself (no virtlogd needed).
# cgroup_controllers=[]: do not create /sys/fs/cgroup/*/machine on the host.
cat > "$WORK/etc/qemu.conf" <<'EOF'
security_driver="none"
stdio_handler="file"
cgroup_controllers=[ ]
EOF

start_daemon() {   # $1 = config file name inside /etc/libvirt (= $WORK/etc)
    rm -f "$SOCK"
    env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C \
      unshare -m --propagation private sh -c "
        mount --bind '$WORK/etc' /etc/libvirt &&
        mount --bind '$WORK/runroot' /run &&
        mount --bind '$WORK/lib' /var/lib/libvirt &&
        mount --bind '$WORK/cache' /var/cache/libvirt &&
        mount --bind '$WORK/log' /var/log/libvirt &&
        exec libvirtd -f /etc/libvirt/$1" \
      >>"$WORK/libvirtd-stderr.txt" 2>&1 &
    DPID=$!
    for _ in $(seq 1 150); do
        kill -0 "$DPID" 2>/dev/null || die "libvirtd exited early: $(tail -5 "$WORK/libvirtd-stderr.txt")"
        [ -S "$SOCK" ] && timeout 10 virsh -c "$URI" uri >/dev/null 2>&1 && return 0
        sleep 0.2
    done
    die "libvirtd did not answer on $SOCK within 30 s"
}

# run "title" cmd...  -> appends "$ cmd", verbatim stdout+stderr, exit code, duration
CMDLOG=$WORK/virsh-commands.txt
run() {
    local t0 t1 rc
    printf '$ %s\n' "$*" >>"$CMDLOG"
    printf '# started %s\n' "$(date -u +%FT%T.%3NZ)" >>"$CMDLOG"
    t0=$(date +%s.%N)
    timeout "$STEP_TIMEOUT" "$@" >>"$CMDLOG" 2>&1
    rc=$?
    t1=$(date +%s.%N)
    printf '# exit %d after %.3f s\n\n' "$rc" "$(echo "$t1 - $t0" | bc)" >>"$CMDLOG"
    return $rc
}
# save FILE cmd...  -> stdout to FILE (verbatim), stderr+exit code into virsh-commands.txt
save() {
    local f=$1; shift
    printf '$ %s > %s\n' "$*" "$f" >>"$CMDLOG"
    timeout "$STEP_TIMEOUT" "$@" >"$WORK/out/$f" 2>>"$CMDLOG"
    local rc=$?
    printf '# exit %d\n\n' "$rc" >>"$CMDLOG"
    return $rc
}
command -v bc >/dev/null 2>&1 || die "missing program 'bc' (apt-get install -y bc)"
mkdir -p "$WORK/out"
V=(virsh -c "$URI")

echo "work dir $WORK"
T_START=$(date +%s)

# ------------------------------------------------------------- warm-up ---
start_daemon warmup.conf
# "virsh capabilities" probes every installed emulator (x86_64 and i386 here)
timeout 180 virsh -c "$URI" capabilities >/dev/null 2>&1 \
    || die "could not probe QEMU capabilities (see $WORK/log/warmup.log)"
timeout 180 virsh -c "$URI" domcapabilities --virttype qemu >/dev/null 2>&1 \
    || die "could not probe QEMU domain capabilities (see $WORK/log/warmup.log)"
stop_daemon
rm -f "$WORK/log/warmup.log"

# ------------------------------------------------------------- disks -----
timeout "$STEP_TIMEOUT" qemu-img create -q -f qcow2 "$WORK/img/disk0.qcow2" 64M || die "qemu-img failed"
timeout "$STEP_TIMEOUT" qemu-img create -q -f qcow2 "$WORK/img/disk1.qcow2" 64M || die "qemu-img failed"
chmod 755 "$WORK/img"

cat > "$WORK/out/domain-input.xml" <<EOF
<domain type='qemu'>
  <name>$DOM</name>
  <uuid>7a3c5e1e-2f4b-4c4e-9a51-00000000002a</uuid>
  <memory unit='MiB'>128</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type><boot dev='hd'/></os>
  <features><acpi/><apic/></features>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2' cache='none'/>
      <source file='$WORK/img/disk0.qcow2'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2' cache='none'/>
      <source file='$WORK/img/disk1.qcow2'/>
      <target dev='vdb' bus='virtio'/>
    </disk>
    <memballoon model='none'/>
  </devices>
</domain>
EOF

# ------------------------------------------------------------- scenario --
start_daemon libvirtd.conf
run "${V[@]}" version
run "${V[@]}" define "$WORK/out/domain-input.xml" || die "define failed"
run "${V[@]}" start "$DOM" || die "start failed"
sleep 2     # let SeaBIOS run; the domain stays 'running' with nothing to boot
run "${V[@]}" list --all
save domain-before.xml "${V[@]}" dumpxml "$DOM"

# libvirt domain events while the detach runs (bounded by --timeout)
printf '$ %s\n' "virsh -c $URI event --domain $DOM --all --loop --timestamp --timeout 20 (background, output in events.txt)" >>"$CMDLOG"
"${V[@]}" event --domain "$DOM" --all --loop --timestamp --timeout 20 >"$WORK/out/events.txt" 2>&1 &
EVPID=$!
sleep 1
KPID=""
if [ -n "${SEGV_AFTER:-}" ]; then
    # a staged crash: QEMU dies of SIGSEGV this many seconds into libvirt's wait for the guest (kill.txt says when)
    QPID=$(cat "$WORK/runroot/libvirt/qemu/$DOM.pid" 2>/dev/null) || die "no QEMU pid file"
    ( sleep "$SEGV_AFTER"; printf '# %s: kill -SEGV %s (QEMU)\n' "$(date -u +%FT%T.%3NZ)" "$QPID" >>"$WORK/out/kill.txt"
      kill -SEGV "$QPID" ) &
    KPID=$!
fi
T_DET0=$(date +%s.%N)
run "${V[@]}" detach-disk "$DOM" vdb --live
DETACH_RC=$?
T_DET1=$(date +%s.%N)

if [ -n "$KPID" ]; then
    wait "$KPID"
    run "${V[@]}" list --all     # QEMU is gone: nothing left to query
else
    save domain-after.xml "${V[@]}" dumpxml "$DOM"
    run "${V[@]}" domblklist "$DOM"
    save qmp-query-pci.json "${V[@]}" qemu-monitor-command "$DOM" --pretty '{"execute":"query-pci"}'
    save qmp-query-block.json "${V[@]}" qemu-monitor-command "$DOM" --pretty '{"execute":"query-block"}'
    save hmp-info-qtree.txt "${V[@]}" qemu-monitor-command --hmp "$DOM" 'info qtree'
    save domain-after-5s.xml bash -c "sleep 5; virsh -c '$URI' dumpxml '$DOM'"
fi
wait "$EVPID" 2>/dev/null; EVPID=""

[ -n "$KPID" ] || run "${V[@]}" destroy "$DOM"
run "${V[@]}" undefine "$DOM"
stop_daemon
T_END=$(date +%s)

# ------------------------------------------------------------- collect ---
mkdir -p "$OUT"
rm -f "$OUT"/*
cp "$WORK/out/"* "$OUT/"
cp "$CMDLOG" "$OUT/virsh-commands.txt"
cp "$WORK/log/libvirtd.log" "$OUT/libvirtd.log"
cp "$WORK/log/qemu/$DOM.log" "$OUT/$DOM.log"
cp "$WORK/libvirtd-stderr.txt" "$OUT/libvirtd-stderr.txt"
cp "$WORK/etc/libvirtd.conf" "$OUT/libvirtd.conf"
cp "$WORK/etc/qemu.conf" "$OUT/qemu.conf"
{
    echo "captured: $(date -u +%FT%TZ)"
    echo "work dir (deleted afterwards): $WORK"
    echo "libvirtd: $(libvirtd --version)"
    echo "virsh: $(virsh --version)"
    echo "qemu: $(qemu-system-x86_64 --version | head -1)"
    echo "qemu-img: $(qemu-img --version | head -1)"
    echo "kernel: $(uname -r)"
    echo "os: $(. /etc/os-release; echo "$PRETTY_NAME")"
    echo "kvm: $([ -e /dev/kvm ] && echo present || echo absent, TCG only)"
    echo "detach-disk exit code: $DETACH_RC"
    printf 'detach-disk duration: %.3f s\n' "$(echo "$T_DET1 - $T_DET0" | bc)"
    echo "whole capture: $((T_END - T_START)) s"
} >"$OUT/versions.txt"
echo "evidence written to $OUT"
ls -l "$OUT"
exit 0

#!/usr/bin/env bash
# Run Wallaby's (nova 23.0.1's) own guest.py detach, inside Debian's nova 26.x
# (Zed), against a real libvirtd here and keep what it wrote.
#
#   sudo NOVA_GIT=/path/to/nova/.git ./capture-wallaby.sh            # -> ./evidence-wallaby/
#   sudo NOVA_GIT=/path/to/nova/.git ./capture-wallaby.sh /tmp/out   # -> /tmp/out/
#
# NOVA_GIT is a git directory of nova's history (a clone of
# https://opendev.org/openstack/nova or its GitHub mirror): the script takes
# nova/virt/libvirt/guest.py at tag $TAG (23.0.1, checked against its commit
# id) from it, unchanged. 23.0.1 is the newest Wallaby release whose guest.py
# still holds Guest.detach_device_with_retry (Pike to Wallaby): 23.0.2 took
# Xena's event-based detach.
#
# As capture.sh: one private libvirtd (its own mount namespace) runs a
# type='qemu' (TCG) domain "instance-0000002e" with no guest OS (SeaBIOS finds
# nothing to boot, so no one answers an ACPI unplug). A second virtio disk vdb
# is hot-plugged with
#   virsh attach-disk ... vdb --persistent   (live and persistent)
# then wallaby_detach_harness.py loads 23.0.1's guest.py as
# nova.virt.libvirt.guest in place of Zed's and runs its
# Guest.detach_device_with_retry on vdb as Wallaby's
# LibvirtDriver.detach_volume calls it (nova's own retry defaults: 7 retries,
# sleeping 10 s more each time up to 60 s: about five minutes), DEBUG into
# nova-compute.log. Kept: nova-compute.log, the harness's output, libvirtd's
# debug log (monitor, hotplug and domain modules at debug, the rest from
# warnings on), the domain's QEMU log, the domain XML before and after,
# libvirt's events, the virsh commands. A trap kills whatever the script
# started.
#
# Needs root, python3-nova (Debian 12: nova 26.2.2), git, libvirtd/virsh 9.x,
# qemu-system-x86_64, qemu-img, unshare, timeout. No KVM needed.
set -u -o pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${1:-$HERE/evidence-wallaby}
DOM=instance-0000002e
UUID=3f2b8c1d-6a4e-4d9b-8c21-00000000002e
TAG=23.0.1
TAG_COMMIT=a5ce4d806172f9d144633f297163e088c8ed1491
STEP_TIMEOUT=${STEP_TIMEOUT:-60}

die() { echo "capture-wallaby.sh: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "must run as root (system libvirtd in its own mount namespace)"
for p in git libvirtd virsh qemu-img qemu-system-x86_64 unshare mount timeout /usr/bin/python3; do
    command -v "$p" >/dev/null 2>&1 || die "missing program '$p'"
done
/usr/bin/python3 -c 'import nova.virt.libvirt.driver' 2>/dev/null || die "nova is not installed (apt-get install -y python3-nova)"
[ -n "${NOVA_GIT:-}" ] || die "NOVA_GIT (a git directory of nova's history) is not set"
[ "$(git --git-dir "$NOVA_GIT" rev-parse "$TAG^{commit}" 2>/dev/null)" = "$TAG_COMMIT" ] \
    || die "$NOVA_GIT has no tag $TAG at $TAG_COMMIT"

WORK=$(mktemp -d /tmp/vmcase-nova-wallaby.XXXXXX) || die "mktemp failed"
chmod 755 "$WORK"
mkdir -p "$WORK"/{img,out}
# 23.0.1's guest.py, unchanged, where nova's tree would have it
GUEST_PY=$WORK/nova-$TAG/nova/virt/libvirt/guest.py
mkdir -p "$(dirname "$GUEST_PY")"
git --git-dir "$NOVA_GIT" show "$TAG_COMMIT:nova/virt/libvirt/guest.py" >"$GUEST_PY" || die "git show failed"
grep -q 'def detach_device_with_retry' "$GUEST_PY" || die "$TAG's guest.py has no detach_device_with_retry"
DPID="" EVPID=""
D=$WORK/host
SOCK=$D/runroot/libvirt/libvirt-sock
URI="qemu:///system?socket=$SOCK"

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
    for pf in "$D"/runroot/libvirt/qemu/*.pid; do
        [ -f "$pf" ] || continue
        qpid=$(cat "$pf" 2>/dev/null)
        [ -n "$qpid" ] && kill -0 "$qpid" 2>/dev/null && kill -KILL "$qpid" 2>/dev/null
    done
    stop_daemon
    rm -rf "$WORK"
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$D"/{etc,runroot,lib,log,cache}
cat > "$D/etc/libvirtd.conf" <<EOC
log_filters="1:qemu.qemu_monitor 1:qemu.qemu_hotplug 1:qemu.qemu_domain 3:qemu 3:libvirt 4:object 4:json 4:event 3:util"
log_outputs="1:file:/var/log/libvirt/libvirtd.log"
auth_unix_rw="none"
auth_unix_ro="none"
unix_sock_rw_perms="0700"
host_uuid="5d1c7a2e-8b0f-4c3a-9e61-0000000000c3"
EOC
cat > "$D/etc/warmup.conf" <<EOC
log_level=3
log_outputs="3:file:/var/log/libvirt/warmup.log"
auth_unix_rw="none"
auth_unix_ro="none"
unix_sock_rw_perms="0700"
host_uuid="5d1c7a2e-8b0f-4c3a-9e61-0000000000c3"
EOC
cat > "$D/etc/qemu.conf" <<'EOC'
security_driver="none"
stdio_handler="file"
cgroup_controllers=[ ]
EOC

start_daemon() {   # $1 = config file name in etc/
    rm -f "$SOCK"
    env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C \
      unshare -m --propagation private sh -c "
        mount --bind '$D/etc' /etc/libvirt &&
        mount --bind '$D/runroot' /run &&
        mount --bind '$D/lib' /var/lib/libvirt &&
        mount --bind '$D/cache' /var/cache/libvirt &&
        mount --bind '$D/log' /var/log/libvirt &&
        exec libvirtd -f /etc/libvirt/$1" \
      >>"$D/libvirtd-stderr.txt" 2>&1 &
    DPID=$!
    for _ in $(seq 1 150); do
        kill -0 "$DPID" 2>/dev/null || die "libvirtd exited early: $(tail -5 "$D/libvirtd-stderr.txt")"
        [ -S "$SOCK" ] && timeout 10 virsh -c "$URI" uri >/dev/null 2>&1 && return 0
        sleep 0.2
    done
    die "libvirtd did not answer on $SOCK within 30 s"
}

CMDLOG=$WORK/virsh-commands.txt
run() {   # "$ cmd", verbatim stdout+stderr, exit code
    printf '$ %s\n' "$*" >>"$CMDLOG"
    timeout "$STEP_TIMEOUT" "$@" >>"$CMDLOG" 2>&1
    local rc=$?
    printf '# exit %d\n\n' "$rc" >>"$CMDLOG"
    return $rc
}

echo "work dir $WORK"
start_daemon warmup.conf
timeout 180 virsh -c "$URI" domcapabilities --virttype qemu >/dev/null 2>&1 || die "could not probe QEMU capabilities"
stop_daemon
rm -f "$D/log/warmup.log"

timeout "$STEP_TIMEOUT" qemu-img create -q -f qcow2 "$WORK/img/disk0.qcow2" 64M || die "qemu-img failed"
timeout "$STEP_TIMEOUT" qemu-img create -q -f qcow2 "$WORK/img/volume1.qcow2" 64M || die "qemu-img failed"
chmod 755 "$WORK/img"
cat > "$WORK/out/domain-input.xml" <<EOC
<domain type='qemu'>
  <name>$DOM</name>
  <uuid>$UUID</uuid>
  <memory unit='MiB'>128</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type><boot dev='hd'/></os>
  <features><acpi/><apic/></features>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2' cache='none'/>
      <source file='$WORK/img/disk0.qcow2'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <memballoon model='none'/>
  </devices>
</domain>
EOC

start_daemon libvirtd.conf
run virsh -c "$URI" version
run virsh -c "$URI" define "$WORK/out/domain-input.xml" || die "define failed"
run virsh -c "$URI" start "$DOM" || die "start failed"
sleep 2
run virsh -c "$URI" attach-disk "$DOM" "$WORK/img/volume1.qcow2" vdb --targetbus virtio --subdriver qcow2 --persistent \
    || die "attach-disk failed"
timeout "$STEP_TIMEOUT" virsh -c "$URI" dumpxml "$DOM" >"$WORK/out/domain-before-detach.xml"
printf '$ %s\n\n' "virsh -c $URI event --all --loop --timestamp (background, output in events.txt)" >>"$CMDLOG"
virsh -c "$URI" event --all --loop --timestamp >"$WORK/out/events.txt" 2>&1 &
EVPID=$!
sleep 1

printf '$ %s\n' "wallaby_detach_harness.py $GUEST_PY $URI $UUID $DOM vdb nova-compute.log" >>"$CMDLOG"
T0=$(date +%s)
timeout 900 env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C.UTF-8 TZ=UTC \
    /usr/bin/python3 "$HERE/wallaby_detach_harness.py" "$GUEST_PY" "$URI" "$UUID" "$DOM" vdb \
    "$WORK/out/nova-compute.log" >"$WORK/out/harness-output.txt" 2>&1
HRC=$?
T1=$(date +%s)
printf '# exit %d after %d s\n\n' "$HRC" "$((T1 - T0))" >>"$CMDLOG"
timeout "$STEP_TIMEOUT" virsh -c "$URI" dumpxml "$DOM" >"$WORK/out/domain-after-detach.xml"
run virsh -c "$URI" dumpxml --inactive "$DOM" --xpath '//disk/target'
kill "$EVPID" 2>/dev/null; wait "$EVPID" 2>/dev/null; EVPID=""
run virsh -c "$URI" destroy "$DOM"
run virsh -c "$URI" undefine "$DOM"
stop_daemon

mkdir -p "$OUT"
rm -f "$OUT"/*
# every file as the programs wrote it (the scratch folder's name included)
for f in "$WORK/out/"* "$CMDLOG" "$D/log/libvirtd.log" "$D/log/qemu/$DOM.log"; do
    [ -f "$f" ] || continue
    cp "$f" "$OUT/$(basename "$f")"
done
{
    echo "captured: $(date -u +%FT%TZ)"
    echo "work dir (deleted afterwards): $WORK"
    echo "nova: $(dpkg-query -W -f '${Package} ${Version}' python3-nova)"
    echo "oslo.log: $(dpkg-query -W -f '${Version}' python3-oslo.log)"
    echo "python3-libvirt: $(dpkg-query -W -f '${Version}' python3-libvirt)"
    echo "python: $(/usr/bin/python3 --version)"
    echo "libvirtd: $(libvirtd --version)"
    echo "qemu: $(qemu-system-x86_64 --version | head -1)"
    echo "kernel: $(uname -r)"
    echo "os: $(. /etc/os-release; echo "$PRETTY_NAME")"
    echo "guest.py: nova $TAG (commit $TAG_COMMIT), blob $(git --git-dir "$NOVA_GIT" rev-parse "$TAG_COMMIT:nova/virt/libvirt/guest.py"), sha256 $(sha256sum "$GUEST_PY" | cut -d' ' -f1)"
    echo "harness exit code: $HRC, $((T1 - T0)) s"
} >"$OUT/versions.txt"
echo "evidence written to $OUT (harness exit code $HRC)"
ls -l "$OUT"

#!/usr/bin/env bash
# Run nova 26.x's (Zed's) own compute manager over a live migration between
# two real libvirtds here and keep what it wrote: one migration whose source
# libvirtd dies under it (nova's "Live migration failed."), one that
# completes (nova's "Migrating instance to ... finished successfully.").
#
#   sudo ./capture-manager.sh            # -> ./evidence-manager/
#
# Two private libvirtds ("src", "dst"), each in its own mount namespace, as
# capture-migration.sh runs them. A type='qemu' (TCG) domain
# "instance-0000002d" (nova's name of the instance with id 45) with 1 GiB of
# RAM, no disk and no guest OS runs on src. manager_harness.py builds nova's
# ComputeManager and runs its _do_live_migration on it twice:
#   1. [libvirt] live_migration_bandwidth=1 (MiB/s); once libvirt reports the
#      job, the source libvirtd is killed (SIGKILL, as a crash or an OOM kill
#      would end it): nova-compute-failed.log
#   2. src's libvirtd started again (the domain running on src again, started
#      anew if it is not), no bandwidth limit: the migration completes:
#      nova-compute-completed.log
# Kept besides: both daemons' logs, the harness outputs, the virsh commands.
#
# Needs root, python3-nova and python3-libvirt (Debian 12: nova 26.2.2),
# libvirtd/virsh 9.x, qemu-system-x86_64, unshare, timeout.
set -u -o pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${1:-$HERE/evidence-manager}
DOM=instance-0000002d
INSTANCE_ID=45   # nova names it instance-%08x: instance-0000002d
UUID=3f2b8c1d-6a4e-4d9b-8c21-00000000002d
DEST_HOST=vmcase-dst
STEP_TIMEOUT=${STEP_TIMEOUT:-60}

die() { echo "capture-manager.sh: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "must run as root"
/usr/bin/python3 -c 'import nova.compute.manager, nova.virt.libvirt.driver, libvirt' 2>/dev/null \
    || die "nova is not installed (apt-get install -y python3-nova python3-libvirt)"

WORK=$(mktemp -d /tmp/vmcase-nova-mgr.XXXXXX) || die "mktemp failed"
chmod 755 "$WORK"
mkdir -p "$WORK/out"
declare -A DPID=()
sock() { echo "$WORK/$1/runroot/libvirt/libvirt-sock"; }
uri()  { echo "qemu:///system?socket=$(sock "$1")"; }

stop_daemon() {
    local pid=${DPID[$1]:-}
    [ -n "$pid" ] || return 0
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
    fi
    wait "$pid" 2>/dev/null
    DPID[$1]=""
}
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    for side in src dst; do
        local pid=${DPID[$side]:-}
        if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
            timeout 20 virsh -c "$(uri $side)" destroy "$DOM" >/dev/null 2>&1
        fi
        for pf in "$WORK/$side"/runroot/libvirt/qemu/*.pid; do
            [ -f "$pf" ] || continue
            qpid=$(cat "$pf" 2>/dev/null)
            [ -n "$qpid" ] && kill -0 "$qpid" 2>/dev/null && kill -KILL "$qpid" 2>/dev/null
        done
        stop_daemon $side
    done
    rm -rf "$WORK"
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkconf() {
    local d=$WORK/$1
    mkdir -p "$d"/{etc,runroot,lib,log,cache}
    cat > "$d/etc/libvirtd.conf" <<EOC
log_filters="1:qemu.qemu_migration 1:qemu.qemu_monitor 3:qemu 3:libvirt 4:object 4:json 4:event 3:util"
log_outputs="1:file:/var/log/libvirt/libvirtd.log"
auth_unix_rw="none"
auth_unix_ro="none"
unix_sock_rw_perms="0700"
host_uuid="$2"
EOC
    cat > "$d/etc/warmup.conf" <<EOC
log_level=3
log_outputs="3:file:/var/log/libvirt/warmup.log"
auth_unix_rw="none"
auth_unix_ro="none"
unix_sock_rw_perms="0700"
host_uuid="$2"
EOC
    cat > "$d/etc/qemu.conf" <<'EOC'
security_driver="none"
stdio_handler="file"
cgroup_controllers=[ ]
EOC
}
mkconf src 5d1c7a2e-8b0f-4c3a-9e61-0000000000d4
mkconf dst 5d1c7a2e-8b0f-4c3a-9e61-0000000000e5

start_daemon() {
    local d=$WORK/$1 s
    s=$(sock "$1")
    rm -f "$s"
    env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C \
      unshare -m --propagation private sh -c "
        mount --bind '$d/etc' /etc/libvirt &&
        mount --bind '$d/runroot' /run &&
        mount --bind '$d/lib' /var/lib/libvirt &&
        mount --bind '$d/cache' /var/cache/libvirt &&
        mount --bind '$d/log' /var/log/libvirt &&
        exec libvirtd -f /etc/libvirt/$2" \
      >>"$d/libvirtd-stderr.txt" 2>&1 &
    DPID[$1]=$!
    for _ in $(seq 1 150); do
        kill -0 "${DPID[$1]}" 2>/dev/null || die "$1 libvirtd exited early: $(tail -5 "$d/libvirtd-stderr.txt")"
        [ -S "$s" ] && timeout 10 virsh -c "$(uri "$1")" uri >/dev/null 2>&1 && return 0
        sleep 0.2
    done
    die "$1 libvirtd did not answer"
}
CMDLOG=$WORK/virsh-commands.txt
run() {
    printf '$ %s\n' "$*" >>"$CMDLOG"
    timeout "$STEP_TIMEOUT" "$@" >>"$CMDLOG" 2>&1
    local rc=$?
    printf '# exit %d\n\n' "$rc" >>"$CMDLOG"
    return $rc
}
harness() {   # $1 = log name  $2 = bandwidth
    printf '$ %s\n' "manager_harness.py $(uri src) qemu+unix:///system?socket=$WORK/dst-sock-%s $UUID $INSTANCE_ID $DEST_HOST $1 $2 > ${1%.log}-harness.txt" >>"$CMDLOG"
    timeout 300 env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C.UTF-8 TZ=UTC \
        /usr/bin/python3 "$HERE/manager_harness.py" "$(uri src)" "qemu+unix:///system?socket=$WORK/dst-sock-%s" "$UUID" \
        "$INSTANCE_ID" "$DEST_HOST" "$WORK/out/$1" "$2" >"$WORK/out/${1%.log}-harness.txt" 2>&1
    local rc=$?
    printf '# exit %d\n\n' "$rc" >>"$CMDLOG"
}

echo "work dir $WORK"
for side in src dst; do
    start_daemon $side warmup.conf
    timeout 180 virsh -c "$(uri $side)" domcapabilities --virttype qemu >/dev/null 2>&1 || die "capabilities on $side"
    stop_daemon $side
    rm -f "$WORK/$side/log/warmup.log"
done
cat > "$WORK/out/domain-input.xml" <<EOC
<domain type='qemu'>
  <name>$DOM</name>
  <uuid>$UUID</uuid>
  <memory unit='MiB'>1024</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type><boot dev='hd'/></os>
  <features><acpi/><apic/></features>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <memballoon model='none'/>
  </devices>
</domain>
EOC
start_daemon src libvirtd.conf
start_daemon dst libvirtd.conf
# nova puts the destination's address into [libvirt] live_migration_uri's %s
# (127.0.0.1, its target_connect_addr): a link of that name leads the source
# daemon (peer-to-peer, nova's default flags) to the destination's socket
ln -s "$(sock dst)" "$WORK/dst-sock-127.0.0.1"
run virsh -c "$(uri src)" version
run virsh -c "$(uri src)" define "$WORK/out/domain-input.xml" || die "define failed"
run virsh -c "$(uri src)" start "$DOM" || die "start failed"
sleep 2

# 1. failed: the harness in the background, the source libvirtd killed once
# the job runs
harness nova-compute-failed.log 1 &
HPID=$!
# the guest's memory is all zero pages, which QEMU sends in a few seconds
# whatever the bandwidth: kill as soon as the job shows
for _ in $(seq 1 300); do
    timeout 10 virsh -c "$(uri src)" domjobinfo "$DOM" 2>/dev/null | grep -q 'Unbounded' && break
    sleep 0.1
done
sleep 0.5
printf '$ %s\n' "kill -KILL ${DPID[src]}   # the source libvirtd" >>"$CMDLOG"
kill -KILL "${DPID[src]}"
printf '# exit %d\n\n' "$?" >>"$CMDLOG"
wait "${DPID[src]}" 2>/dev/null
DPID[src]=""
wait $HPID
run virsh -c "$(uri dst)" list --all
start_daemon src libvirtd.conf
sleep 2
run virsh -c "$(uri src)" list --all
run virsh -c "$(uri dst)" list --all
if timeout 10 virsh -c "$(uri dst)" domstate "$DOM" >/dev/null 2>&1; then
    run virsh -c "$(uri dst)" destroy "$DOM"
fi
if [ "$(timeout 10 virsh -c "$(uri src)" domstate "$DOM" 2>/dev/null | head -1)" != running ]; then
    run virsh -c "$(uri src)" start "$DOM" || die "start again failed"
    sleep 2
fi
run virsh -c "$(uri src)" domstate "$DOM"

# 2. completed
harness nova-compute-completed.log 0
run virsh -c "$(uri src)" list --all
run virsh -c "$(uri dst)" list --all
run virsh -c "$(uri dst)" destroy "$DOM"
stop_daemon src
stop_daemon dst

mkdir -p "$OUT"
rm -f "$OUT"/*
cp "$WORK/out/"* "$CMDLOG" "$OUT/"
for side in src dst; do
    cp "$WORK/$side/log/libvirtd.log" "$OUT/$side-libvirtd.log"
    [ -f "$WORK/$side/log/qemu/$DOM.log" ] && cp "$WORK/$side/log/qemu/$DOM.log" "$OUT/$side-$DOM.log"
done
{
    echo "captured: $(date -u +%FT%TZ)"
    echo "work dir (deleted afterwards): $WORK"
    echo "nova: $(dpkg-query -W -f '${Package} ${Version}' python3-nova)"
    echo "oslo.log: $(dpkg-query -W -f '${Version}' python3-oslo.log)"
    echo "oslo.messaging: $(dpkg-query -W -f '${Version}' python3-oslo.messaging)"
    echo "python3-libvirt: $(dpkg-query -W -f '${Version}' python3-libvirt)"
    echo "libvirtd: $(libvirtd --version)"
    echo "qemu: $(qemu-system-x86_64 --version | head -1)"
    echo "python: $(/usr/bin/python3 --version)"
    echo "os: $(. /etc/os-release; echo "$PRETTY_NAME")"
} >"$OUT/versions.txt"
echo "evidence written to $OUT"
ls -l "$OUT"

#!/usr/bin/env bash
# The "libvirt-migration" scenario (../libvirt-migration/capture.sh) with the migration cancelled by its client: the
# migration runs at 1 MiB/s (virsh migrate --bandwidth 1) of a guest with 1 GiB of RAM, and once libvirt reports the
# job running, "virsh domjobabort" on the source aborts it, as an operator, nova's live-migration-abort or a
# management layer's time limit would.
#
#   sudo ./capture.sh            # -> ./evidence/
#   sudo ./capture.sh /tmp/out   # -> /tmp/out/
#
# Two private libvirtd instances ("src" and "dst") run on this one machine,
# each in its own mount namespace with its own /etc/libvirt, /run,
# /var/lib/libvirt, /var/cache/libvirt and /var/log/libvirt (bind-mounted from
# a scratch folder) and its own host_uuid. A type='qemu' (TCG) domain
# "instance-0000002a" with two virtio disks on shared storage (/tmp) and no
# guest OS is started on src and live-migrated to dst with
#   virsh -c <src> migrate --live --persistent --undefinesource --unsafe --verbose --bandwidth 1 \
#         instance-0000002a <dst> --migrateuri tcp://127.0.0.1:PORT --listen-address 127.0.0.1
# and aborted with "virsh -c <src> domjobabort instance-0000002a" while it runs.
# Both daemons' debug logs, both domain logs, libvirt events on both sides and
# the virsh outputs are kept. A trap kills whatever the script started.
#
# Needs root, libvirtd/virsh 9.x, qemu-system-x86_64, qemu-img, unshare,
# timeout, bc, python3. No KVM needed.
set -u -o pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${1:-$HERE/evidence}
DOM=instance-0000002a
STEP_TIMEOUT=${STEP_TIMEOUT:-60}        # bound for every single virsh/qemu-img step
MIGRATE_TIMEOUT=${MIGRATE_TIMEOUT:-180} # bound for the migration itself

die() { echo "capture.sh: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "must run as root (system libvirtd in its own mount namespace)"
for p in libvirtd virsh qemu-img qemu-system-x86_64 unshare mount timeout bc python3; do
    command -v "$p" >/dev/null 2>&1 || die "missing program '$p' (apt-get install -y libvirt-daemon-system libvirt-clients libvirt-daemon-driver-qemu qemu-system-x86 qemu-utils bc)"
done

WORK=$(mktemp -d /tmp/vmcase-lv-migr.XXXXXX) || die "mktemp failed"
chmod 755 "$WORK"           # qemu runs as libvirt-qemu and must reach the images
mkdir -p "$WORK"/{img,out}
declare -A DPID=() EVPID=()
sock() { echo "$WORK/$1/runroot/libvirt/libvirt-sock"; }
uri()  { echo "qemu:///system?socket=$(sock "$1")"; }

stop_daemon() {   # $1 = src|dst
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
        local e=${EVPID[$side]:-}
        [ -n "$e" ] && kill "$e" 2>/dev/null && wait "$e" 2>/dev/null
    done
    for side in src dst; do
        local pid=${DPID[$side]:-}
        if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
            timeout 20 virsh -c "$(uri $side)" destroy "$DOM" >/dev/null 2>&1
        fi
        # QEMU processes outlive libvirtd; kill any left behind (by pid file)
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

# ---------------------------------------------------------------- config ---
mkconf() {   # $1 = src|dst  $2 = host_uuid
    local d=$WORK/$1
    mkdir -p "$d"/{etc,runroot,lib,log,cache}
    cat > "$d/etc/libvirtd.conf" <<EOF
log_filters="1:qemu 1:libvirt 4:object 4:json 4:event 1:util"
log_outputs="1:file:/var/log/libvirt/libvirtd.log"
auth_unix_rw="none"
auth_unix_ro="none"
unix_sock_rw_perms="0700"
host_uuid="$2"
EOF
    # Only used to fill the QEMU capabilities cache before the real run.
    cat > "$d/etc/warmup.conf" <<EOF
log_level=3
log_outputs="3:file:/var/log/libvirt/warmup.log"
auth_unix_rw="none"
auth_unix_ro="none"
unix_sock_rw_perms="0700"
host_uuid="$2"
EOF
    # stdio_handler=file: domain log written by libvirtd itself (no virtlogd).
    # cgroup_controllers=[]: do not create /sys/fs/cgroup/*/machine on the host.
    cat > "$d/etc/qemu.conf" <<'EOF'
security_driver="none"
stdio_handler="file"
cgroup_controllers=[ ]
EOF
}
mkconf src 5d1c7a2e-8b0f-4c3a-9e61-0000000000a1
mkconf dst 5d1c7a2e-8b0f-4c3a-9e61-0000000000b2

start_daemon() {   # $1 = src|dst  $2 = config file name in its etc/
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
    die "$1 libvirtd did not answer on $s within 30 s"
}

CMDLOG=$WORK/virsh-commands.txt
run() {   # run [-t secs] cmd... -> "$ cmd", verbatim stdout+stderr, exit code, duration
    local t=$STEP_TIMEOUT t0 t1 rc
    if [ "$1" = -t ]; then t=$2; shift 2; fi
    printf '$ %s\n' "$*" >>"$CMDLOG"
    printf '# started %s\n' "$(date -u +%FT%T.%3NZ)" >>"$CMDLOG"
    t0=$(date +%s.%N)
    timeout "$t" "$@" >>"$CMDLOG" 2>&1
    rc=$?
    t1=$(date +%s.%N)
    printf '# exit %d after %.3f s\n\n' "$rc" "$(echo "$t1 - $t0" | bc)" >>"$CMDLOG"
    return $rc
}
save() {  # save FILE cmd... -> stdout to FILE, stderr + exit code into virsh-commands.txt
    local f=$1; shift
    printf '$ %s > %s\n' "$*" "$f" >>"$CMDLOG"
    timeout "$STEP_TIMEOUT" "$@" >"$WORK/out/$f" 2>>"$CMDLOG"
    local rc=$?
    printf '# exit %d\n\n' "$rc" >>"$CMDLOG"
    return $rc
}

echo "work dir $WORK"
T_START=$(date +%s)

# ------------------------------------------------------------- warm-up ---
for side in src dst; do
    start_daemon $side warmup.conf
    timeout 180 virsh -c "$(uri $side)" capabilities >/dev/null 2>&1 \
        || die "could not probe QEMU capabilities on $side"
    timeout 180 virsh -c "$(uri $side)" domcapabilities --virttype qemu >/dev/null 2>&1 \
        || die "could not probe QEMU domain capabilities on $side"
    stop_daemon $side
    rm -f "$WORK/$side/log/warmup.log"
done

# ------------------------------------------------------------- disks -----
timeout "$STEP_TIMEOUT" qemu-img create -q -f qcow2 "$WORK/img/disk0.qcow2" 64M || die "qemu-img failed"
timeout "$STEP_TIMEOUT" qemu-img create -q -f qcow2 "$WORK/img/disk1.qcow2" 64M || die "qemu-img failed"
chmod 755 "$WORK/img"

cat > "$WORK/out/domain-input.xml" <<EOF
<domain type='qemu'>
  <name>$DOM</name>
  <uuid>7a3c5e1e-2f4b-4c4e-9a51-00000000002a</uuid>
  <memory unit='MiB'>1024</memory>
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
start_daemon src libvirtd.conf
start_daemon dst libvirtd.conf
SRC=(virsh -c "$(uri src)")
DST=(virsh -c "$(uri dst)")
run "${SRC[@]}" version
# each daemon reports its own host_uuid (virsh 9.0 has no "capabilities --xpath")
run bash -c "virsh -c '$(uri src)' capabilities | grep -m1 '<uuid>'"
run bash -c "virsh -c '$(uri dst)' capabilities | grep -m1 '<uuid>'"
run "${SRC[@]}" define "$WORK/out/domain-input.xml" || die "define failed"
run "${SRC[@]}" start "$DOM" || die "start failed"
sleep 2     # let SeaBIOS run; the domain stays 'running' with nothing to boot
save src-domain-before.xml "${SRC[@]}" dumpxml "$DOM"

for side in src dst; do
    printf '$ %s\n' "virsh -c $(uri $side) event --all --loop --timestamp --timeout 25 (background, output in $side-events.txt)" >>"$CMDLOG"
    virsh -c "$(uri $side)" event --all --loop --timestamp --timeout 25 >"$WORK/out/$side-events.txt" 2>&1 &
    EVPID[$side]=$!
done
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
T_MIG0=$(date +%s.%N)
# --unsafe: both daemons share /tmp on one ext4, but libvirt cannot know that
# and refuses with "Unsafe migration: Migration without shared storage is unsafe".
# virsh migrate runs in the background (its output still goes to virsh-commands.txt, after its "$ …" line), so that
# domjobabort can be sent while it runs; the abort's own lines follow in the file once the migrate has ended.
printf '$ %s\n' "${SRC[*]} migrate --live --persistent --undefinesource --unsafe --verbose --bandwidth 1 $DOM $(uri dst) --migrateuri tcp://127.0.0.1:$PORT --listen-address 127.0.0.1" >>"$CMDLOG"
printf '# started %s\n' "$(date -u +%FT%T.%3NZ)" >>"$CMDLOG"
timeout "$MIGRATE_TIMEOUT" "${SRC[@]}" migrate --live --persistent --undefinesource --unsafe --verbose --bandwidth 1 \
    "$DOM" "$(uri dst)" --migrateuri "tcp://127.0.0.1:$PORT" --listen-address 127.0.0.1 >"$WORK/migrate-out.txt" 2>&1 &
MIG_PID=$!
# wait until libvirt reports the outgoing job running with data sent, then abort it
for _ in $(seq 1 100); do
    timeout 10 "${SRC[@]}" domjobinfo "$DOM" 2>/dev/null | grep -q '^Data processed: *[1-9]' && break
    sleep 0.2
done
sleep 1
ABORT_LOG=$WORK/abort.txt
run_abort() { printf '$ %s\n# started %s\n' "$*" "$(date -u +%FT%T.%3NZ)" >"$ABORT_LOG"; timeout "$STEP_TIMEOUT" "$@" >>"$ABORT_LOG" 2>&1; printf '# exit %d\n\n' "$?" >>"$ABORT_LOG"; }
run_abort "${SRC[@]}" domjobabort "$DOM"
wait $MIG_PID
MIG_RC=$?
T_MIG1=$(date +%s.%N)
cat "$WORK/migrate-out.txt" >>"$CMDLOG"
printf '\n# exit %d after %.3f s\n\n' "$MIG_RC" "$(echo "$T_MIG1 - $T_MIG0" | bc)" >>"$CMDLOG"
cat "$ABORT_LOG" >>"$CMDLOG"

run "${SRC[@]}" list --all
run "${DST[@]}" list --all
if [ $MIG_RC = 0 ]; then
    save dst-domain-after.xml "${DST[@]}" dumpxml "$DOM"
    save dst-qmp-query-migrate.json "${DST[@]}" qemu-monitor-command "$DOM" --pretty '{"execute":"query-migrate"}'
    run "${DST[@]}" domstate --reason "$DOM"
fi
for side in src dst; do wait "${EVPID[$side]}" 2>/dev/null; EVPID[$side]=""; done

if [ $MIG_RC = 0 ]; then
    run "${DST[@]}" destroy "$DOM"
    run "${DST[@]}" undefine "$DOM"
else
    run "${SRC[@]}" destroy "$DOM"
    run "${SRC[@]}" undefine "$DOM"
fi
stop_daemon src
stop_daemon dst
T_END=$(date +%s)

# ------------------------------------------------------------- collect ---
mkdir -p "$OUT"
rm -f "$OUT"/*
cp "$WORK/out/"* "$OUT/"
cp "$CMDLOG" "$OUT/virsh-commands.txt"
for side in src dst; do
    cp "$WORK/$side/log/libvirtd.log" "$OUT/$side-libvirtd.log"
    [ -f "$WORK/$side/log/qemu/$DOM.log" ] && cp "$WORK/$side/log/qemu/$DOM.log" "$OUT/$side-$DOM.log"
    cp "$WORK/$side/libvirtd-stderr.txt" "$OUT/$side-libvirtd-stderr.txt"
    cp "$WORK/$side/etc/libvirtd.conf" "$OUT/$side-libvirtd.conf"
done
cp "$WORK/src/etc/qemu.conf" "$OUT/qemu.conf"
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
    echo "migrate exit code: $MIG_RC"
    printf 'migrate duration: %.3f s\n' "$(echo "$T_MIG1 - $T_MIG0" | bc)"
    echo "whole capture: $((T_END - T_START)) s"
} >"$OUT/versions.txt"
echo "evidence written to $OUT (migrate exit code $MIG_RC)"
ls -l "$OUT"
exit 0

#!/usr/bin/env bash
# What QEMU writes when it cannot open /dev/kvm: run as a user outside the kvm group (nobody), once with KVM as its only
# accelerator (it exits: a start that fails) and once with TCG after it (it goes on: no failure), as a transcript of
# each command and everything QEMU wrote to stdout and stderr, with its exit status.
#
#   sudo ./capture.sh            # -> ./qemu-kvm-denied.txt
#   sudo ./capture.sh /tmp/out   # -> /tmp/out/qemu-kvm-denied.txt
#
# No guest runs (-S, -nodefaults, no disk): the accelerator is set up before anything else; "quit" sent on the QMP
# monitor (-qmp stdio) ends the run that goes on. Needs root (for runuser), a /dev/kvm the user nobody cannot open (root:kvm 0660),
# qemu-system-x86_64 and timeout.
set -u -o pipefail
OUT=${1:-$(cd "$(dirname "$0")" && pwd)}
F=$OUT/qemu-kvm-denied.txt
QMP='{"execute":"qmp_capabilities"}
{"execute":"quit"}'
[ "$(id -u)" = 0 ] || { echo "capture.sh: must run as root (runuser)" >&2; exit 1; }
{
    echo "# $(qemu-system-x86_64 --version | head -1)"
    echo "# $(ls -l /dev/kvm)"
    for accel in "-accel kvm" "-accel kvm -accel tcg"; do
        echo "\$ runuser -u nobody -- qemu-system-x86_64 -nodefaults -display none -S $accel -qmp stdio"
        echo "$QMP"
        echo "# QEMU wrote:"
        # shellcheck disable=SC2086
        echo "$QMP" | timeout 30 runuser -u nobody -- qemu-system-x86_64 -nodefaults -display none -S $accel \
            -qmp stdio 2>&1
        echo "# exit $?"
    done
} >"$F"
echo "written $F"

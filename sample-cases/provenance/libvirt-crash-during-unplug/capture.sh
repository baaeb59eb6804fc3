#!/usr/bin/env bash
# The "libvirt-pending-unplug" capture with QEMU dying in the middle of the unplug: while virsh detach-disk waits for
# the guest (libvirt's 5 s), QEMU is sent SIGSEGV one second after device_del, as a crash in the unplug path would end
# it. The crash is staged (a signal sent, no QEMU bug hit); what libvirt writes about it is real.
#
#   sudo ./capture.sh /tmp/out   # -> /tmp/out/ (kill.txt says when the signal went)
#
# Used for analysis/src/test/resources/dev/vmcase/analysis/rules/libvirt-9.0-crash-during-detach/ (its README).
HERE=$(cd "$(dirname "$0")" && pwd)
SEGV_AFTER=1 exec "$HERE/../libvirt-pending-unplug/capture.sh" "${1:-$HERE/evidence}"

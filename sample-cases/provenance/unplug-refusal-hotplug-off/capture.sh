#!/usr/bin/env bash
# What QEMU answers a device_del of a device behind a pcie-root-port created with hotplug=off, in both of q35's
# hotplug modes, as a QMP transcript (-qmp stdio: what was sent, then everything QEMU wrote).
#
#   ./capture.sh            # -> ./qmp-hotplug-off.txt
#   ./capture.sh /tmp/out   # -> /tmp/out/qmp-hotplug-off.txt
#
# Mode 1: the machine type's default (ACPI PCI hotplug on q35's root ports, pc-q35 from 6.1).
# Mode 2: native PCIe hotplug (-global ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off, the default of
#         machine types before pc-q35-6.1).
# Mode 3: machine type pc-q35-6.0 with its defaults (native PCIe hotplug, as before 6.1).
# No guest runs (-S): the refusal comes before anything reaches the guest. Needs qemu-system-x86_64 and timeout.
set -u -o pipefail
OUT=${1:-$(cd "$(dirname "$0")" && pwd)}
F=$OUT/qmp-hotplug-off.txt
QMP='{"execute":"qmp_capabilities"}
{"execute":"device_del","arguments":{"id":"n1"}}
{"execute":"quit"}'
{
    echo "# $(qemu-system-x86_64 --version | head -1)"
    for mode in acpi native pc-q35-6.0; do
        extra=(-M q35)
        [ $mode = native ] && extra=(-M q35 -global ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off)
        [ $mode = pc-q35-6.0 ] && extra=(-M pc-q35-6.0)
        echo "# mode: $mode"
        echo "\$ qemu-system-x86_64 -nodefaults -display none -S ${extra[*]} -device pcie-root-port,id=rp1,bus=pcie.0,chassis=1,hotplug=off -device virtio-net-pci,id=n1,bus=rp1 -qmp stdio"
        echo "$QMP"
        echo "# QEMU wrote:"
        echo "$QMP" | timeout 30 qemu-system-x86_64 -nodefaults -display none -S "${extra[@]}" \
            -device pcie-root-port,id=rp1,bus=pcie.0,chassis=1,hotplug=off -device virtio-net-pci,id=n1,bus=rp1 \
            -qmp stdio 2>&1
        echo "# exit $?"
    done
} >"$F"
echo "written $F"

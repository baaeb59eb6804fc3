/**
 * Readers of what the tools around QEMU and libvirt write about a device's removal — test harnesses (avocado-vt),
 * orchestrators (CloudStack's agent), virsh's error lines — recognised through the message catalogue's unplug classes
 * ({@link dev.vmcase.parsers.tools.UnplugLines}). Each tool words it its own way: the catalogue entry carries the
 * wording, the reader finds in the line the command, the device and the time. The host's records of a QEMU
 * process's death (the kernel's segfault line, systemd-coredump's) are read the same way, through the catalogue's crash
 * classes ({@link dev.vmcase.parsers.tools.CrashLines}).
 */
package dev.vmcase.parsers.tools;

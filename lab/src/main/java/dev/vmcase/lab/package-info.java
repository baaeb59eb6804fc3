/**
 * The reproduction lab: {@code vmcase lab SCENARIO --out DIR} drives real QEMU through a failure and captures the
 * evidence bundle in the formats engineers really have.
 * <pre>
 * LabCommand ──► LabRun (out dir, scratch dir, time limit, lab.txt) ──► Scenario.run
 *                   │ start / stop                    │ QMP                 │ guest I/O
 *                   ▼                                 ▼                     ▼
 *               QemuProcess ◄── stderr → NAME.log   QmpClient            QtestClient
 *               (shutdown hook)                      └── LineChannel (unix socket, verbatim transcript) ──┘
 * </pre>
 * The libvirt scenarios ({@link dev.vmcase.lab.LibvirtScenario}) drive private libvirtd instead of QEMU:
 * <pre>
 * LabRun ──► LibvirtScenario.run ──► VirshLog (virsh ..., virsh-commands.txt as capture.sh writes it)
 *   │ atClose                              │
 *   ▼                                      ▼
 * LibvirtDaemon (unshare -m; bind mounts over /etc/libvirt, /run, /var/{lib,cache,log}/libvirt; libvirtd)
 *   tearDown: virsh destroy → kill QEMU by pid file → SIGTERM/SIGKILL libvirtd; then LabRun sweeps every
 *   process whose command line names the scratch folder (libvirt daemonises QEMU: nobody's child)
 * </pre>
 */
package dev.vmcase.lab;

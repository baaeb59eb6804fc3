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
 */
package dev.vmcase.app.lab;

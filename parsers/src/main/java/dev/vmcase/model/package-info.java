/**
 * The evidence model: immutable records produced by the parsers and read by the analysis.
 *
 * <pre>
 *  Artifact (sha256, path, format, host, role, problems)
 *     |  every record points back to its lines through a SourceRef (artifact sha256 + line + text)
 *     +-- Event            a timestamped (or untimed) line: QEMU message, libvirt banner, migration error
 *     +-- QmpMessage       greeting / command / return / error / event, with its QMP id
 *     +-- DeviceObservation one device as one layer sees it (libvirt XML, cmdline, qdev, PCI, block, migration)
 *     +-- Backtrace        threads of frames, args as name/value pairs
 *  Finding               a rule's conclusion, citing SourceRefs
 * </pre>
 *
 * Everything a user can annotate has an id derived from content ({@link dev.vmcase.model.Ids}), never from
 * load order, so annotations survive reloading and re-parsing.
 */
package dev.vmcase.model;

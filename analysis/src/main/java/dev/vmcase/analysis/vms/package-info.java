/**
 * Which VM each piece of evidence speaks for: every device row, finding and rule outcome belongs to one VM.
 * <pre>
 *  claims:  Artifact.guest (domain log -name, XML name/uuid, QMP query-name, sos path)
 *           record guests  (nova [instance: UUID], libvirtd mon= ↔ name=)
 *      │  union by shared name or UUID
 *      ▼
 *  Vm (names, uuids) ── VmIndex: record → Vm
 *      ▲
 *  files that name no VM: the VM their folder's files name (nearest folder that names any);
 *  several there → Unattributed, in no VM's rows
 * </pre>
 * When no file names any VM, everything is one {@linkplain dev.vmcase.analysis.vms.Vm#unnamed() unnamed} VM.
 */
package dev.vmcase.analysis.vms;

package dev.vmcase.analysis.vms;

import dev.vmcase.model.Artifact;

/**
 * Evidence of an artifact that belongs to no VM: it names none, and its neighbours name several (or none), so it is
 * kept out of every VM's rows and listed instead of being guessed.
 *
 * @param artifact the artifact
 * @param records  how many of its records (events, QMP messages, device observations, backtraces) that is
 * @param reason   why: {@link Reason}
 * @param folder   the folder whose files name several VMs ({@link Reason#NEIGHBOURS_NAME_SEVERAL}), else null
 * @param vms      how many VMs that folder's files (or the artifact itself) name
 */
public record Unattributed(Artifact artifact, int records, Reason reason, String folder, int vms) {
    /** Why a piece of evidence has no VM. */
    public enum Reason {
        /** It names none, and the files beside it name several. */
        NEIGHBOURS_NAME_SEVERAL,
        /** It names none, and nothing near it names one. */
        NO_VM_NEAR,
        /** Its file speaks for several VMs, and these records name none of them. */
        FILE_NAMES_SEVERAL;

        public String jsonName() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }
}

/**
 * The device-tree diff (docs/architecture.md, "Identity"): two views of the devices side by side — source against destination, or one
 * layer against another — matched by identity, with per-layer presence, the orphaned frontend and its reason, and
 * a property-level diff that keeps every value's evidence lines. {@link dev.vmcase.analysis.diff.DeviceDiff} is the
 * entry point; no toolkit here.
 */
package dev.vmcase.analysis.diff;

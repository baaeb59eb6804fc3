/**
 * Pure analysis over the evidence model: device reconciliation, diagnosis rules, call-chain hints.
 *
 * <pre>
 *  Evidence ──► DeviceReconciler ──► DeviceTable (rows per side, per-layer presence)
 *      │                                  │
 *      └──────────────► RuleContext ◄─────┘ ──► Rule.evaluate ──► Finding (cites SourceRefs)
 *  Backtrace ──► FrameHints (port 0xae08, slot bitmaps) ──► linked to the row of that slot
 * </pre>
 * Nothing here does I/O, reads a clock or touches JavaFX.
 */
package dev.vmcase.analysis;

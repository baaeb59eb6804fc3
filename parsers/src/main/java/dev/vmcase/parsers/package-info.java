/**
 * Format sniffing, the parser contract and the ingest of files and directories.
 *
 * <pre>
 *  Ingest ── walk ── read bytes (sha256, binary check) ── Head ── ParserRegistry.detect ── parser.parse(TextSource, sink)
 *                                                                      │ none claims it
 *                                                                      └─ EmbeddedEvidenceParser (evidence inside prose)
 * </pre>
 */
package dev.vmcase.parsers;

/**
 * The ingest of files, directories and archives, and the registry of format parsers.
 *
 * <pre>
 *  Ingest ── walk ── read bytes (sha256, binary check) ── Head ── ParserRegistry.detect ── parser.parse(TextSource, sink)
 *    │                                                                 │ none claims it
 *    └─ ArchiveReader (tar/zip/gz/xz/bz2, nested; IngestOptions        └─ EmbeddedEvidenceParser (evidence inside prose)
 *       budgets; Sosreport host and cut logs; ArchiveMembers)
 * </pre>
 * Sits above the format packages ({@code dev.vmcase.parsers.*}), which know only the contract in
 * {@code dev.vmcase.parsers}; {@link dev.vmcase.parsers.ingest.Attribution} applies the user's host and role overrides.
 */
package dev.vmcase.parsers.ingest;

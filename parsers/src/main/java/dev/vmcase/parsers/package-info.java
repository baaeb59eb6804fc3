/**
 * The parser contract (SPI): what every format parser implements and receives. {@link dev.vmcase.parsers.EvidenceParser}
 * and {@link dev.vmcase.parsers.FormatParser} (format id, sample, sniffing on a {@link dev.vmcase.parsers.Head}),
 * {@link dev.vmcase.parsers.TextSource} with its {@link dev.vmcase.parsers.LineReader} and
 * {@link dev.vmcase.parsers.ByteLineReader}, the {@link dev.vmcase.parsers.EvidenceSink} a parser writes its records
 * and problems to, and {@link dev.vmcase.parsers.ProgressMonitor}. The format parsers live in sub-packages and depend
 * on this package only; which parsers exist and how files reach them is {@link dev.vmcase.parsers.ingest}'s business,
 * so this package names no parser.
 */
package dev.vmcase.parsers;

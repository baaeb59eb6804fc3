package dev.vmcase.parsers;

/**
 * One input format. Implementations are stateless; one file plus one line in {@link ParserRegistry}.
 * <p>
 * {@link #recognizes(Head)} decides "mine or not" from content alone (never the file name);
 * {@link #parse(TextSource, EvidenceSink)} is lenient: what it cannot read becomes a problem with a line number.
 */
public interface EvidenceParser {
    /** Stable format id, shown to users and written to JSON ({@code gdb-backtrace}). */
    String format();

    /** A short realistic sample of the format; the contract test checks it is recognised by this parser only. */
    String sample();

    /** Content sniffing over the first lines of a file. */
    boolean recognizes(Head head);

    /** Parses the whole source, streaming, into the sink. Must not throw on bad input. */
    void parse(TextSource source, EvidenceSink sink);

    /**
     * The first of {@code parsers} that recognises {@code head}, asked in order. A sniffer that throws (or overflows
     * its stack, told as an {@link IllegalStateException} around the error) does not claim it; {@code crashed} hears
     * which one and why, so that a detector's bug is seen rather than a silent "not mine".
     */
    static java.util.Optional<EvidenceParser> firstRecognising(java.util.List<EvidenceParser> parsers, Head head,
            java.util.function.BiConsumer<EvidenceParser, RuntimeException> crashed) {
        for (EvidenceParser p : parsers) {
            try {
                if (p.recognizes(head)) {
                    return java.util.Optional.of(p);
                }
            } catch (RuntimeException e) {
                crashed.accept(p, e);
            } catch (StackOverflowError e) {
                // a sniffer whose pattern overflowed the stack on a long line: it does not claim the text either
                crashed.accept(p, new IllegalStateException(e.toString(), e));
            }
        }
        return java.util.Optional.empty();
    }
}

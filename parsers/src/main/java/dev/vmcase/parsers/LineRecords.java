package dev.vmcase.parsers;

/**
 * A format whose records can be told one line at a time, so that they are found inside other text: a ticket, a mail
 * or a chat that quotes a few records among prose ({@link dev.vmcase.parsers.text.EmbeddedEvidenceParser}). A parser
 * that implements it gets each run of its records (with their continuation lines) handed over as a region of its
 * own, read by its {@link EvidenceParser#parse}; a parser that does not is still found when a block of text (between
 * blank lines, inside a code fence or a quote) is its form as a whole ({@link EvidenceParser#recognizes}).
 * <p>
 * Both methods see a line without quote markers and without the indentation the whole paste carries; they must be
 * cheap and linear: they are asked about every line of a pasted file.
 */
public interface LineRecords {
    /** Whether this line begins a record of the format, e.g. {@code 2020-09-07 19:30:14.165+0000: 65559: debug : …}. */
    boolean startsRecord(String line);

    /**
     * Whether this line, which begins no record, goes on with the record before it. By default a line indented
     * further than the records is a continuation (libvirtd's {@code " fd=-1"}); prose at the records' margin is not.
     */
    default boolean continuesRecord(String line) {
        return !line.isEmpty() && Character.isWhitespace(line.charAt(0));
    }
}

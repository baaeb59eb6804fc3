package dev.vmcase.parsers;

/**
 * A format parser whose detector has a bug: it throws on every head shorter than 100 lines. For the tests that a
 * crashing detector claims nothing, is reported, and leaves the other formats their turn.
 */
public final class BrokenDetector implements EvidenceParser {
    public static final String FORMAT = "broken-format";

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public String sample() {
        return "";
    }

    @Override
    public boolean recognizes(Head head) {
        return head.lines().get(99).isEmpty(); // IndexOutOfBoundsException on a short head
    }

    @Override
    public void parse(TextSource source, EvidenceSink sink) {
        throw new AssertionError("never chosen");
    }
}

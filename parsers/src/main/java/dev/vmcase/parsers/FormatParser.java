package dev.vmcase.parsers;

/** Base of the parsers: holds the format id and the sample so each parser states them once, in its constructor. */
public abstract class FormatParser implements EvidenceParser {
    private final String format;
    private final String sample;

    protected FormatParser(String format, String sample) {
        this.format = format;
        this.sample = sample;
    }

    @Override
    public final String format() {
        return format;
    }

    @Override
    public final String sample() {
        return sample;
    }
}

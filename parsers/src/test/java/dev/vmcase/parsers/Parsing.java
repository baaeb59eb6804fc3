package dev.vmcase.parsers;

/** Test helper: one parser over a text, as if it were a file of that name. */
public final class Parsing {
    private Parsing() {
    }

    public static EvidenceSink parse(EvidenceParser parser, String name, String text) {
        TextSource src = TextSource.ofText(name, text);
        EvidenceSink sink = EvidenceSink.forSource(src);
        parser.parse(src, sink);
        sink.finish(); // as the ingest does: which VM each record speaks for
        return sink;
    }
}

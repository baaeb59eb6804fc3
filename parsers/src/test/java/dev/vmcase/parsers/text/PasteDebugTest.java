package dev.vmcase.parsers.text;

import dev.vmcase.parsers.EvidenceSink;
import dev.vmcase.parsers.LineReader;
import dev.vmcase.parsers.TextSource;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

class PasteDebugTest {
    @Test
    void dump() throws Exception {
        String f = System.getProperty("pfile");
        if (f == null) return;
        TextSource src = TextSource.of(Path.of(f), "x");
        EvidenceSink sink = EvidenceSink.forSource(src);
        if (Boolean.getBoolean("plines")) {
            try (LineReader lr = src.lines()) {
                PasteNormaliser n = PasteNormaliser.of(src, lr, sink, new Formats(dev.vmcase.parsers.ingest.ParserRegistry.formats()));
                System.out.println("WIDTH " + n.width());
                PasteNormaliser.PastedLine p;
                while ((p = n.next()) != null) {
                    System.out.println(p.first() + "-" + p.last() + " d" + p.depth() + " c" + p.container() + (p.boundary() ? " B" : "") + " |" + p.text());
                }
            }
        }
        dev.vmcase.parsers.ingest.ParserRegistry.fallback().parse(src, sink);
        sink.events().forEach(e -> System.out.println("EVENT " + e.source().line() + " " + e.kind() + " " + e.details() + " | " + e.source().text()));
        sink.qmpMessages().forEach(e -> System.out.println("QMP " + e.source().line() + " " + e.kind() + " " + e.name() + " " + e.arguments()));
        sink.observations().forEach(e -> System.out.println("OBS " + e.source().line() + " " + e.layer() + " " + e.id() + " " + e.type() + " " + e.pci() + " " + e.backend()));
        sink.backtraces().forEach(e -> System.out.println("BT " + e.source().line() + " frames=" + e.threads().stream().mapToInt(t -> t.frames().size()).sum()));
        sink.problems().forEach(e -> System.out.println("PROBLEM " + e));
    }
}

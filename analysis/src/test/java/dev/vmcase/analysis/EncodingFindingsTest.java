package dev.vmcase.analysis;

import dev.vmcase.model.Artifact;
import dev.vmcase.model.Evidence;
import dev.vmcase.parsers.ingest.Ingest;
import dev.vmcase.parsers.ProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Evidence saved with a byte-order mark (UTF-8 as Notepad writes it, UTF-16 as Windows copies do) is recognised by
 * the same parsers and gives the same findings as the plain files; a Latin-1 line keeps its words and is named in a
 * problem (issue 19, item 4). Every sample case's evidence is re-encoded here.
 */
class EncodingFindingsTest {
    static final Path CASES = Path.of("../sample-cases");

    @TempDir
    Path tmp;

    static List<Path> sampleEvidence() throws IOException {
        try (Stream<Path> s = Files.list(CASES)) {
            return s.map(p -> p.resolve("evidence")).filter(Files::isDirectory).sorted().toList();
        }
    }

    static List<String> findings(AnalysisResult r) {
        return r.findings().stream().map(f -> f.rule() + " " + f.devices() + " " + f.evidence().size()).sorted()
                .toList();
    }

    static Map<String, String> formats(Evidence e, Path root) {
        return e.artifacts().stream().collect(Collectors.toMap(a -> root.relativize(Path.of(a.path())).toString(),
                Artifact::format, (a, b) -> a));
    }

    /** The folder with every file re-encoded: {@code bom} first, then the text in {@code cs}. */
    Path reencoded(Path evidence, String label, byte[] bom, Charset cs) throws IOException {
        Path out = Files.createDirectories(tmp.resolve(label).resolve(evidence.getParent().getFileName()));
        try (Stream<Path> s = Files.walk(evidence)) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                Files.createDirectories(out.resolve(evidence.relativize(f)).getParent());
                byte[] raw = Files.readAllBytes(f);
                String text;
                try {
                    text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(raw)).toString();
                } catch (java.nio.charset.CharacterCodingException notText) {
                    // a compressed log (libvirt-probe's libvirtd.log.xz) is no text to re-encode: copied as it is
                    Files.write(out.resolve(evidence.relativize(f)), raw);
                    continue;
                }
                byte[] body = text.getBytes(cs);
                byte[] all = new byte[bom.length + body.length];
                System.arraycopy(bom, 0, all, 0, bom.length);
                System.arraycopy(body, 0, all, bom.length, body.length);
                Files.write(out.resolve(evidence.relativize(f)), all);
            }
        }
        return out;
    }

    @Test
    void byteOrderMarksChangeNoFormatAndNoFinding() throws IOException {
        List<Path> cases = sampleEvidence();
        assertTrue(cases.size() >= 5);
        Object[][] encodings = {
                {"utf8-bom", new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}, StandardCharsets.UTF_8},
                {"utf16le-bom", new byte[] {(byte) 0xff, (byte) 0xfe}, StandardCharsets.UTF_16LE},
                {"utf16be-bom", new byte[] {(byte) 0xfe, (byte) 0xff}, StandardCharsets.UTF_16BE}};
        for (Path ev : cases) {
            Evidence plain = Ingest.load(List.of(ev), ProgressMonitor.NONE);
            AnalysisResult expected = Analysis.run(plain);
            for (Object[] enc : encodings) {
                Path copy = reencoded(ev, (String) enc[0], (byte[]) enc[1], (Charset) enc[2]);
                Evidence e = Ingest.load(List.of(copy), ProgressMonitor.NONE);
                String what = enc[0] + " " + ev;
                assertEquals(formats(plain, ev), formats(e, copy), what);
                assertEquals(findings(expected), findings(Analysis.run(e)), what);
                assertEquals(plain.events().size(), e.events().size(), what);
                assertEquals(plain.qmp().size(), e.qmp().size(), what);
                assertEquals(plain.observations().size(), e.observations().size(), what);
            }
        }
    }

    @Test
    void aLatin1LineKeepsItsWordsAndIsNamed() throws IOException {
        Path real = CASES.resolve("orphaned-disk-qemu/evidence/destination-qemu.log");
        List<String> lines = Files.readAllLines(real, StandardCharsets.UTF_8);
        // a Latin-1 mail quoting the log: a prose line of ours in ISO-8859-1 between real log lines
        String prose = "Grüße aus Zürich: the destination refused the migration, voilà";
        int at = 1;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            if (i == at) {
                sb.append(prose).append('\n');
            }
            sb.append(lines.get(i)).append('\n');
        }
        Path mail = tmp.resolve("mail.txt");
        Files.write(mail, sb.toString().getBytes(StandardCharsets.ISO_8859_1));
        Evidence e = Ingest.load(List.of(mail), ProgressMonitor.NONE);
        Evidence plain = Ingest.load(List.of(real), ProgressMonitor.NONE);
        Artifact a = e.artifacts().get(0);
        assertEquals(plain.artifacts().get(0).format(), a.format());
        assertTrue(a.problems().stream().anyMatch(p -> p.line() == at + 1 && p.message().contains("not valid UTF-8")
                && p.message().contains("Latin-1")), a.problems()::toString);
        assertEquals(findings(Analysis.run(plain)), findings(Analysis.run(e)));
        assertFalse(findings(Analysis.run(e)).isEmpty());
        assertTrue(e.events().stream().anyMatch(x -> x.source().text().equals(prose)),
                "the Latin-1 line is read with its words");
        assertFalse(e.events().stream().anyMatch(x -> x.source().text().contains("\uFFFD")));
    }
}

package dev.vmcase.casefile;

import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.model.Timeline;
import dev.vmcase.parsers.ProgressMonitor;
import dev.vmcase.parsers.nova.NovaLogParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A case keeps each host's time zone beside its clock offsets, and its analysis places the host's local times. */
class CaseTimeZonesTest {
    @TempDir
    Path tmp;

    private CaseFile novaCase() throws Exception {
        Path nova = tmp.resolve("evidence/nova-compute.log");
        Files.createDirectories(nova.getParent());
        Files.writeString(nova, NovaLogParser.SAMPLE);
        return CaseFile.fromInputs(List.of(nova.getParent()));
    }

    private static Timeline.Local local(AnalysisResult r) {
        return r.evidence().timeline().locals().get(0);
    }

    @Test
    void zonesSurviveSaveAndOpenAndPlaceTheLines() throws Exception {
        CaseFile c = novaCase();
        assertFalse(local(CaseAnalysis.run(c, ProgressMonitor.NONE)).placed());
        c = c.withNotes(c.notes().withTimeZones(Map.of("*", "Europe/Paris")));
        Path file = tmp.resolve("zones.vmcase");
        CaseIO.save(c, file);
        OpenedCase o = CaseIO.open(file, tmp.resolve("work"));
        assertEquals(Map.of("*", "Europe/Paris"), o.file().notes().timeZones());
        Timeline.Local l = local(CaseAnalysis.run(o.file(), ProgressMonitor.NONE));
        assertTrue(l.placed());
        assertEquals("Europe/Paris", l.zone());
        assertEquals("user", l.zoneSource());
    }

    @Test
    void aCaseWrittenBeforeZonesOpensWithNone() throws Exception {
        Path file = tmp.resolve("old.vmcase");
        CaseIO.save(novaCase(), file);
        // rewrite the manifest as an older vmcase wrote it: no "timeZones" member at all
        Path old = tmp.resolve("older.vmcase");
        try (ZipFile z = new ZipFile(file.toFile()); OutputStream os = Files.newOutputStream(old);
             ZipOutputStream out = new ZipOutputStream(os)) {
            for (var e : java.util.Collections.list(z.entries())) {
                byte[] b = z.getInputStream(e).readAllBytes();
                if (e.getName().equals(CaseIO.MANIFEST)) {
                    String m = new String(b, StandardCharsets.UTF_8);
                    String stripped = m.replaceAll(",\\s*\"timeZones\"\\s*:\\s*\\{[^}]*\\}", "");
                    assertFalse(stripped.contains("timeZones"), m);
                    b = stripped.getBytes(StandardCharsets.UTF_8);
                }
                out.putNextEntry(new ZipEntry(e.getName()));
                out.write(b);
                out.closeEntry();
            }
        }
        OpenedCase o = CaseIO.open(old, tmp.resolve("work2"));
        assertEquals(Map.of(), o.file().notes().timeZones());
    }

    @Test
    void aHandEditedZoneThatIsNoneIsLeftOutAndTheRestKept() {
        var clocks = CaseAnalysis.clocks(Map.of("cmp-17", "Mars/Olympus", "cmp-18", "UTC"));
        assertEquals(Map.of("cmp-18", "UTC"), clocks.specs());
    }

    @Test
    void theSessionRefusesWhatIsNotAZone() throws Exception {
        CaseSession s = new CaseSession(tmp.resolve("sessions"));
        Files.writeString(tmp.resolve("n.log"), NovaLogParser.SAMPLE);
        s.newCase(List.of(tmp.resolve("n.log")));
        assertThrows(IllegalArgumentException.class, () -> s.setTimeZone("cmp-17", "CST"));
        s.setTimeZone("cmp-17", "Asia/Shanghai@2023");
        assertEquals(Map.of("cmp-17", "Asia/Shanghai@2023"), s.notes().timeZones());
        s.setTimeZone("cmp-17", " ");
        assertEquals(Map.of(), s.notes().timeZones());
    }
}

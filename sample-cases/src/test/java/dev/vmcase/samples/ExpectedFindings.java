package dev.vmcase.samples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.model.Finding;
import dev.vmcase.model.SourceRef;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The expected findings of a sample case, as {@code expected-findings.json}: per finding its VM (where the evidence
 * names several), rule, devices, the key details and the evidence lines as {@code file:line}, relative to the case's evidence folder. Produced by running
 * the analysis ({@code -Dvmcase.writeExpected=true}) and then checked by hand against the evidence; never edited to
 * make a test pass.
 */
final class ExpectedFindings {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Details that say what a finding concluded; other details (line counters) may move when evidence is recaptured. */
    private static final java.util.Set<String> KEY_DETAILS = java.util.Set.of("device", "backend", "pci", "slot", "idstr",
            "vmsd", "short-root-bus", "bridge", "source-device", "destination-has-device", "reasons", "source-status",
            "command", "reason", "still-in-libvirt-xml", "witness", "ended-by");

    private ExpectedFindings() {
    }

    static JsonNode of(AnalysisResult r, Path evidenceDir) {
        ArrayNode out = MAPPER.createArrayNode();
        // which VM a finding is about matters once the evidence names several (the cases of one VM keep their files)
        boolean manyVms = r.vms().size() > 1;
        for (Finding f : r.findings()) {
            ObjectNode n = out.addObject();
            if (manyVms) {
                n.put("vm", f.vm());
            }
            n.put("rule", f.rule());
            n.put("severity", f.severity().jsonName());
            ArrayNode devices = n.putArray("devices");
            f.devices().forEach(devices::add);
            ObjectNode details = n.putObject("details");
            Map<String, String> sorted = new TreeMap<>(f.details());
            sorted.forEach((k, v) -> {
                if (KEY_DETAILS.contains(k)) {
                    details.put(k, v);
                }
            });
            ArrayNode evidence = n.putArray("evidence");
            for (SourceRef s : f.evidence()) {
                evidence.add(evidenceDir.toAbsolutePath().normalize()
                        .relativize(Path.of(s.path()).toAbsolutePath().normalize()) + ":" + s.line());
            }
        }
        return out;
    }

    static JsonNode read(Path file) throws IOException {
        return MAPPER.readTree(file.toFile());
    }

    static void write(JsonNode n, Path file) throws IOException {
        Files.writeString(file, MAPPER.writeValueAsString(n) + "\n");
    }
}

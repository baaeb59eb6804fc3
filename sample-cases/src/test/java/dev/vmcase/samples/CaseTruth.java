package dev.vmcase.samples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A public corpus case's {@code truth.json}: the findings a correct tool gives on the case's evidence, derived by hand
 * from the source's root cause (never from vmcase's output).
 *
 * <pre>
 * { "sources": ["https://…"], "class": "migration/device-missing-on-destination", "vm": "instance-00000a1f",
 *   "must-fire": [ { "rule": "MIGRATION_STATE_MISMATCH", "failure-class": "…", "device": "…", "pci": "0000:00:06.0",
 *                    "slot": 6, "known-bug": "https://…", "details": {"during": "runtime"},
 *                    "cites": ["evidence/comment-3.txt:42"] } ],
 *   "may-fire": ["MIGRATION_FAILED"], "notes": "…" }
 * </pre>
 *
 * @param sources  public addresses the evidence comes from
 * @param caseClass the failure class the case stands for ({@code migration/…}, {@code unplug/…}, {@code control/…})
 * @param vm       the VM the evidence names, or null (recorded for readers; findings carry no VM detail to check yet)
 * @param mustFire findings that must be present
 * @param mayFire  rules whose findings are right but not required; any other rule must not fire
 * @param notes    why each must / must not
 */
record CaseTruth(List<String> sources, String caseClass, String vm, List<Expected> mustFire, Set<String> mayFire,
                 String notes) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Keys a truth file may hold; anything else is a typo that would silently weaken the check. */
    private static final Set<String> TOP_KEYS = Set.of("sources", "class", "vm", "must-fire", "may-fire", "notes");
    private static final Set<String> EXPECTED_KEYS = Set.of("rule", "failure-class", "device", "pci", "slot",
            "known-bug", "details", "cites");

    /**
     * One finding that must fire. Null fields are not checked.
     *
     * @param details other details the finding must carry with these values ({@code "during": "runtime"})
     * @param cites   lines that show the cause, {@code evidence/FILE:LINE} relative to the case folder, 1-based
     */
    record Expected(String rule, String failureClass, String device, String pci, Integer slot, String knownBug,
                    Map<String, String> details, List<String> cites) {
    }

    static CaseTruth read(Path file) throws IOException {
        JsonNode n = MAPPER.readTree(file.toFile());
        unknownKeys(n, TOP_KEYS, file.toString());
        List<Expected> must = new ArrayList<>();
        for (JsonNode e : n.path("must-fire")) {
            unknownKeys(e, EXPECTED_KEYS, file + " must-fire");
            List<String> cites = new ArrayList<>();
            e.path("cites").forEach(c -> cites.add(c.asText()));
            Map<String, String> details = new TreeMap<>();
            e.path("details").fields().forEachRemaining(d -> details.put(d.getKey(), d.getValue().asText()));
            must.add(new Expected(text(e, "rule"), text(e, "failure-class"), text(e, "device"), text(e, "pci"),
                    e.hasNonNull("slot") ? e.get("slot").asInt() : null, text(e, "known-bug"), Map.copyOf(details),
                    List.copyOf(cites)));
        }
        Set<String> may = new LinkedHashSet<>();
        n.path("may-fire").forEach(m -> may.add(m.asText()));
        List<String> sources = new ArrayList<>();
        n.path("sources").forEach(s -> sources.add(s.asText()));
        return new CaseTruth(List.copyOf(sources), text(n, "class"), text(n, "vm"), List.copyOf(must), Set.copyOf(may),
                text(n, "notes"));
    }

    private static String text(JsonNode n, String key) {
        return n.hasNonNull(key) ? n.get(key).asText() : null;
    }

    private static void unknownKeys(JsonNode n, Set<String> allowed, String where) throws IOException {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!allowed.contains(k)) {
                throw new IOException(where + ": unknown key '" + k + "' (allowed: " + allowed + ")");
            }
        }
    }
}

package dev.vmcase.analysis;

import dev.vmcase.model.Artifact;
import dev.vmcase.model.Evidence;
import dev.vmcase.model.Finding;
import dev.vmcase.model.SourceRef;
import dev.vmcase.parsers.text.EmbeddedEvidenceParser;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Prose is a witness, not a log: a finding that rests only on lines pasted into a note (a ticket, a mail, a chat
 * export: artifacts read as {@link EmbeddedEvidenceParser#FORMAT}) says so, in its details ({@value #DETAIL} =
 * {@value #PASTED_NOTE}) and in a sentence after its summary. The lines may have been shortened, re-ordered or
 * mixed from several runs by whoever pasted them; a finding that also cites a log itself is not marked.
 */
public final class Witness {
    /** Detail key saying what kind of evidence a finding rests on, when it is weaker than a log. */
    public static final String DETAIL = "witness";
    /** {@link #DETAIL} value: every line the finding cites comes from a pasted note. */
    public static final String PASTED_NOTE = "pasted-note";
    static final String NOTE_KEY = "note_pasted_note";

    private Witness() {
    }

    /** Whether the finding rests only on pasted notes. */
    public static boolean fromPastedNote(Finding f) {
        return PASTED_NOTE.equals(f.details().get(DETAIL));
    }

    /** The findings, those that cite only pasted notes marked so. */
    static List<Finding> mark(List<Finding> findings, Evidence evidence) {
        Map<String, Artifact> bySha = new HashMap<>();
        for (Artifact a : evidence.artifacts()) {
            bySha.putIfAbsent(a.sha256(), a);
        }
        List<Finding> out = new ArrayList<>(findings.size());
        for (Finding f : findings) {
            out.add(restsOnNotesOnly(f, bySha) ? marked(f) : f);
        }
        return out;
    }

    private static boolean restsOnNotesOnly(Finding f, Map<String, Artifact> bySha) {
        if (f.evidence().isEmpty()) {
            return false;
        }
        for (SourceRef r : f.evidence()) {
            Artifact a = bySha.get(r.artifact());
            if (a == null || !EmbeddedEvidenceParser.FORMAT.equals(a.format())) {
                return false;
            }
        }
        return true;
    }

    private static Finding marked(Finding f) {
        Set<String> notes = new LinkedHashSet<>();
        for (SourceRef r : f.evidence()) {
            notes.add(fileName(r.path()));
        }
        Map<String, String> details = new LinkedHashMap<>(f.details());
        details.put(DETAIL, PASTED_NOTE);
        details.merge(FindingText.NOTES, NOTE_KEY + "|" + String.join(", ", notes), (a, b) -> a + "\n" + b);
        return new Finding(f.rule(), f.severity(), f.devices(), f.evidence(), f.messageKey(), f.messageArgs(), details,
                f.vm());
    }

    /** The last name of a path ({@code …/b.tar.gz!/var/log/x.log} → {@code x.log}). */
    private static String fileName(String path) {
        return path.substring(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
    }
}

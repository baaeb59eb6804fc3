package dev.vmcase.analysis.timeline;

import dev.vmcase.analysis.rules.BackendRemovedBeforeFrontendRule;
import dev.vmcase.analysis.rules.RuleContext;
import dev.vmcase.analysis.rules.Unplugs;
import dev.vmcase.model.Event;
import dev.vmcase.model.EventKind;
import dev.vmcase.model.Evidence;
import dev.vmcase.model.Finding;
import dev.vmcase.model.QmpKind;
import dev.vmcase.model.QmpMessage;
import dev.vmcase.model.SourceRef;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The correlations the timeline draws and the findings it marks: a QMP command to its reply (a backend removal
 * marked as harmful), {@code device_del} to its {@code DEVICE_DELETED} (or pending to the end of the evidence), a
 * migration to its end, the destination's load failure to the migration that caused it; each finding at each of its
 * evidence lines.
 */
final class TimelineSpans {
    /** Where a line is on the timeline (raw times), or null. */
    @FunctionalInterface
    interface Locator {
        Hit locate(String sha256, int line);
    }

    private TimelineSpans() {
    }

    /** @param end the raw time of the last event: where pending spans stop */
    static List<Span> spans(Evidence evidence, Map<String, List<QmpMessage>> conversations,
                            List<Unplugs.Unplug> unplugs, Locator at, long end) {
        List<Span> out = new ArrayList<>();
        Set<QmpMessage> unplugCommands = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Unplugs.Unplug u : unplugs) {
            Hit s = at.locate(u.command().source().artifact(), u.command().source().line());
            if (s == null || u.refused()) {
                continue;
            }
            unplugCommands.add(u.command());
            String label = "device_del " + u.deviceId();
            if (u.ack() != null) {
                Hit e = at.locate(u.ack().source().artifact(), u.ack().source().line());
                if (e != null) {
                    out.add(new Span(Span.Kind.UNPLUG, s.lane(), s.micros(), u.command().source(), e.lane(), e.micros(),
                            u.ack().source(), false, label, false));
                    continue;
                }
            }
            out.add(new Span(Span.Kind.UNPLUG, s.lane(), s.micros(), u.command().source(), s.lane(),
                    Math.max(end, s.micros()), null, true, label, false));
        }
        List<Span> migrationStarts = new ArrayList<>();
        for (List<QmpMessage> conv : conversations.values()) {
            for (int k = 0; k < conv.size(); k++) {
                QmpMessage m = conv.get(k);
                if (m.kind() != QmpKind.COMMAND) {
                    continue;
                }
                Hit s = at.locate(m.source().artifact(), m.source().line());
                if (s == null) {
                    continue;
                }
                String name = RuleContext.hmpCommand(m) != null ? RuleContext.hmpCommand(m).strip() : m.name();
                if (!unplugCommands.contains(m)) {
                    QmpMessage answer = RuleContext.answerTo(conv, m);
                    Hit e = answer == null ? null : at.locate(answer.source().artifact(), answer.source().line());
                    if (e != null) {
                        out.add(new Span(Span.Kind.COMMAND_REPLY, s.lane(), s.micros(), m.source(), e.lane(),
                                e.micros(), answer.source(), false, name,
                                BackendRemovedBeforeFrontendRule.backendRemoval(m).isPresent()));
                    }
                }
                if ("migrate".equals(m.name()) || "migrate-incoming".equals(m.name())) {
                    Span sp = migration(conv, k, s, at, end);
                    out.add(sp);
                    if ("migrate".equals(m.name())) {
                        migrationStarts.add(sp);
                    }
                }
            }
        }
        // the destination's verdict, joined to the latest outgoing migration started before it
        for (Event ev : evidence.events()) {
            if (ev.kind() != EventKind.MIGRATION_LOAD_FAILED) {
                continue;
            }
            Hit e = at.locate(ev.source().artifact(), ev.source().line());
            if (e == null) {
                continue;
            }
            Span start = null;
            for (Span s : migrationStarts) {
                if (s.start() <= e.micros() && (start == null || s.start() > start.start())) {
                    start = s;
                }
            }
            if (start != null) {
                out.add(new Span(Span.Kind.MIGRATION, start.startLane(), start.start(), start.startRef(), e.lane(),
                        e.micros(), ev.source(), false, "migrate → " + ev.message(), true));
            }
        }
        return out;
    }

    /** A migration command (at conversation index {@code k}, placed at {@code s}) to the MIGRATION event ending it. */
    private static Span migration(List<QmpMessage> conv, int k, Hit s, Locator at, long end) {
        QmpMessage m = conv.get(k);
        QmpMessage done = null;
        for (int j = k + 1; j < conv.size() && done == null; j++) {
            QmpMessage n = conv.get(j);
            String st = n.arg("status");
            if (n.kind() == QmpKind.EVENT && "MIGRATION".equals(n.name())
                    && ("failed".equals(st) || "completed".equals(st) || "cancelled".equals(st))) {
                done = n;
            }
        }
        Hit e = done == null ? null : at.locate(done.source().artifact(), done.source().line());
        return e == null
                ? new Span(Span.Kind.MIGRATION, s.lane(), s.micros(), m.source(), s.lane(), Math.max(end, s.micros()),
                        null, true, m.name(), false)
                : new Span(Span.Kind.MIGRATION, s.lane(), s.micros(), m.source(), e.lane(), e.micros(), done.source(),
                        false, m.name() + " → " + done.arg("status"), "failed".equals(done.arg("status")));
    }

    static List<Marker> markers(List<Finding> findings, Locator at) {
        List<Marker> out = new ArrayList<>();
        for (Finding f : findings) {
            for (SourceRef r : f.evidence()) {
                Hit h = at.locate(r.artifact(), r.line());
                if (h != null) {
                    out.add(new Marker(f, h.lane(), h.micros(), r));
                }
            }
        }
        return out;
    }
}

package dev.vmcase.analysis.rules;

import dev.vmcase.model.Detail;
import dev.vmcase.model.Event;
import dev.vmcase.model.EventKind;
import dev.vmcase.model.Finding;
import dev.vmcase.model.MessageClass;
import dev.vmcase.model.NovaKind;
import dev.vmcase.model.QmpKind;
import dev.vmcase.model.QmpMessage;
import dev.vmcase.model.Role;
import dev.vmcase.model.Severity;

import dev.vmcase.parsers.knowledge.Message;
import dev.vmcase.parsers.knowledge.MessageCatalogue;
import dev.vmcase.parsers.knowledge.MessageMatch;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code MIGRATION_FAILED}: the failure itself, tied across the evidence: the destination's {@code load of
 * migration failed} and section errors, {@code MIGRATION} events and {@code query-migrate} answers with status
 * {@code failed}, libvirt's {@code shutting down, reason=failed}. When the source's QEMU reported
 * {@code completed} while the destination failed to load, that is said: the source then sits paused in
 * {@code postmigrate} (seen with real QEMU 7.2). nova-compute's side of the same failure is cited too — its
 * {@code Live Migration failure: …} (libvirt's error as nova received it), {@code Live migration failed.} and
 * {@code Migration operation has aborted} — with the instance, request id and host in the details, so one finding ties
 * nova, libvirt and QEMU; nova's words alone are enough for the rule to fire. So is libvirt's verdict on the source
 * ({@code job 'migration out' failed: Unable to write to socket: Broken pipe}, the catalogue's libvirt entries of
 * class {@code migrate/source-error}) where virsh printed it after a {@code migrate} or libvirtd logged it; QEMU's
 * cause after the colon gives the failure class ({@code transport} for a stream the source could no longer send).
 * A verdict whose entry states {@code ended-by: cancel} ({@code job 'migration out' canceled by client}, older
 * {@code migration out job: canceled by client}: someone aborted the job, from libvirtd's log, virsh or nova's
 * {@code Live Migration failure:}) is no failure of a device or of the transport: the finding says the migration was
 * cancelled, as a warning, with libvirt's verdict as its reason and cause, {@code ended-by=cancel} and
 * {@code failure-class=unknown} (no failure was shown), whatever the destination's lines say (the stream it lost is the
 * abort's consequence).
 * <p>
 * A saved state that failed to load ({@code -loadvm}, {@code virsh restore}, a managedsave, a saved stream read back)
 * is {@code SNAPSHOT_RESTORE_FAILED}, and a {@code reason=failed} where nothing migrated a failed start
 * ({@code DOMAIN_START_FAILED}): neither is reported here ({@link StateLoads}).
 */
public final class MigrationFailedRule implements Rule {
    public static final String ID = "MIGRATION_FAILED";
    /** The commands that start a migration or set it up: QEMU's refusal of one is the failure. */
    private static final java.util.Set<String> MIGRATE_REQUESTS = java.util.Set.of("migrate", "migrate-incoming",
            "migrate-set-capabilities", "migrate-set-parameters");
    /**
     * The catalogue's entries that say why a migration failed before anything was loaded: a configuration the
     * destination cannot take (a CPU feature it lacks), QEMU refusing the migration (a blocker), the source failing to
     * save its state.
     */
    private static final List<Message> CAUSES = MessageCatalogue.get().of(java.util.EnumSet.of(
            MessageClass.CONFIG_MISMATCH, MessageClass.MIGRATE_REFUSED, MessageClass.MIGRATE_SOURCE_ERROR));
    /**
     * libvirt's verdict on the source that its outgoing migration job failed ({@code job 'migration out' failed: …},
     * older {@code migration job: unexpectedly failed}): the catalogue's libvirt entries of class
     * {@code migrate/source-error}.
     */
    private static final List<Message> SOURCE_VERDICTS = MessageCatalogue.get().ofComponent("libvirt").stream()
            .filter(m -> m.messageClass() == MessageClass.MIGRATE_SOURCE_ERROR).toList();
    /**
     * The detail a catalogue entry states when its line says how the migration ended rather than what failed
     * ({@code ended-by}: {@code cancel} for libvirt's {@code job 'migration out' canceled by client}); the finding
     * carries it too.
     */
    static final String ENDED_BY = "ended-by";
    static final String CANCEL = "cancel";
    private static final java.util.Set<NovaKind> NOVA_FAILURE_KINDS =
            java.util.Set.of(NovaKind.LIVE_MIGRATION_FAILURE, NovaKind.LIVE_MIGRATION_FAILED,
                    NovaKind.LIVE_MIGRATION_ABORTED);

    @Override
    public String id() {
        return ID;
    }

    /**
     * Any record a failed migration leaves: the destination's QEMU log, a QMP conversation (MIGRATION events,
     * query-migrate), libvirt's domain log (its shutdown reason), nova-compute's log, the source libvirtd's log or a
     * virsh transcript (libvirt's verdict on the migration job).
     */
    @Override
    public Needs needs() {
        return Needs.of(Need.anyOf("migration-record", EvidenceKind.DESTINATION_LOG, EvidenceKind.QMP_CONVERSATION,
                EvidenceKind.DOMAIN_LOG, EvidenceKind.NOVA_LOG, EvidenceKind.LIBVIRTD_LOG, EvidenceKind.TOOL_LOG));
    }

    @Override
    public List<Finding> evaluate(RuleContext ctx) {
        if (StateLoads.isRestore(ctx)) {
            return List.of(); // a saved state failed to load: SNAPSHOT_RESTORE_FAILED, nothing migrated
        }
        // reason=failed where nothing migrates or loads ends a start that failed: DOMAIN_START_FAILED
        boolean migrates = StateLoads.anyMigrationOrLoad(ctx);
        Findings f = Findings.of(ID, Severity.ERROR);
        String reason = null;
        int cited = 0;
        for (Event e : ctx.evidence().events()) {
            boolean load = e.kind() == EventKind.MIGRATION_LOAD_FAILED || e.kind() == EventKind.MIGRATION_LOAD_ERROR;
            boolean shutdown = migrates && e.kind() == EventKind.LIBVIRT_SHUTDOWN
                    && "failed".equals(e.detail(Detail.REASON));
            if (load || shutdown) {
                f.cite(e.source());
                cited++;
                if (e.kind() == EventKind.MIGRATION_LOAD_FAILED && reason == null) {
                    reason = e.message();
                }
            }
        }
        // nova-compute's words about the same failure
        Event novaFailure = null;
        Event novaFirst = null;
        for (Event e : ctx.evidence().events()) {
            NovaKind kind = NovaRefs.kind(e);
            if (kind != null && NOVA_FAILURE_KINDS.contains(kind)) {
                f.cite(e.source());
                cited++;
                if (novaFirst == null) {
                    novaFirst = e;
                }
                if (novaFailure == null && kind == NovaKind.LIVE_MIGRATION_FAILURE) {
                    novaFailure = e;
                }
            }
        }
        // libvirt's verdict on the source: virsh's error after a migrate, libvirtd's error line
        Event sourceVerdict = null;
        for (Event e : ctx.evidence().events()) {
            if ((e.kind() == EventKind.TOOL_MESSAGE || e.kind() == EventKind.LIBVIRT_MESSAGE)
                    && MessageCatalogue.match(e.message(), SOURCE_VERDICTS) != null) {
                f.cite(e.source());
                cited++;
                if (sourceVerdict == null) {
                    sourceVerdict = e;
                }
            }
        }
        String sourceStatus = null;
        Map<String, Role> roles = ctx.evidence().rolesBySha();
        for (QmpMessage m : ctx.evidence().qmp()) {
            String status = migrationStatus(m);
            if ("failed".equals(status)) {
                f.cite(m.source());
                cited++;
            } else if ("completed".equals(status) && roles.get(m.source().artifact()) != Role.DESTINATION) {
                sourceStatus = "completed";
                f.cite(m.source());
            }
        }
        // QEMU refused the migration itself (a blocker, a capability it lacks): the request and its refusal
        List<String> causeTexts = new ArrayList<>();
        for (List<QmpMessage> conv : ctx.conversations().values()) {
            for (QmpMessage m : conv) {
                if (m.kind() != QmpKind.COMMAND || m.name() == null || !MIGRATE_REQUESTS.contains(m.name())) {
                    continue;
                }
                QmpMessage answer = RuleContext.answerTo(conv, m);
                String desc = answer == null || answer.kind() != QmpKind.ERROR ? null : answer.arg("desc");
                if (desc != null && MessageCatalogue.match(desc, CAUSES) != null) {
                    f.cite(m.source()).cite(answer.source());
                    cited++;
                    causeTexts.add(desc);
                }
            }
        }
        if (cited == 0) {
            return List.of();
        }
        // the devices whose sections the destination rejected are what the failure is about
        for (var section : ctx.devices().rejectedSections()) {
            section.pciPath().ifPresent(path -> f.devices(ctx.devices().sourceAt(path).map(r -> r.names())
                    .orElse(List.of(path.toString()))));
        }
        // the class of what the destination rejected, as MIGRATION_STATE_MISMATCH says it of the same lines
        // a job the client aborted (virsh domjobabort, nova's live-migration-abort, a management layer's time limit)
        // ended by request: the destination's broken stream after it is its consequence, not a transport failure, so no
        // class is looked for; libvirt's verdict is the cause, from its own log, virsh or nova's Live Migration failure:
        Cause cancel = cancelIn(sourceVerdict == null ? null : sourceVerdict.message());
        if (cancel == null) {
            cancel = cancelIn(novaFailure == null ? null : novaFailure.detail(Detail.REASON));
        }
        boolean cancelled = cancel != null;
        String failureClass = cancelled ? null : Rejections.firstClass(ctx);
        String causeSaid = null;
        if (cancelled) {
            causeSaid = cancel.said();
            f.detail("cause", causeSaid).detail("cause-class", cancel.match().messageClass().value())
                    .note("note_source_job_cancelled", causeSaid);
        }
        if (!cancelled && failureClass == null) {
            // nothing named was rejected: the stream itself may have broken (a short read, no migration stream at all),
            // whose class the catalogue entry states; its line is the cause, said in the finding's words
            Event broke = ctx.evidence().events().stream()
                    .filter(e -> e.kind() == EventKind.MIGRATION_LOAD_ERROR
                            && StateLoads.hasClass(e, MessageClass.LOAD_STREAM)
                            && e.details().get(dev.vmcase.model.Attr.FAILURE_CLASS.key()) != null)
                    .findFirst().orElse(null);
            if (broke != null) {
                failureClass = broke.details().get(dev.vmcase.model.Attr.FAILURE_CLASS.key());
                f.detail("cause", broke.message()).note("note_stream_broke", broke.message());
            }
        }
        if (!cancelled && failureClass == null) {
            // nothing was loaded: the words of whoever reported the failure may say why (a CPU feature the destination
            // lacks, a blocker, the source failing to save), as the catalogue's entries of those classes know them
            // looked for in order, the events only until one says it (a 1 GB log has tens of thousands)
            Cause cause = firstCause(java.util.stream.Stream.concat(java.util.stream.Stream.concat(
                    causeTexts.stream(), java.util.stream.Stream.ofNullable(
                            novaFailure == null ? null : novaFailure.detail(Detail.REASON))),
                    ctx.evidence().events().stream().filter(e -> e.kind() == EventKind.MIGRATION_LOAD_ERROR
                            || e.kind() == EventKind.LIBVIRT_MESSAGE || e.kind() == EventKind.TOOL_MESSAGE)
                            .map(Event::message)));
            if (cause != null) {
                MessageClass c = cause.match().messageClass();
                causeSaid = cause.said();
                failureClass = cause.match().message().details().get(dev.vmcase.model.Attr.FAILURE_CLASS.key());
                f.detail("cause", causeSaid).detail("cause-class", c.value()).note(causeNote(cause), causeSaid);
            }
        }
        f.detail("failure-class", failureClass == null ? Rejections.UNKNOWN : failureClass);
        if (novaFirst != null) {
            Event n = novaFailure != null ? novaFailure : novaFirst;
            f.detail("nova-reason", novaFailure == null ? null : novaFailure.detail(Detail.REASON))
                    .detail("nova-instance", n.detail(Detail.INSTANCE))
                    .detail("nova-request-id", n.detail(Detail.REQUEST_ID))
                    .detail("nova-host", n.detail(Detail.HOST))
                    .detail("nova-local-time", n.detail(Detail.LOCAL_TIME));
            if (reason == null && novaFailure != null) {
                reason = novaFailure.detail(Detail.REASON);
            }
            if (n.detail(Detail.INSTANCE) != null) {
                f.note("note_nova_failure", n.detail(Detail.INSTANCE));
            }
        }
        if (reason == null && sourceVerdict != null) {
            // libvirt's own words on the source, from the verdict on: "job 'migration out' failed: …"
            MessageMatch v = MessageCatalogue.match(sourceVerdict.message(), SOURCE_VERDICTS);
            reason = sourceVerdict.message().substring(v.start());
        }
        if (reason == null || cancelled) {
            // a cancel is said in libvirt's words: the destination's failed load after it is only its consequence
            reason = causeSaid != null ? causeSaid : "load of migration failed";
        }
        f.detail("reason", reason).detail("source-status", sourceStatus);
        if (cancelled) {
            // the migration was stopped on purpose, which is worth a warning, not an error
            f.detail(ENDED_BY, CANCEL).severity(Severity.WARNING).message("migration_cancelled", reason);
        } else if ("completed".equals(sourceStatus)) {
            f.message("migration_failed_source_completed", reason);
        } else {
            f.message("migration_failed", reason);
        }
        List<Finding> out = new ArrayList<>();
        out.add(f.build());
        return out;
    }

    /** libvirt's cancel verdict in a text ({@code ended-by: cancel}), as its entry matched it, or null. */
    private static Cause cancelIn(String text) {
        MessageMatch m = text == null ? null : MessageCatalogue.match(text, SOURCE_VERDICTS);
        return m != null && CANCEL.equals(m.message().details().get(ENDED_BY))
                ? new Cause(text.substring(m.start(), m.end()), m) : null;
    }

    /** A cause entry's match in a text, and the text from there (300 characters at most). */
    private record Cause(String said, MessageMatch match) {
    }

    /**
     * The note saying what a cause means: a stream the source could no longer send ({@code Unable to write to socket},
     * an entry of class {@code migrate/source-error} whose failure class is {@code transport}) is the connection's
     * failure, not the source's; libvirt's verdict with no cause the catalogue knows says only that the job failed;
     * any other by its class.
     */
    private static String causeNote(Cause cause) {
        Message m = cause.match().message();
        if (m.messageClass() == MessageClass.MIGRATE_SOURCE_ERROR
                && "transport".equals(m.details().get(dev.vmcase.model.Attr.FAILURE_CLASS.key()))) {
            return "note_source_send_broke";
        }
        if (SOURCE_VERDICTS.contains(m)) {
            return "note_source_job_failed";
        }
        return "note_cause_" + m.messageClass().name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The first of the texts one of the {@link #CAUSES} recognises, or null. */
    private static Cause firstCause(java.util.stream.Stream<String> texts) {
        return texts.map(text -> {
            MessageMatch m = MessageCatalogue.match(text, CAUSES);
            return m == null ? null
                    : new Cause(text.substring(m.start(), Math.min(text.length(), m.start() + 300)), m);
        }).filter(java.util.Objects::nonNull).findFirst().orElse(null);
    }

    /** The status a MIGRATION event or a query-migrate answer reports, else null. */
    private static String migrationStatus(QmpMessage m) {
        if (m.kind() == QmpKind.EVENT && "MIGRATION".equals(m.name())) {
            return m.arg("status");
        }
        if (m.kind() == QmpKind.RETURN && "query-migrate".equals(m.name())) {
            return m.arg("status");
        }
        return null;
    }
}

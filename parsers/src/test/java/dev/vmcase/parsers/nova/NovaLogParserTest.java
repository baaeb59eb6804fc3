package dev.vmcase.parsers.nova;

import dev.vmcase.model.Event;
import dev.vmcase.model.EventKind;
import dev.vmcase.parsers.EvidenceSink;
import dev.vmcase.parsers.Head;
import dev.vmcase.parsers.ingest.ParserRegistry;
import dev.vmcase.parsers.Parsing;
import dev.vmcase.parsers.domainlog.DomainLogParser;
import dev.vmcase.parsers.libvirt.LibvirtdLogParser;
import dev.vmcase.parsers.text.EmbeddedEvidenceParser;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NovaLogParserTest {
    private final NovaLogParser parser = new NovaLogParser();

    private EvidenceSink parse(String text) {
        return Parsing.parse(parser, "nova-compute.log", text);
    }

    /**
     * A detach in devstack's journal. CONSTRUCTED for this test (not a capture): the journal prefix and oslo fields as
     * oslo.log's default format writes them, the messages as nova's guest.py writes them ({@code Attempting initial detach
     * for device %s}, {@code detach device xml: %s}, {@code DeviceDetachFailed}'s {@code Device detach failed for
     * %(device)s: %(reason)s}); the sequence is the one of Launchpad bug 1894804.
     */
    static final String JOURNAL_DETACH = """
            Sep 07 19:32:01.112233 ubuntu-focal-node nova-compute[93651]: DEBUG nova.virt.libvirt.guest [None req-5d1cdc39-8bd4-4d9b-a2a3-8a9e5a0b5c6e demo demo] Attempting initial detach for device vdb {{(pid=93651) detach_device_with_retry /opt/stack/nova/nova/virt/libvirt/guest.py:411}}
            Sep 07 19:32:01.113001 ubuntu-focal-node nova-compute[93651]: DEBUG nova.virt.libvirt.guest [None req-5d1cdc39-8bd4-4d9b-a2a3-8a9e5a0b5c6e demo demo] detach device xml: <disk type="network" device="disk">
            Sep 07 19:32:01.113001 ubuntu-focal-node nova-compute[93651]:   <driver name="qemu" type="raw" cache="none" io="native"/>
            Sep 07 19:32:01.113001 ubuntu-focal-node nova-compute[93651]:   <target bus="virtio" dev="vdb"/>
            Sep 07 19:32:01.113001 ubuntu-focal-node nova-compute[93651]:   <alias name="virtio-disk1"/>
            Sep 07 19:32:01.113001 ubuntu-focal-node nova-compute[93651]: </disk>
            Sep 07 19:32:01.113001 ubuntu-focal-node nova-compute[93651]:  {{(pid=93651) detach_device /opt/stack/nova/nova/virt/libvirt/guest.py:478}}
            Sep 07 19:32:06.850434 ubuntu-focal-node nova-compute[93651]: ERROR nova.compute.manager [None req-5d1cdc39-8bd4-4d9b-a2a3-8a9e5a0b5c6e demo demo] [instance: 0d59f238-daea-4b6f-8a4d-2c4d3a6e7b18] Failed to detach volume from /dev/vdb
            Sep 07 19:32:06.850434 ubuntu-focal-node nova-compute[93651]: ERROR nova.compute.manager [instance: 0d59f238-daea-4b6f-8a4d-2c4d3a6e7b18] Traceback (most recent call last):
            Sep 07 19:32:06.850434 ubuntu-focal-node nova-compute[93651]: ERROR nova.compute.manager [instance: 0d59f238-daea-4b6f-8a4d-2c4d3a6e7b18]   File "/opt/stack/nova/nova/virt/libvirt/guest.py", line 455, in _do_wait_and_retry_detach
            Sep 07 19:32:06.850434 ubuntu-focal-node nova-compute[93651]: ERROR nova.compute.manager [instance: 0d59f238-daea-4b6f-8a4d-2c4d3a6e7b18]     raise exception.DeviceDetachFailed(
            Sep 07 19:32:06.850434 ubuntu-focal-node nova-compute[93651]: ERROR nova.compute.manager [instance: 0d59f238-daea-4b6f-8a4d-2c4d3a6e7b18] nova.exception.DeviceDetachFailed: Device detach failed for vdb: Unable to detach the device from the live config.
            Sep 07 19:32:06.850434 ubuntu-focal-node nova-compute[93651]: ERROR nova.compute.manager [instance: 0d59f238-daea-4b6f-8a4d-2c4d3a6e7b18]\s
            Sep 07 19:32:06.861200 ubuntu-focal-node nova-compute[93651]: ERROR oslo_messaging.rpc.server [None req-5d1cdc39-8bd4-4d9b-a2a3-8a9e5a0b5c6e demo demo] Exception during message handling
            """;

    @Test
    void theSampleIsReadWithContextInstanceAndLocalTimeKept() {
        EvidenceSink sink = parse(NovaLogParser.SAMPLE);
        List<Event> e = sink.events();
        assertEquals(3, e.size());
        Event failure = e.get(0);
        assertEquals(EventKind.NOVA_MESSAGE, failure.kind());
        assertNull(failure.time(), "oslo writes local time without a zone");
        Map<String, String> d = failure.details();
        assertEquals("live-migration-failure", d.get("kind"));
        assertEquals("failure", d.get("phase"));
        assertEquals("ERROR", d.get("level"));
        assertEquals("nova.virt.libvirt.driver", d.get("logger"));
        assertEquals("134780", d.get("pid"));
        assertEquals("2018-11-13 13:59:12.653", d.get("local-time"));
        assertEquals("req-e2a6270f-a772-4c51-916d-8e6e735c089f", d.get("request-id"));
        assertNull(d.get("global-request-id"));
        assertEquals("b54f2810-fd42-44ae-89d6-343a7030e2f3", d.get("instance"));
        assertTrue(d.get("reason").startsWith("internal error: unable to execute QEMU command 'migrate-set-capabilities'"));
        assertEquals(1, failure.source().line());
        assertEquals("live-migration-aborted", e.get(1).details().get("kind"));
        assertEquals("WARNING", e.get(2).details().get("level"));
        assertNull(e.get(2).details().get("kind"));
        assertNull(sink.host(), "a file's lines name no host");
        assertEquals(List.of(), sink.problems());
    }

    @Test
    void otherEraContextsAndRoutineInfoIsNotAnEvent() {
        // two public nova-compute logs, verbatim: a 2020 blog post and an Icehouse (2014) one
        EvidenceSink sink = parse("""
                2020-02-03 17:10:02.015 75917 INFO nova.virt.libvirt.driver [req-ce87db1d-722d-4060-b4ce-a306f4b9174b - - - - -] Connection event '0' reason 'Connection to libvirt lost: 0'
                2020-02-03 17:10:43.981 75917 ERROR nova.virt.libvirt.driver [req-200b08c9-e065-4026-bd17-f21792e79b53 10b45def459f4bd1995b776542fde3e6 f974270c43f741d8abfb347199395943 - - -] [instance: 223cfd1d-b3b4-4eaa-8b44-a85d97893d90] Live Migration failure: unsupported configuration: Unable to find security driver for model selinux
                2014-06-11 16:44:02.656 18063 ERROR nova.virt.libvirt.driver [req-c2093adc-bd8a-4ab6-a78e-dc351c8fab88 9150e4f4542843bb8a39872e484483e0 3244794c89194872b688e4e892d497ba] [instance: c0c5822b-fd4c-45dc-af6d-74a1763952f9] Error from libvirt during destroy. Code=38 Error=Failed to terminate process 22402 with SIGKILL: Device or resource busy
                """);
        assertEquals(2, sink.events().size());
        Event lm = sink.events().get(0);
        assertEquals(2, lm.source().line());
        assertEquals("unsupported configuration: Unable to find security driver for model selinux", lm.details().get("reason"));
        assertEquals("223cfd1d-b3b4-4eaa-8b44-a85d97893d90", lm.details().get("instance"));
        assertEquals("req-200b08c9-e065-4026-bd17-f21792e79b53", lm.details().get("request-id"));
        Event destroy = sink.events().get(1);
        assertEquals("c0c5822b-fd4c-45dc-af6d-74a1763952f9", destroy.details().get("instance"));
        assertNull(destroy.details().get("kind"));
        assertEquals(List.of(), sink.problems());
    }

    @Test
    void journalLinesGiveTheHostAndATracebackIsOneEventWithItsException() {
        EvidenceSink sink = parse(JOURNAL_DETACH);
        assertEquals("ubuntu-focal-node", sink.host());
        List<Event> e = sink.events();
        assertEquals(4, e.size(), e.toString());

        Event attempt = e.get(0);
        assertEquals("detach-attempt", attempt.details().get("kind"));
        assertEquals("vdb", attempt.details().get("device"));
        assertEquals("Sep 07 19:32:01.112233", attempt.details().get("journal-time"));
        assertEquals("ubuntu-focal-node", attempt.details().get("host"));
        assertEquals("req-5d1cdc39-8bd4-4d9b-a2a3-8a9e5a0b5c6e", attempt.details().get("request-id"));
        assertEquals("Attempting initial detach for device vdb", attempt.message(), "devstack's {{(pid=…) …}} suffix is dropped");
        assertNull(attempt.time(), "journald's text has no year");

        Event xml = e.get(1);
        assertEquals("detach-device-xml", xml.details().get("kind"));
        assertEquals("virtio-disk1", xml.details().get("alias"));
        assertEquals("vdb", xml.details().get("target"));
        assertEquals(2, xml.source().line());
        assertEquals("7", xml.details().get("last-line"));

        Event failed = e.get(2);
        assertEquals(8, failed.source().line());
        assertEquals("device-detach-failed", failed.details().get("kind"));
        assertEquals("vdb", failed.details().get("device"));
        assertEquals("Unable to detach the device from the live config.", failed.details().get("detach-failure"));
        assertEquals("true", failed.details().get("traceback"));
        assertEquals("DeviceDetachFailed", failed.details().get("exception-class"));
        assertEquals("12", failed.details().get("exception-line"));
        assertEquals("13", failed.details().get("last-line"));
        assertEquals("0d59f238-daea-4b6f-8a4d-2c4d3a6e7b18", failed.details().get("instance"));

        assertEquals("oslo_messaging.rpc.server", e.get(3).details().get("logger"), "the next record is not glued to the traceback");
        assertEquals(List.of(), sink.problems());
    }

    @Test
    void theDocumentedJournalLineIsRecognisedAndItsDebugChatterIsNoEvent() {
        // nova's doc/source/reference (request ids): "Sample log output", one line, verbatim
        String line = "Jun 19 09:16:34 devstack-master nova-compute[27857]: DEBUG keystoneauth.session [None req-034279a7-f2dd-40ff-9c93-75768fda494d admin admin] POST call to network for http://10.0.2.15:9696/v2.0/ports used request id req-39b315da-e1eb-4ab5-a45b-3f2dbdaba787 {{(pid=27857) request /usr/local/lib/python2.7/dist-packages/keystoneauth1/session.py:640}}\n";
        assertTrue(parser.recognizes(Head.of(line)));
        EvidenceSink sink = parse(line);
        assertEquals(List.of(), sink.events());
        assertEquals("devstack-master", sink.host());
        assertEquals(List.of(), sink.problems());
    }

    @Test
    void aXenaDetachsTwoHalvesAreReadThroughTheCatalogueWithTheirDevice() {
        // verbatim from https://github.com/vexxhost/atmosphere/issues/547 (INFO records: routine, kept for their kind)
        EvidenceSink sink = parse("""
                2023-08-18 14:53:26.652 3883246 INFO nova.virt.libvirt.driver [None req-cd474b72-33a8-47d8-beea-afe74957e7c7 cc03bca407c74da8a4be3d0ad3bbbc1f e6f5006edea941169a9771e748887742 - - faaa5f3a269a4adcbf05870ac1a66513 faaa5f3a269a4adcbf05870ac1a66513] Successfully detached device vdd from instance b6d86451-8ad3-4224-ac3a-b23e146f3e64 from the persistent domain config.
                2023-08-18 14:53:26.970 3883246 INFO nova.virt.libvirt.driver [None req-cd474b72-33a8-47d8-beea-afe74957e7c7 cc03bca407c74da8a4be3d0ad3bbbc1f e6f5006edea941169a9771e748887742 - - faaa5f3a269a4adcbf05870ac1a66513 faaa5f3a269a4adcbf05870ac1a66513] Successfully detached device vdd from instance b6d86451-8ad3-4224-ac3a-b23e146f3e64 from the live domain config.
                """);
        List<Event> e = sink.events();
        assertEquals(2, e.size(), e.toString());
        assertEquals("detach-succeeded", e.get(0).details().get("kind"));
        assertEquals("vdd", e.get(0).details().get("device"));
        assertEquals("persistent", e.get(0).details().get("domain-config"));
        assertEquals("live", e.get(1).details().get("domain-config"));
        assertEquals("vdd", e.get(1).details().get("device"));
    }

    @Test
    void pikeToWallabysDetachSuccessIsReadToo() {
        // CONSTRUCTED: guest.py's "Successfully detached device %s from guest. Persistent? %s. Live? %s" (nova 16.0.0 to
        // 23.0.0) in devstack's journal form
        EvidenceSink sink = parse("""
                Sep 07 19:32:01.212233 ubuntu-focal-node nova-compute[93651]: DEBUG nova.virt.libvirt.guest [None req-5d1cdc39-8bd4-4d9b-a2a3-8a9e5a0b5c6e demo demo] Successfully detached device vdb from guest. Persistent? True. Live? True {{(pid=93651) _try_detach_device /opt/stack/nova/nova/virt/libvirt/guest.py:405}}
                """);
        assertEquals(1, sink.events().size(), sink.events().toString());
        Event e = sink.events().get(0);
        assertEquals("detach-succeeded", e.details().get("kind"));
        assertEquals("vdb", e.details().get("device"));
        assertEquals("True", e.details().get("live"));
    }

    @Test
    void migrationProgressOfEitherWordingIsAProgressRecordWithItsNumbers() {
        // CONSTRUCTED: oslo records around nova's two progress wordings (Kilo–Stein with ';', Train on with the disk's
        // share after it); the wordings are driver.py's, a real line of the first is the catalogue's sample
        EvidenceSink sink = parse("""
                2019-03-04 10:00:05.001 4242 DEBUG nova.virt.libvirt.driver [req-0a9e5b1c-2d3f-4e5a-8b6c-7d8e9f0a1b2c - - - - -] [instance: 4f0b5c2e-7c1a-4b8e-9d3f-1a2b3c4d5e6f] Migration running for 5 secs, memory 91% remaining; (bytes processed=1, remaining=2, total=3)
                2021-03-04 10:00:35.001 4242 INFO nova.virt.libvirt.driver [req-0a9e5b1c-2d3f-4e5a-8b6c-7d8e9f0a1b2c - - - - -] [instance: 4f0b5c2e-7c1a-4b8e-9d3f-1a2b3c4d5e6f] Migration running for 35 secs, memory 7% remaining (bytes processed=1, remaining=2, total=3); disk 0% remaining (bytes processed=0, remaining=0, total=0).
                """);
        List<Event> e = sink.events();
        assertEquals(2, e.size(), e.toString());
        for (Event p : e) {
            assertEquals("live-migration-progress", p.details().get("kind"));
            assertEquals("progress", p.details().get("phase"));
        }
        assertEquals("5", e.get(0).details().get("seconds"));
        assertEquals("91", e.get(0).details().get("memory-remaining-percent"));
        assertEquals("35", e.get(1).details().get("seconds"));
        assertEquals("7", e.get(1).details().get("memory-remaining-percent"));
    }

    @Test
    void xenasNumberedLiveDetachAttemptIsAnAttempt() {
        // CONSTRUCTED: driver.py's "(%s/%s): Attempting to detach device %s with device alias %s from instance %s from
        // the live domain config." (Xena on) in an oslo record
        EvidenceSink sink = parse("""
                2023-08-18 14:53:26.653 3883246 DEBUG nova.virt.libvirt.driver [None req-cd474b72-33a8-47d8-beea-afe74957e7c7 - - - - -] (1/8): Attempting to detach device vdd with device alias virtio-disk3 from instance b6d86451-8ad3-4224-ac3a-b23e146f3e64 from the live domain config.
                """);
        assertEquals(1, sink.events().size());
        assertEquals("detach-attempt", sink.events().get(0).details().get("kind"));
        assertEquals("vdd", sink.events().get(0).details().get("device"));
    }

    /**
     * The log nova 26.2.2's own {@code LibvirtDriver._detach_with_retry} wrote here, detaching a hot-plugged disk from a
     * real domain whose guest (none: no OS) never answers the unplug (sample-cases/provenance/nova-zed-lines). Its
     * kinds, read by hand from the file: the persistent half (attempt, XML, success), then three live attempts
     * ({@code device_detach_attempts=3}) of attempt, XML and wait; the timeouts and the give-up are WARNING/ERROR
     * records of no kind.
     */
    @Test
    void novaZedsOwnDetachThatNeverCompletesIsReadWithItsKinds() throws Exception {
        String text = Files.readString(Path.of("../sample-cases/provenance/nova-zed-lines/evidence/nova-compute.log"));
        EvidenceSink sink = parse(text);
        assertTrue(sink.problems().isEmpty(), sink.problems().toString());
        List<Event> kinded = sink.events().stream().filter(e -> e.details().containsKey("kind")).toList();
        assertEquals(List.of("detach-attempt", "detach-device-xml", "detach-succeeded",
                        "detach-attempt", "detach-device-xml", "detach-wait",
                        "detach-attempt", "detach-device-xml", "detach-wait",
                        "detach-attempt", "detach-device-xml", "detach-wait"),
                kinded.stream().map(e -> e.details().get("kind")).toList());
        Map<String, String> persistent = kinded.get(0).details();
        assertEquals("vdb", persistent.get("device"));
        assertEquals("persistent", persistent.get("domain-config"));
        assertNull(persistent.get("attempt"), "the persistent half is not counted");
        for (int i = 1; i <= 3; i++) {
            Map<String, String> attempt = kinded.get(3 * i).details();
            assertEquals(Integer.toString(i), attempt.get("attempt"));
            assertEquals("3", attempt.get("attempts"));
            assertEquals("live", attempt.get("domain-config"));
            assertEquals("virtio-disk1", attempt.get("alias"));
            Map<String, String> wait = kinded.get(3 * i + 2).details();
            assertEquals("vdb", wait.get("device"));
            assertEquals("virtio-disk1", wait.get("alias"));
        }
        assertEquals("vdb", kinded.get(4).details().get("target"), "the XML's target is read");
        // the three timeouts (WARNING) and the give-up (ERROR) are events without a kind
        List<Event> unkinded = sink.events().stream().filter(e -> !e.details().containsKey("kind")).toList();
        assertEquals(3, unkinded.stream().filter(e -> e.message().contains("is timed out.")).count(), unkinded.toString());
        assertTrue(unkinded.get(unkinded.size() - 1).message().startsWith("Run out of retry while detaching device vdb"));
    }

    /**
     * The logs nova 26.2.2's own {@code LibvirtDriver._live_migration} wrote here between two real libvirtds
     * (sample-cases/provenance/nova-zed-lines/evidence-migration): one migration that completed, one cancelled with
     * {@code virsh domjobabort}. Their kinds, read by hand from the files, in file order.
     */
    @Test
    void novaZedsOwnLiveMigrationsAreReadWithTheirSteps() throws Exception {
        assertEquals(List.of("live-migration-start", "live-migration-start", "live-migration-progress",
                        "live-migration-completed", "live-migration-monitoring-done", "live-migration-api-completed"),
                migrationKinds("nova-compute-completed.log"));
        assertEquals(List.of("live-migration-start", "live-migration-start", "live-migration-progress",
                        "live-migration-cancelled", "live-migration-monitoring-done", "live-migration-failure"),
                migrationKinds("nova-compute-cancelled.log"));
    }

    /**
     * The log Wallaby's own detach wrote here (sample-cases/provenance/nova-zed-lines/evidence-wallaby): nova 23.0.1's
     * guest.py, loaded unchanged into nova 26.2.2, its {@code Guest.detach_device_with_retry} on a hot-plugged disk of a
     * guest that never answers: the initial detach, the retry loop's start, the detach XML of the initial detach and
     * of seven live retries, and oslo.service's loop giving up with {@code DeviceDetachFailed}. Its kinds, read by hand
     * from the file, in file order.
     */
    @Test
    void novaWallabysOwnDetachThatNeverCompletesIsReadWithItsKinds() throws Exception {
        EvidenceSink sink = parse(Files.readString(
                Path.of("../sample-cases/provenance/nova-zed-lines/evidence-wallaby/nova-compute.log")));
        assertTrue(sink.problems().isEmpty(), sink.problems().toString());
        List<Event> kinded = sink.events().stream().filter(e -> e.details().containsKey("kind")).toList();
        // lines 16, 17, 24; the XML of the loop's first call (26) and of its seven retries (35 … 89); 98
        assertEquals(List.of("detach-attempt", "detach-device-xml", "detach-retry",
                        "detach-device-xml", "detach-device-xml", "detach-device-xml", "detach-device-xml",
                        "detach-device-xml", "detach-device-xml", "detach-device-xml", "detach-device-xml",
                        "device-detach-failed"),
                kinded.stream().map(e -> e.details().get("kind")).toList());
        assertEquals(List.of(17, 26, 35, 44, 53, 62, 71, 80, 89), kinded.stream()
                .filter(e -> "detach-device-xml".equals(e.details().get("kind"))).map(e -> e.source().line()).toList());
        Event initial = kinded.get(0);
        assertEquals(16, initial.source().line());
        assertEquals("vdb", initial.details().get("device"));
        Event retry = kinded.get(2);
        assertEquals(24, retry.source().line());
        assertEquals("vdb", retry.details().get("device"));
        assertEquals("vdb", kinded.get(1).details().get("target"), "the XML's target is read");
        Event gaveUp = kinded.get(kinded.size() - 1);
        assertEquals(98, gaveUp.source().line());
        assertEquals("vdb", gaveUp.details().get("device"));
        assertEquals("Unable to detach the device from the live config.", gaveUp.details().get("detach-failure"));
    }

    /**
     * The logs nova 26.2.2's own {@code ComputeManager._do_live_migration} wrote here over the libvirt driver's live
     * migration between two real libvirtds (sample-cases/provenance/nova-zed-lines/evidence-manager): one whose source
     * libvirtd was killed under it (the manager's {@code Live migration failed.}, with its traceback), one that
     * completed (the manager's {@code Migrating instance to vmcase-dst finished successfully.}). Their kinds, read by
     * hand from the files, in file order.
     */
    @Test
    void novaZedsOwnComputeManagerSaysHowEachLiveMigrationEnded() throws Exception {
        EvidenceSink failed = managerLog("nova-compute-failed.log");
        assertEquals(List.of("live-migration-start", "live-migration-start", "live-migration-progress",
                        "live-migration-failure", "live-migration-monitoring-done", "live-migration-failed"),
                kinds(failed));
        Event last = failed.events().get(failed.events().size() - 1);
        assertEquals("live-migration-failed", last.details().get("kind"));
        assertEquals("failure", last.details().get("phase"));
        assertEquals(187, last.source().line());
        assertEquals("273", last.details().get("last-line"), "the traceback is the record's");
        assertEquals("nova.exception.HypervisorUnavailable: Connection to the hypervisor is broken on host",
                last.details().get("exception"));
        assertEquals("3f2b8c1d-6a4e-4d9b-8c21-00000000002d", last.details().get("instance"));

        EvidenceSink completed = managerLog("nova-compute-completed.log");
        assertEquals(List.of("live-migration-start", "live-migration-start", "live-migration-progress",
                        "live-migration-api-completed", "live-migration-completed", "live-migration-succeeded",
                        "live-migration-monitoring-done"),
                kinds(completed));
        Event finished = completed.events().stream()
                .filter(e -> "live-migration-succeeded".equals(e.details().get("kind"))).findFirst().orElseThrow();
        assertEquals("end", finished.details().get("phase"));
        assertEquals("vmcase-dst", finished.details().get("destination"));
        assertEquals(82, finished.source().line());
    }

    private EvidenceSink managerLog(String file) throws Exception {
        EvidenceSink sink = parse(Files.readString(
                Path.of("../sample-cases/provenance/nova-zed-lines/evidence-manager").resolve(file)));
        assertTrue(sink.problems().isEmpty(), sink.problems().toString());
        for (Event e : sink.events()) {
            if (e.details().containsKey("kind")) {
                assertEquals("3f2b8c1d-6a4e-4d9b-8c21-00000000002d", e.details().get("instance"), e.toString());
            }
        }
        return sink;
    }

    private static List<String> kinds(EvidenceSink sink) {
        return sink.events().stream().filter(e -> e.details().containsKey("kind"))
                .map(e -> e.details().get("kind")).toList();
    }

    private List<String> migrationKinds(String file) throws Exception {
        EvidenceSink sink = parse(Files.readString(
                Path.of("../sample-cases/provenance/nova-zed-lines/evidence-migration").resolve(file)));
        assertTrue(sink.problems().isEmpty(), sink.problems().toString());
        List<Event> kinded = sink.events().stream().filter(e -> e.details().containsKey("kind")).toList();
        for (Event e : kinded) {
            assertEquals("3f2b8c1d-6a4e-4d9b-8c21-00000000002c", e.details().get("instance"), e.toString());
        }
        return kinded.stream().map(e -> e.details().get("kind")).toList();
    }

    @Test
    void oslosRepeatedPrefixTracebackIsOneEventAndTheNextErrorIsItsOwn() {
        // CONSTRUCTED: a LOG.exception as oslo's logging_exception_prefix writes it, then another error
        EvidenceSink sink = parse("""
                2023-12-16 11:07:45.380 2 ERROR nova.compute.manager [req-0a9e5b1c-2d3f-4e5a-8b6c-7d8e9f0a1b2c - - - - - -] [instance: 4f0b5c2e-7c1a-4b8e-9d3f-1a2b3c4d5e6f] Live migration failed.: libvirt.libvirtError: operation failed: migration out job: unexpectedly failed
                2023-12-16 11:07:45.380 2 ERROR nova.compute.manager [instance: 4f0b5c2e-7c1a-4b8e-9d3f-1a2b3c4d5e6f] Traceback (most recent call last):
                2023-12-16 11:07:45.380 2 ERROR nova.compute.manager [instance: 4f0b5c2e-7c1a-4b8e-9d3f-1a2b3c4d5e6f]   File "/usr/lib/python3/dist-packages/nova/compute/manager.py", line 8512, in _do_live_migration
                2023-12-16 11:07:45.380 2 ERROR nova.compute.manager [instance: 4f0b5c2e-7c1a-4b8e-9d3f-1a2b3c4d5e6f]     self.driver.live_migration(context, instance, dest,
                2023-12-16 11:07:45.380 2 ERROR nova.compute.manager [instance: 4f0b5c2e-7c1a-4b8e-9d3f-1a2b3c4d5e6f] libvirt.libvirtError: operation failed: migration out job: unexpectedly failed
                2023-12-16 11:07:45.380 2 ERROR nova.compute.manager [instance: 4f0b5c2e-7c1a-4b8e-9d3f-1a2b3c4d5e6f]\s
                2023-12-16 11:07:46.001 2 ERROR nova.compute.manager [req-0a9e5b1c-2d3f-4e5a-8b6c-7d8e9f0a1b2c - - - - - -] [instance: 4f0b5c2e-7c1a-4b8e-9d3f-1a2b3c4d5e6f] Setting instance vm_state to ERROR
                """);
        assertEquals(2, sink.events().size(), sink.events().toString());
        Event lm = sink.events().get(0);
        assertEquals("live-migration-failed", lm.details().get("kind"));
        assertEquals("libvirtError", lm.details().get("exception-class"));
        assertEquals("6", lm.details().get("last-line"));
        assertEquals(7, sink.events().get(1).source().line());
    }

    @Test
    void oldTraceLevelLinesContinueTheRecordAbove() {
        EvidenceSink sink = parse("""
                2014-06-11 16:44:02.656 18063 ERROR nova.compute.manager [req-c2093adc-bd8a-4ab6-a78e-dc351c8fab88 9150e4f4542843bb8a39872e484483e0 3244794c89194872b688e4e892d497ba] [instance: c0c5822b-fd4c-45dc-af6d-74a1763952f9] Setting instance vm_state to ERROR
                2014-06-11 16:44:02.656 18063 TRACE nova.compute.manager [instance: c0c5822b-fd4c-45dc-af6d-74a1763952f9] Traceback (most recent call last):
                2014-06-11 16:44:02.656 18063 TRACE nova.compute.manager [instance: c0c5822b-fd4c-45dc-af6d-74a1763952f9]   File "/usr/lib/python2.7/dist-packages/nova/compute/manager.py", line 5437, in _error_out_instance_on_exception
                2014-06-11 16:44:02.656 18063 TRACE nova.compute.manager [instance: c0c5822b-fd4c-45dc-af6d-74a1763952f9] InstanceTerminationFailure: Failed to terminate instance
                """);
        assertEquals(1, sink.events().size());
        assertEquals("InstanceTerminationFailure", sink.events().get(0).details().get("exception-class"));
    }

    @Test
    void aTracebackCutAtTheEndOfTheFileIsStillOneEventAndSaysSo() {
        String cut = String.join("\n", JOURNAL_DETACH.lines().limit(11).toList()) + "\n";
        EvidenceSink sink = parse(cut);
        Event last = sink.events().get(sink.events().size() - 1);
        assertEquals(8, last.source().line());
        assertEquals("true", last.details().get("traceback"));
        assertEquals("true", last.details().get("traceback-cut"));
        assertNull(last.details().get("exception"));
        assertEquals("11", last.details().get("last-line"));
        assertEquals(List.of(), sink.problems());
    }

    @Test
    void unprefixedLinesOfAFileBelongToTheRecordAboveAndAStrayLineFirstIsAProblem() {
        EvidenceSink sink = parse("""
                garbage before anything
                2020-09-08 14:40:30.120 2123 DEBUG nova.virt.libvirt.guest [req-6a0e2e29-4a5e-4f7a-9b0c-6c1f0d2e3a4b - - - - -] detach device xml: <disk type="file" device="disk">
                  <target bus="virtio" dev="vdb"/>
                  <alias name="virtio-disk1"/>
                </disk>
                 detach_device /usr/lib/python3/dist-packages/nova/virt/libvirt/guest.py:478
                """);
        assertEquals(1, sink.problems().size());
        assertEquals(1, sink.problems().get(0).line());
        Event xml = sink.events().get(0);
        assertEquals("virtio-disk1", xml.details().get("alias"));
        assertEquals("vdb", xml.details().get("device"));
        assertEquals("6", xml.details().get("last-line"));
    }

    @Test
    void proseAndTheLogsOfLibvirtAndQemuAreNotNovaLogs() {
        assertFalse(parser.recognizes(Head.of(EmbeddedEvidenceParser.SAMPLE)));
        assertFalse(parser.recognizes(Head.of(DomainLogParser.SAMPLE)));
        assertFalse(parser.recognizes(Head.of(LibvirtdLogParser.SAMPLE)));
        assertFalse(parser.recognizes(Head.of("""
                We saw this in nova's log yesterday:
                2018-11-13 13:59:13.021 134780 ERROR nova.virt.libvirt.driver [req-e2a6270f-a772-4c51-916d-8e6e735c089f - - - - -] Migration operation has aborted
                Does anyone know why?
                """)));
        assertEquals(NovaLogParser.FORMAT, ParserRegistry.detect(Head.of(JOURNAL_DETACH)).orElseThrow().format());
        assertFalse(new DomainLogParser().recognizes(Head.of(JOURNAL_DETACH)));
        assertFalse(new LibvirtdLogParser().recognizes(Head.of(NovaLogParser.SAMPLE)));
    }
}

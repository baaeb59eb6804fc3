package dev.vmcase.app.audit;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.vmcase.casefile.CaseArtifact;
import dev.vmcase.casefile.OpenedCase;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The fleet document of an opened case, found by content: the artifact whose JSON begins
 * {@code {"format" : "vmcase-fleet"}} (the merge writes it first; any artifact is looked at, never by its name).
 */
public final class FleetCase {
    private FleetCase() {
    }

    /** The case's fleet document and the case, or empty when the case is not a fleet case. */
    public static Optional<FleetDocument> find(OpenedCase c) throws IOException {
        for (CaseArtifact a : c.file().artifacts()) {
            Path p = c.file().pathOf(a);
            if (isFleet(p)) {
                try (InputStream in = Files.newInputStream(p)) {
                    return Optional.of(AuditJson.mapper(AuditJson.MAX_FLEET_BYTES).readValue(in, FleetDocument.class));
                } catch (com.fasterxml.jackson.core.JacksonException e) {
                    throw new IOException(a.name() + ": a damaged fleet document (" + e.getOriginalMessage() + ")");
                }
            }
        }
        return Optional.empty();
    }

    /** Whether the file's JSON starts with the fleet format's first field. */
    static boolean isFleet(Path p) {
        try (InputStream in = Files.newInputStream(p)) {
            return isFleet(in);
        } catch (IOException e) {
            // unreadable here: not taken for a fleet case, so it opens as an ordinary case whose reading names the error
            return false;
        }
    }

    /** Whether the stream's JSON starts with the fleet format's first field; reads no more than that. */
    static boolean isFleet(InputStream in) {
        try (JsonParser j = AuditJson.mapper(AuditJson.MAX_FLEET_BYTES).getFactory().createParser(in)) {
            return j.nextToken() == JsonToken.START_OBJECT && j.nextToken() == JsonToken.FIELD_NAME
                    && "format".equals(j.currentName()) && j.nextToken() == JsonToken.VALUE_STRING
                    && FleetDocument.FORMAT.equals(j.getText());
        } catch (IOException | RuntimeException e) {
            // not JSON, or not this format's first field: some other file, which its own reader then judges
            return false;
        }
    }

    /** The case's artifacts of one VM's bundle ({@code HOST/BUNDLE/…}), where the opened case holds them. */
    public static List<Path> evidenceOf(OpenedCase c, FleetHost host, VmAudit vm) {
        String prefix = host.host() + "/" + vm.bundle() + "/";
        return c.file().artifacts().stream().filter(a -> a.name().startsWith(prefix))
                .map(a -> c.file().pathOf(a)).toList();
    }
}

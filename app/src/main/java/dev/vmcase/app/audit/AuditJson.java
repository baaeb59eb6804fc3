package dev.vmcase.app.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.vmcase.casefile.AtomicFiles;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads and writes {@code audit.json} and {@code fleet.json}: plain data binding to records (no polymorphic typing),
 * with bounds on nesting, strings and the document, since a host's audit reaches the controller from a machine the
 * controller does not control.
 */
public final class AuditJson {
    /** A host's audit of hundreds of VMs stays far below this; a fleet's document may be larger. */
    static final long MAX_AUDIT_BYTES = 256L << 20;
    static final long MAX_FLEET_BYTES = 2L << 30;

    private AuditJson() {
    }

    public static ObjectMapper mapper(long maxDocumentBytes) {
        JsonFactory f = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(32)
                        .maxStringLength(8 << 20)
                        .maxNumberLength(40)
                        .maxDocumentLength(maxDocumentBytes)
                        .build())
                .build();
        return JsonMapper.builder(f)
                .enable(SerializationFeature.INDENT_OUTPUT)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
    }

    /** Writes atomically: a killed audit leaves the old file or the new one. */
    public static void write(Object doc, Path file) throws IOException {
        ObjectMapper m = mapper(Long.MAX_VALUE);
        AtomicFiles.write(file, out -> m.writeValue(out, doc)); // its stream ignores close(): synced, then closed
    }

    /** {@code audit.json} as read, or an exception saying what is wrong with it. */
    public static HostAudit readHost(InputStream in, String where) throws IOException {
        HostAudit h;
        try {
            h = mapper(MAX_AUDIT_BYTES).readValue(in, HostAudit.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException(where + ": not a vmcase audit (" + e.getOriginalMessage() + ")");
        }
        if (h == null || !HostAudit.FORMAT.equals(h.format())) {
            throw new IOException(where + ": not a vmcase audit (format is not " + HostAudit.FORMAT + ")");
        }
        if (h.formatVersion() > HostAudit.FORMAT_VERSION) {
            throw new IOException(where + ": audit format version " + h.formatVersion() + " is newer than this vmcase's ("
                    + HostAudit.FORMAT_VERSION + ")");
        }
        return h;
    }

    public static HostAudit readHost(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return readHost(in, file.toString());
        }
    }
}

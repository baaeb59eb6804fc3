package dev.vmcase.parsers.qemu;

import dev.vmcase.model.DeviceObservation;
import dev.vmcase.parsers.EvidenceParser;
import dev.vmcase.parsers.EvidenceSink;
import dev.vmcase.parsers.TextSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/** Real QEMU fixtures (see the README.md next to them) and small lookups over parse results. */
final class Fixtures {
    private Fixtures() {
    }

    static String text(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static EvidenceSink parse(EvidenceParser parser, String name, String text) {
        TextSource source = TextSource.ofText(name, text);
        EvidenceSink sink = EvidenceSink.forSource(source);
        parser.parse(source, sink);
        return sink;
    }

    static EvidenceSink parseFixture(EvidenceParser parser, String name) {
        return parse(parser, name, text(name));
    }

    static DeviceObservation byId(EvidenceSink sink, String id) {
        List<DeviceObservation> found = sink.observations().stream().filter(o -> o.id().equals(id))
                .collect(Collectors.toList());
        if (found.size() != 1) {
            throw new AssertionError("expected one observation with id '" + id + "', got " + found);
        }
        return found.get(0);
    }

    static DeviceObservation byId(List<DeviceObservation> list, String id) {
        return list.stream().filter(o -> o.id().equals(id)).reduce((a, b) -> {
            throw new AssertionError("several with id " + id);
        }).orElseThrow(() -> new AssertionError("none with id " + id + " in " + list));
    }

    static DeviceObservation byAttr(List<DeviceObservation> list, String key, String value) {
        return list.stream().filter(o -> value.equals(o.attr(key))).reduce((a, b) -> {
            throw new AssertionError("several with " + key + "=" + value);
        }).orElseThrow(() -> new AssertionError("none with " + key + "=" + value + " in " + list));
    }
}

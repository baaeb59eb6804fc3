package dev.vmcase.parsers.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vmcase.model.DeviceObservation;
import dev.vmcase.model.SourceRef;

import java.util.List;

/** Placeholder until the QMP result mappers land (replaced by the real implementation on merge). */
public final class QmpResults {
    private QmpResults() {
    }

    public static List<DeviceObservation> fromQueryPci(JsonNode returnValue, SourceRef ref) {
        return List.of();
    }

    public static List<DeviceObservation> fromQueryBlock(JsonNode returnValue, SourceRef ref) {
        return List.of();
    }

    public static List<DeviceObservation> fromNamedBlockNodes(JsonNode returnValue, SourceRef ref) {
        return List.of();
    }

    public static String qdevIdFromPath(String qomPathOrId) {
        return qomPathOrId;
    }
}

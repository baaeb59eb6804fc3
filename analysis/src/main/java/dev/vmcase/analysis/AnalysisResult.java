package dev.vmcase.analysis;

import dev.vmcase.analysis.devices.DeviceTable;
import dev.vmcase.model.Evidence;
import dev.vmcase.model.Finding;

import java.util.List;

public record AnalysisResult(Evidence evidence, DeviceTable devices, List<Finding> findings) {
    public AnalysisResult {
        findings = List.copyOf(findings);
    }
}

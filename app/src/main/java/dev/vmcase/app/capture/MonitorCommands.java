package dev.vmcase.app.capture;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Set;

/**
 * The monitor commands a capture sends, and the allow-list every command passes before it is sent: read-only QMP
 * queries and HMP {@code info} commands only. Nothing here changes the guest, QEMU or libvirt's view of them.
 */
public final class MonitorCommands {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** QMP commands that only read. */
    static final Set<String> QMP_READ_ONLY = Set.of("query-pci", "query-block", "query-named-block-nodes", "qom-list",
            "qom-get", "query-version", "query-status", "query-migrate", "query-name", "query-uuid",
            "query-hotpluggable-cpus");
    /** HMP command lines ({@code human-monitor-command}) that only read. */
    static final Set<String> HMP_READ_ONLY = Set.of("info qtree", "info pci", "info block", "info version",
            "info status", "info migrate");

    /** One command: the file its answer goes to ({@code null} for {@code query-version}, a fact), QMP or HMP. */
    public record Command(String name, String qmp, String hmp, String file) {
        /** The QMP text sent: the command itself, or {@code human-monitor-command} wrapping the HMP line. */
        public String wire() {
            if (hmp != null) {
                ObjectNode n = MAPPER.createObjectNode().put("execute", "human-monitor-command");
                n.putObject("arguments").put("command-line", hmp);
                return n.toString();
            }
            return qmp;
        }
    }

    /** What both captures ask for, in order. */
    public static final List<Command> CAPTURE = List.of(
            new Command("query-pci", "{\"execute\":\"query-pci\"}", null, "qmp-query-pci.json"),
            new Command("query-block", "{\"execute\":\"query-block\"}", null, "qmp-query-block.json"),
            new Command("query-named-block-nodes", "{\"execute\":\"query-named-block-nodes\"}", null,
                    "qmp-query-named-block-nodes.json"),
            new Command("qom-list /machine/peripheral",
                    "{\"execute\":\"qom-list\",\"arguments\":{\"path\":\"/machine/peripheral\"}}", null,
                    "qmp-qom-list-peripheral.json"),
            new Command("info qtree", null, "info qtree", "hmp-info-qtree.txt"));

    private MonitorCommands() {
    }

    /** Throws unless {@code wire} (a QMP command as sent) is on the allow-list. */
    public static void check(String wire) {
        ObjectNode n;
        try {
            n = (ObjectNode) MAPPER.readTree(wire);
        } catch (Exception e) {
            throw new IllegalArgumentException("not a QMP command: " + wire);
        }
        String cmd = n.path("execute").asText("");
        if ("human-monitor-command".equals(cmd)) {
            String line = n.path("arguments").path("command-line").asText("").strip().replaceAll("\\s+", " ");
            if (!HMP_READ_ONLY.contains(line)) {
                throw new IllegalArgumentException("HMP command not on the read-only allow-list: " + line);
            }
            return;
        }
        if (!QMP_READ_ONLY.contains(cmd)) {
            throw new IllegalArgumentException("QMP command not on the read-only allow-list: " + cmd);
        }
    }

    /** Throws unless the HMP line is on the allow-list. */
    public static void checkHmp(String line) {
        if (!HMP_READ_ONLY.contains(line.strip().replaceAll("\\s+", " "))) {
            throw new IllegalArgumentException("HMP command not on the read-only allow-list: " + line);
        }
    }
}

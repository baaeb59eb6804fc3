package dev.vmcase.parsers.cmdline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vmcase.parsers.qmp.Json;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The value of a QEMU option in either syntax: {@code virtio-blk-pci,drive=d1,id=disk1} (key=value, {@code ,,}
 * escapes a comma, the first bare word is the driver/type) or JSON {@code {"driver":"virtio-blk-pci",…}}.
 */
public final class QemuOptions {
    private QemuOptions() {
    }

    /**
     * @param value        the option value
     * @param implicitKey  the key a leading bare word stands for ({@code driver} for -device, {@code type} for -netdev)
     */
    public static Map<String, String> parse(String value, String implicitKey) {
        String v = value.strip();
        if (v.startsWith("{")) {
            return parseJson(v);
        }
        Map<String, String> out = new LinkedHashMap<>();
        StringBuilder cur = new StringBuilder();
        boolean first = true;
        for (int i = 0; i <= v.length(); i++) {
            char c = i < v.length() ? v.charAt(i) : ',';
            if (c == ',' && i + 1 < v.length() && v.charAt(i + 1) == ',') {
                cur.append(',');
                i++;
            } else if (c == ',' || i == v.length()) {
                put(out, cur.toString(), first ? implicitKey : null);
                first = false;
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        return out;
    }

    private static void put(Map<String, String> out, String item, String implicitKey) {
        if (item.isEmpty()) {
            return;
        }
        int eq = item.indexOf('=');
        if (eq < 0) {
            if (implicitKey != null) {
                out.put(implicitKey, item);
            } else {
                out.put(item, "on");
            }
        } else {
            out.put(item.substring(0, eq), item.substring(eq + 1));
        }
    }

    private static Map<String, String> parseJson(String v) {
        Map<String, String> out = new LinkedHashMap<>();
        try {
            JsonNode node = Json.MAPPER.readTree(v);
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                out.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString());
            }
        } catch (Exception e) {
            out.put("error", "unreadable JSON option: " + e.getMessage());
        }
        return out;
    }
}

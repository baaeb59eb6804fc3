package dev.vmcase.parsers.tools;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A virsh command's words as a shell line or a tool's log quotes it: which command it is, the domain and what it names
 * (a disk's target, an interface's MAC, an alias, a device XML file) and its flags. Read by the virsh transcript parser
 * for the commands after its prompts, and for a command a harness quotes ({@code Command '/bin/virsh detach-device …'
 * finished with 0 after 5.04s}) by the readers of pasted text.
 */
public final class VirshWords {
    private VirshWords() {
    }

    /** What a command line's first word may be, so {@code # virsh is great} is not a command. */
    private static final Set<String> COMMANDS = Set.of("list", "dominfo", "domstate", "domblklist", "domiflist",
            "domblkinfo", "domblkstat", "dumpxml", "attach-disk", "detach-disk", "attach-device", "detach-device",
            "detach-device-alias", "attach-interface", "detach-interface", "update-device", "qemu-monitor-command",
            "qemu-monitor-event", "start", "destroy", "shutdown", "reboot", "reset", "suspend", "resume", "define",
            "undefine", "create", "migrate", "migrate-setmaxdowntime", "domjobinfo", "domjobabort", "version",
            "event", "blockjob", "blockcopy", "blockcommit", "blockpull", "snapshot-create-as", "snapshot-revert",
            "save", "restore", "managedsave", "domdisplay", "vcpuinfo", "domcapabilities", "capabilities",
            "nodeinfo", "hostname", "uri", "sysinfo", "domid", "domuuid", "domname", "qemu-agent-command",
            "change-media", "setmem", "setvcpus", "console", "edit");

    /** The commands that attach, detach or change a device. */
    public static final Set<String> DEVICE_COMMANDS = Set.of("attach-disk", "detach-disk", "attach-device",
            "detach-device", "detach-device-alias", "attach-interface", "detach-interface", "update-device",
            "change-media");

    /** virsh's options that come before the command ({@code -c URI}, {@code --readonly}…), with a value or not. */
    private static final Set<String> GLOBAL_WITH_VALUE = Set.of("-c", "--connect", "-d", "--debug", "-l", "--log",
            "-k", "--keepalive-interval", "-K", "--keepalive-count", "-e", "--escape");

    /** A later command of a joined prompt line that runs virsh. */
    static final Pattern LATER_VIRSH = Pattern.compile("^\\s*(?:sudo\\s+)?(?:\\S*/)?virsh\\s+(.*)$");

    /**
     * The words after {@code virsh} from the command's name on ({@code [detach-disk, vm1, vdb, --live]}), its global
     * options ({@code -c URI}) passed over; null when they name no virsh command.
     */
    public static List<String> command(String afterVirsh) {
        List<String> words = words(afterVirsh);
        int i = 0;
        while (i < words.size() && words.get(i).startsWith("-")) {
            i += GLOBAL_WITH_VALUE.contains(words.get(i)) ? 2 : 1;
        }
        if (i >= words.size() || !COMMANDS.contains(words.get(i))) {
            return null;
        }
        return words.subList(i, words.size());
    }

    /** The words after {@code virsh} in a later command of a joined shell line ({@code sudo /usr/bin/virsh …}), or null. */
    public static String afterVirsh(String part) {
        Matcher m = LATER_VIRSH.matcher(part);
        return m.matches() ? m.group(1) : null;
    }

    /** A shell line cut at its unquoted {@code ;} and {@code &&}: the commands it runs one after another. */
    public static List<String> segments(String s) {
        List<String> out = new ArrayList<>();
        char quote = 0;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                quote = c == quote ? 0 : quote;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == ';' || c == '&' && i + 1 < s.length() && s.charAt(i + 1) == '&') {
                out.add(s.substring(start, i));
                i += c == '&' ? 1 : 0;
                start = i + 1;
            }
        }
        out.add(s.substring(start));
        return out;
    }

    /**
     * What a virsh command a tool quotes names ({@code /bin/virsh detach-device vm1 /tmp/dev.xml --live}): the command,
     * the domain, the target, file, MAC or alias and the flags, as a transcript's command event says them; empty when
     * the text runs no virsh command.
     */
    public static Map<String, String> describe(String commandText) {
        Matcher m = LATER_VIRSH.matcher(commandText);
        List<String> c = m.matches() ? command(m.group(1)) : null;
        if (c == null) {
            return Map.of();
        }
        Map<String, String> d = new LinkedHashMap<>();
        arguments(c.get(0), c.subList(1, c.size()), d);
        return d;
    }

    /** Shell-like words: quotes group, a redirection ends the command ({@code > file}). */
    static List<String> words(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        char quote = 0;
        boolean any = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    w.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                any = true;
            } else if (Character.isWhitespace(c)) {
                if (any) {
                    out.add(w.toString());
                    w.setLength(0);
                    any = false;
                }
            } else if ((c == '>' || c == '|') && !any) {
                break;
            } else {
                w.append(c);
                any = true;
            }
        }
        if (any) {
            out.add(w.toString());
        }
        return out;
    }

    /** A command's name, domain, what it names and its flags, as details (a transcript's command event's). */
    public static void arguments(String name, List<String> args, Map<String, String> d) {
        d.put("command", name);
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.startsWith("--")) {
                String flag = a.substring(2);
                if (Set.of("domain", "target", "file", "mac", "type", "source", "alias").contains(flag)
                        && i + 1 < args.size()) {
                    d.put(flag, args.get(++i));
                } else {
                    d.put(flag, "true");
                }
            } else {
                positional.add(a);
            }
        }
        if (!positional.isEmpty() && !d.containsKey("domain") && !Set.of("list", "version", "capabilities",
                "nodeinfo", "hostname", "uri", "sysinfo", "event", "domcapabilities", "define", "create",
                "restore").contains(name)) {
            d.put("domain", positional.remove(0));
        }
        names(name, positional, d);
    }

    /** What a device command names: the disk target, the device XML file, the interface's MAC. */
    private static void names(String command, List<String> positional, Map<String, String> d) {
        if (!DEVICE_COMMANDS.contains(command) || positional.isEmpty()) {
            return;
        }
        switch (command) {
            case "detach-disk":
                d.putIfAbsent("target", positional.get(0));
                break;
            case "attach-disk":
                d.putIfAbsent("source", positional.get(0));
                if (positional.size() > 1) {
                    d.putIfAbsent("target", positional.get(1));
                }
                break;
            case "detach-device-alias":
                d.putIfAbsent("alias", positional.get(0));
                break;
            case "attach-interface":
                d.putIfAbsent("type", positional.get(0));
                break;
            case "detach-interface":
                d.putIfAbsent("type", positional.get(0));
                if (positional.size() > 1) {
                    d.putIfAbsent("mac", positional.get(1)); // virsh detach-interface DOMAIN TYPE [--mac] MAC
                }
                break;
            default:
                d.putIfAbsent("file", positional.get(0));
                break;
        }
    }
}

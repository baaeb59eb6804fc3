package dev.vmcase.parsers.ingest;

import dev.vmcase.model.Artifact;
import dev.vmcase.model.Evidence;
import dev.vmcase.model.Role;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The user's word on where evidence came from: {@code --host PATH=NAME} and {@code --role PATH=source|destination}.
 * A rule applies to the artifact at PATH, to everything below a directory PATH and to every member of an archive
 * PATH ({@code PATH!/…}); the most specific (longest) PATH wins; the user's word beats what the content suggested.
 */
public final class Attribution {
    private final List<String[]> hosts = new ArrayList<>();
    private final List<String[]> roles = new ArrayList<>();

    /** {@code PATH=NAME}; throws IllegalArgumentException with a message for the user when malformed. */
    public Attribution host(String spec) {
        hosts.add(split(spec, "--host"));
        return this;
    }

    /** {@code PATH=source|destination}. */
    public Attribution role(String spec) {
        String[] kv = split(spec, "--role");
        String r = kv[1].toLowerCase(Locale.ROOT);
        if (!r.equals("source") && !r.equals("destination")) {
            throw new IllegalArgumentException("--role " + spec + ": the role is 'source' or 'destination'");
        }
        roles.add(new String[] {kv[0], r});
        return this;
    }

    private static String[] split(String spec, String option) {
        int eq = spec.lastIndexOf('=');
        if (eq <= 0 || eq == spec.length() - 1) {
            throw new IllegalArgumentException(option + " " + spec + ": expected PATH=VALUE");
        }
        return new String[] {normalize(spec.substring(0, eq)), spec.substring(eq + 1)};
    }

    private static String normalize(String path) {
        int bang = path.indexOf("!/");
        String file = bang < 0 ? path : path.substring(0, bang);
        String rest = bang < 0 ? "" : path.substring(bang);
        return Path.of(file).toAbsolutePath().normalize() + rest;
    }

    public boolean isEmpty() {
        return hosts.isEmpty() && roles.isEmpty();
    }

    /** The evidence with the user's hosts and roles on its artifacts. */
    public Evidence apply(Evidence e) {
        if (isEmpty()) {
            return e;
        }
        List<Artifact> out = new ArrayList<>();
        for (Artifact a : e.artifacts()) {
            String p = normalize(a.path());
            String host = best(hosts, p);
            String role = best(roles, p);
            out.add(a.withHost(host != null ? host : a.host())
                    .withRole(role != null ? Role.valueOf(role.toUpperCase(Locale.ROOT)) : a.role()));
        }
        return e.withArtifacts(out);
    }

    private static String best(List<String[]> rules, String path) {
        String[] best = null;
        for (String[] r : rules) {
            if (covers(r[0], path) && (best == null || r[0].length() > best[0].length())) {
                best = r;
            }
        }
        return best == null ? null : best[1];
    }

    private static boolean covers(String prefix, String path) {
        if (!path.startsWith(prefix)) {
            return false;
        }
        if (path.length() == prefix.length()) {
            return true;
        }
        char next = path.charAt(prefix.length());
        return next == '/' || path.startsWith("!/", prefix.length());
    }
}

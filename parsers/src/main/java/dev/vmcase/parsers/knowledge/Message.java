package dev.vmcase.parsers.knowledge;

import dev.vmcase.model.MessageClass;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One entry of the message catalogue: a message some program writes, how to recognise it, what it means and what it
 * names, and the real lines it was seen as.
 *
 * @param id        stable name, {@code component.area.what} ({@code qemu.load.ramblock-unknown})
 * @param component who writes it: {@code qemu}, {@code libvirt}, {@code nova}, or a tool ({@code avocado-vt},
 *                  {@code cloudstack}, {@code minimega}, {@code shell})
 * @param messageClass what it means ({@link MessageClass})
 * @param needle    a fixed ASCII phrase every matching line contains: looked for first, so most lines never meet the
 *                  pattern, and the phrase a byte-level prefilter searches for
 * @param pattern   found anywhere in the text; its named groups are what the message names
 * @param names     each named group and what it holds ({@code section}: a savevm section idstr)
 * @param details   fixed facts the message states, added to its event ({@code refusal}: {@code guest-busy})
 * @param since     the first version known to write it (the component's), or null
 * @param until     the last version known to write it, or null while current
 * @param versions  the wording's history and where it was seen, in words
 * @param samples   real lines it matches, each with its public source
 * @param bug       for a known upstream bug's signature ({@code bugs.json}): the bug's public address, else null
 * @param fixedIn   for a known bug: the versions that fixed it ({@code QEMU 4.1.0}), else null
 */
public record Message(String id, String component, MessageClass messageClass, String needle, Pattern pattern,
                      List<String> groups, Map<String, String> names, Map<String, String> details, String since,
                      String until, String versions, List<Sample> samples, String bug, String fixedIn) {
    public Message {
        groups = List.copyOf(groups);
        names = Map.copyOf(names);
        details = Map.copyOf(details);
        samples = List.copyOf(samples);
    }

    /**
     * A real line the entry matches.
     *
     * @param line   verbatim, with whatever prefix it had where it was seen
     * @param source the public address it was taken from (or the sample case of this repository holding it)
     * @param seen   the version or setting it was seen in
     */
    public record Sample(String line, String source, String seen) {
    }

    /** The entry's match in a text, or null: the needle first, then the pattern. */
    public MessageMatch find(String text) {
        if (text == null || !text.contains(needle)) {
            return null;
        }
        Matcher m = pattern.matcher(text);
        if (!m.find()) {
            return null;
        }
        java.util.LinkedHashMap<String, String> g = new java.util.LinkedHashMap<>();
        for (String name : groups) {
            String v = m.group(name);
            if (v != null) {
                g.put(name, v);
            }
        }
        return new MessageMatch(this, g, m.start(), m.end());
    }
}

package dev.vmcase.model;

import java.util.Locale;
import java.util.Objects;

/**
 * Which VM (libvirt domain, QEMU guest, nova instance) a piece of evidence speaks for, as the evidence names it: a
 * domain name ({@code -name guest=instance-0000002a}, the XML's {@code <name>}, libvirtd's {@code name=}), a UUID
 * ({@code -uuid}, the XML's {@code <uuid>}, nova's {@code [instance: UUID]} — nova makes the domain's UUID its
 * instance's), or both when one source gives both and so ties them together. Two claims are the same VM when they share
 * a name or a UUID ({@link #sameAs}); the analysis joins claims into VMs that way.
 *
 * @param name the domain / guest name, or null
 * @param uuid the UUID in lower case, or null
 */
public record Guest(String name, String uuid) {
    public Guest {
        name = name == null || name.isBlank() ? null : name.strip();
        uuid = uuid == null || uuid.isBlank() ? null : uuid.strip().toLowerCase(Locale.ROOT);
        if (name == null && uuid == null) {
            throw new IllegalArgumentException("a guest needs a name or a UUID");
        }
    }

    public static Guest named(String name) {
        return new Guest(name, null);
    }

    public static Guest withUuid(String uuid) {
        return new Guest(null, uuid);
    }

    /** A guest from what a source gives, or null when it gives neither. */
    public static Guest of(String name, String uuid) {
        boolean none = (name == null || name.isBlank()) && (uuid == null || uuid.isBlank());
        return none ? null : new Guest(name, uuid);
    }

    /** Whether the two name the same VM: the same name or the same UUID. */
    public boolean sameAs(Guest o) {
        return o != null && (name != null && name.equals(o.name) || uuid != null && uuid.equals(o.uuid));
    }

    /** Whether the two could be the same VM: nothing they both give differs. */
    public boolean compatible(Guest o) {
        return o != null && (name == null || o.name == null || name.equals(o.name))
                && (uuid == null || o.uuid == null || uuid.equals(o.uuid));
    }

    /** What both say together (for compatible guests). */
    public Guest merge(Guest o) {
        if (o == null) {
            return this;
        }
        return new Guest(name != null ? name : o.name, uuid != null ? uuid : o.uuid);
    }

    /** The name, else the UUID. */
    public String label() {
        return name != null ? name : uuid;
    }

    @Override
    public String toString() {
        return name != null && uuid != null ? name + " (" + uuid + ")" : Objects.requireNonNullElse(name, uuid);
    }
}

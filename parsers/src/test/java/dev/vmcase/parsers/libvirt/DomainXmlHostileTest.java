package dev.vmcase.parsers.libvirt;

import dev.vmcase.model.DeviceObservation;
import dev.vmcase.model.Problem;
import dev.vmcase.parsers.EvidenceSink;
import dev.vmcase.parsers.TextSource;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A domain XML with a 100 MiB attribute or text is read in bounded memory with every device (the value cut, a problem
 * naming the line); a byte that is not UTF-8 is a problem, never a "[Fatal Error]" line on stderr (issue 19, items 9
 * and 10). The XML is the real one of the libvirt-migration sample case.
 */
class DomainXmlHostileTest {
    static final Path XML = Path.of("..", "sample-cases", "libvirt-migration", "evidence", "src-domain-before.xml");

    /** The real XML with {@code size} bytes of {@code fill} inserted at the first {@code marker}. */
    static TextSource inflated(String marker, String open, long size, String close) throws IOException {
        byte[] xml = Files.readAllBytes(XML);
        String text = new String(xml, StandardCharsets.UTF_8);
        int at = text.indexOf(marker) + marker.length();
        byte[] head = text.substring(0, at).concat(open).getBytes(StandardCharsets.UTF_8);
        byte[] tail = close.concat(text.substring(at)).getBytes(StandardCharsets.UTF_8);
        return new TextSource("inflated.xml", "sha", () -> new SequenceInputStream(new SequenceInputStream(
                new ByteArrayInputStream(head), new Repeat(size)), new ByteArrayInputStream(tail)));
    }

    /** {@code size} bytes of "A", generated (nothing of it is held). */
    static final class Repeat extends InputStream {
        private long left;

        Repeat(long size) {
            this.left = size;
        }

        @Override
        public int read() {
            return left-- > 0 ? 'A' : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            Arrays.fill(b, off, off + n, (byte) 'A');
            left -= n;
            return n;
        }
    }

    static EvidenceSink parse(TextSource src) {
        EvidenceSink sink = EvidenceSink.forSource(src);
        new DomainXmlParser().parse(src, sink);
        return sink;
    }

    static List<String> devices(EvidenceSink s) {
        return s.observations().stream().map(o -> o.id() + " " + o.pci()).toList();
    }

    @Test
    void aHundredMebibyteAttributeOrTextIsCutAndEveryDeviceIsRead() throws IOException {
        EvidenceSink plain = parse(TextSource.of(XML, "sha"));
        assertFalse(plain.observations().isEmpty());
        long mib100 = 100L << 20;
        for (TextSource src : List.of(
                inflated("<disk ", "serial='", mib100, "' "),
                inflated("<disk ", "serial=\"", 3 << 20, "\" "),
                inflated("<name>", "", 3 << 20, ""),
                inflated("<devices>", "<!--", 3 << 20, "-->"),
                inflated("<devices>", "<![CDATA[", 3 << 20, "]]>"))) {
            EvidenceSink s = parse(src);
            assertEquals(devices(plain), devices(s));
            List<Problem> p = s.problems();
            assertEquals(1, p.size(), p::toString);
            assertTrue(p.get(0).message().contains("longer than 1 MiB was cut"), p::toString);
            assertTrue(p.get(0).line() > 1, p::toString);
        }
    }

    @Test
    void aBadByteIsAProblemNotAFatalErrorOnStderr() throws IOException {
        byte[] xml = Files.readAllBytes(XML);
        String text = new String(xml, StandardCharsets.UTF_8);
        int at = text.indexOf("<devices>");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(xml, 0, at);
        bytes.write(new byte[] {(byte) 0xc3, (byte) 0x28}); // a 2-byte UTF-8 lead and no continuation
        bytes.write(xml, at, xml.length - at);
        byte[] bad = bytes.toByteArray();
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        EvidenceSink s;
        try {
            s = parse(new TextSource("bad.xml", "sha", () -> new ByteArrayInputStream(bad)));
        } finally {
            System.setErr(old);
        }
        assertEquals("", err.toString(StandardCharsets.UTF_8));
        assertTrue(s.problems().stream().anyMatch(p -> p.message().contains("not valid UTF-8")), s.problems()::toString);
        List<DeviceObservation> plain = parse(TextSource.of(XML, "sha")).observations();
        assertEquals(plain.size(), s.observations().size(), "read again as Latin-1: every device is there");
    }
}

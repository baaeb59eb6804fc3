package dev.vmcase.parsers.text;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link AsciiPatterns} says what {@link String#contains} says, for every phrase, wherever it stands. */
class AsciiPatternsTest {
    private static final List<String> PHRASES = List.of("missing device in device deleted event",
            "Detaching of device", "unplug of device was rejected by the guest", "Removing disk ", "vcpu unplug");

    private static boolean naive(String text) {
        return PHRASES.stream().anyMatch(text::contains);
    }

    private static boolean search(AsciiPatterns p, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return p.anyIn(b, 0, b.length);
    }

    @Test
    void eachPhraseIsFoundAtTheStartInTheMiddleAndAtTheEnd() {
        AsciiPatterns p = new AsciiPatterns(PHRASES);
        for (String phrase : PHRASES) {
            assertTrue(search(p, phrase), phrase);
            assertTrue(search(p, "qemuDomainDeleteDevice:123 : " + phrase + " and more"), phrase);
            assertTrue(search(p, "x" + phrase), phrase);
            assertFalse(search(p, phrase.substring(1)), phrase);
            assertFalse(search(p, phrase.substring(0, phrase.length() - 1)), phrase);
        }
    }

    @Test
    void onlyTheGivenRangeIsSearched() {
        AsciiPatterns p = new AsciiPatterns(PHRASES);
        byte[] b = "Removing disk sda".getBytes(StandardCharsets.US_ASCII);
        assertTrue(p.anyIn(b, 0, b.length));
        assertFalse(p.anyIn(b, 1, b.length));
        assertFalse(p.anyIn(b, 0, 13)); // "Removing disk" without its trailing space
        assertTrue(p.anyIn(b, 0, 14));
        byte[] disk = "disk".getBytes(StandardCharsets.US_ASCII);
        assertTrue(AsciiPatterns.at(b, 9, b.length, disk));
        assertFalse(AsciiPatterns.at(b, 9, 12, disk)); // runs past the end given
        assertFalse(AsciiPatterns.at(b, 8, b.length, disk));
    }

    @Test
    void caseMattersAndMultiByteTextAroundIsNoObstacle() {
        AsciiPatterns p = new AsciiPatterns(PHRASES);
        assertFalse(search(p, "removing disk vda"));
        assertTrue(search(p, "设备 Detaching of device 磁盘 virtio-disk1"));
        assertFalse(search(p, "设备分离 Detaching of 设备"));
    }

    @Test
    void agreesWithContainsOnEveryLineOfARealLibvirtdLogAndOnRandomText() throws IOException {
        AsciiPatterns p = new AsciiPatterns(PHRASES);
        Path log = Path.of("../sample-cases/libvirt-pending-unplug/evidence/libvirtd.log");
        Random random = new Random(7);
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            assertEquals(naive(line), search(p, line), line); // none of them holds a phrase
            String with = new StringBuilder(line).insert(random.nextInt(line.length() + 1),
                    PHRASES.get(random.nextInt(PHRASES.size()))).toString();
            assertTrue(search(p, with), with);
        }
        agreesOnRandomText(p, PHRASES, "device unplug Detaching Removing disk of in vcpu eEdDv ", 120, 10, random);
    }

    /** 20,000 random texts over {@code alphabet}, one in {@code withPhrase} holding a phrase: as {@code contains}. */
    private static void agreesOnRandomText(AsciiPatterns p, List<String> phrases, String alphabet, int maxLength,
                                           int withPhrase, Random random) {
        for (int n = 0; n < 20_000; n++) {
            StringBuilder sb = new StringBuilder();
            int len = random.nextInt(maxLength);
            for (int i = 0; i < len; i++) {
                sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            if (random.nextInt(withPhrase) == 0) {
                sb.insert(random.nextInt(sb.length() + 1), phrases.get(random.nextInt(phrases.size())));
            }
            String text = sb.toString();
            assertEquals(phrases.stream().anyMatch(text::contains), search(p, text), phrases + " in " + text);
        }
    }

    @Test
    void twoAndThreeByteBlocksAgreeWithContainsOnRandomText() {
        // a two-character phrase makes two-byte blocks; three or more, hashed three-byte ones (collisions included)
        for (List<String> phrases : List.of(List.of("ab", "xyz12", " removed from"), List.of("abc", "cab", "bca", "aab"),
                List.of(" removed from", "Removing disk ", "' continues in waiting thread"))) {
            agreesOnRandomText(new AsciiPatterns(phrases), phrases, "abcxyz12 removedfromRDisk'", 80, 5, new Random(11));
        }
    }

    @Test
    void phrasesMustBeAsciiAndAtLeastTwoCharactersLong() {
        assertThrows(IllegalArgumentException.class, () -> new AsciiPatterns(List.of()));
        assertThrows(IllegalArgumentException.class, () -> new AsciiPatterns(List.of("x")));
        assertThrows(IllegalArgumentException.class, () -> new AsciiPatterns(List.of("设备")));
    }
}

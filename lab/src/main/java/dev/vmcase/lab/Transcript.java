package dev.vmcase.lab;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A verbatim, line-per-message record of a monitor conversation; written from the reader and the writer thread. */
final class Transcript implements Closeable {
    private final BufferedWriter out;

    Transcript(Path file) throws IOException {
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    }

    /** Appends a line and flushes, so a crash keeps what was said; after close, does nothing. */
    synchronized void record(String text) {
        try {
            out.write(text);
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            // closed: the conversation is over
        }
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            // nothing left to do
        }
    }
}

package dev.vmcase.lab;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * A line protocol over a unix domain socket that QEMU serves ({@code -chardev socket,…,server=on,wait=off} for QMP,
 * {@code -qtest unix:…,server=on,wait=off}). One reader thread hands every received line (terminator stripped) to a
 * consumer; writes go straight to the channel, so a blocked read never holds up a write.
 */
public final class LineChannel implements Closeable {
    private final SocketChannel channel;
    private final String name;
    private Thread reader;

    private LineChannel(SocketChannel channel, String name) {
        this.channel = channel;
        this.name = name;
    }

    /** Connects to a socket that already listens (a QEMU the user runs); the message names the socket. */
    public static LineChannel open(Path socket, String name) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            ch.close();
            throw new IOException(socket + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()), e);
        }
        return new LineChannel(ch, name);
    }

    /**
     * Connects as soon as QEMU listens. Gives up when {@code process} exits first or after {@code timeout}.
     */
    static LineChannel connect(Path socket, String name, QemuProcess process, Duration timeout)
            throws LabException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw process.diedError("lab.error.diedBeforeSocket", socket);
            }
            try {
                SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
                try {
                    ch.connect(UnixDomainSocketAddress.of(socket));
                    return new LineChannel(ch, name);
                } catch (IOException e) {
                    ch.close();
                }
            } catch (IOException e) {
                throw new LabException("lab.error.io", socket, e.getMessage());
            }
            if (System.nanoTime() > deadline) {
                throw new LabException("lab.error.socketNeverUp", process.role(), socket, timeout.toSeconds());
            }
            Thread.sleep(20);
        }
    }

    /** Starts the reader: {@code onLine} for each line, then {@code onClosed} once at end of stream or error. */
    public void start(Consumer<String> onLine, Runnable onClosed) {
        reader = new Thread(() -> {
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            try {
                while (channel.read(buf) >= 0) {
                    buf.flip();
                    while (buf.hasRemaining()) {
                        byte b = buf.get();
                        if (b == '\n') {
                            String s = line.toString(StandardCharsets.UTF_8);
                            line.reset();
                            onLine.accept(s.endsWith("\r") ? s.substring(0, s.length() - 1) : s);
                        } else {
                            line.write(b);
                        }
                    }
                    buf.clear();
                }
                if (line.size() > 0) {
                    onLine.accept(line.toString(StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // closed by us or reset by QEMU: both end the conversation
            } finally {
                onClosed.run();
            }
        }, "vmcase-lab-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    public void send(String line) throws IOException {
        ByteBuffer b = StandardCharsets.UTF_8.encode(line + "\n");
        synchronized (channel) {
            while (b.hasRemaining()) {
                channel.write(b);
            }
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing left to do
        }
        if (reader != null && reader != Thread.currentThread()) {
            try {
                reader.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

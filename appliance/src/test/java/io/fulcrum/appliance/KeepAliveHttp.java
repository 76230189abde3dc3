package io.fulcrum.appliance;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A keep-alive HTTP/1.1 client connection for the daemon tests: {@link #get()} sends {@code GET /} on the same
 * connection and returns the body of the 200 answer (the tests' real servers answer with a name or an address). The
 * caller connects the socket (in the namespace it wants); closing this closes it. One test thread at a time.
 */
public final class KeepAliveHttp implements AutoCloseable {

    private final Socket socket;
    private final BufferedReader in;

    /** Wraps a connected socket. */
    public KeepAliveHttp(Socket connected) throws IOException {
        this.socket = connected;
        this.in = new BufferedReader(new InputStreamReader(connected.getInputStream(), StandardCharsets.US_ASCII));
    }

    /** One request on this connection: the stripped body of the answer; an IOException for any other status. */
    public String get() throws IOException {
        socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        String line = in.readLine();
        if (line == null || !line.matches("HTTP/1\\.[01] 200 .*")) {
            throw new IOException("bad status: " + line);
        }
        int length = -1;
        while ((line = in.readLine()) != null && !line.isEmpty()) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).strip());
            }
        }
        if (length < 0) {
            throw new IOException("no Content-Length in the answer");
        }
        char[] body = new char[length];
        int n = 0;
        while (n < length) {
            int r = in.read(body, n, length - n);
            if (r < 0) {
                throw new IOException("connection closed");
            }
            n += r;
        }
        return new String(body).strip();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

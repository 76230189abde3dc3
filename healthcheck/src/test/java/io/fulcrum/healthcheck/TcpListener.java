package io.fulcrum.healthcheck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A loopback TCP listener for tests that can be stopped and restarted on the same port. */
final class TcpListener implements AutoCloseable {

    private final InetAddress address;
    private final Consumer<Socket> session;
    private final List<Long> accepts = new CopyOnWriteArrayList<>();
    private volatile ServerSocket server;
    private int port;

    TcpListener(String address, int port, Consumer<Socket> session) {
        this.address = Endpoint.literal(address);
        this.port = port;
        this.session = session;
        start();
    }

    /** A listener that accepts and closes. */
    static TcpListener acceptor(String address) {
        return new TcpListener(address, 0, s -> { });
    }

    int port() {
        return port;
    }

    List<Long> acceptNanos() {
        return accepts;
    }

    synchronized void start() {
        try {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(address, port), 512);
            port = s.getLocalPort();
            server = s;
            Thread.ofPlatform().daemon().name("test-listener-" + port).start(() -> loop(s));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void loop(ServerSocket s) {
        while (!s.isClosed()) {
            try {
                Socket c = s.accept();
                accepts.add(System.nanoTime());
                Thread.ofVirtual().start(() -> {
                    try (c) {
                        session.accept(c);
                    } catch (IOException | RuntimeException ignored) {
                        // client went away
                    }
                });
            } catch (IOException e) {
                return;
            }
        }
    }

    synchronized void stop() {
        try {
            if (server != null) {
                server.close();
            }
        } catch (IOException ignored) {
            // closing
        }
    }

    @Override
    public void close() {
        stop();
    }
}

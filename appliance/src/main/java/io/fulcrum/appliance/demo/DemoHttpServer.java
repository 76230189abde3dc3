package io.fulcrum.appliance.demo;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * The demo's real server: a tiny HTTP server (the JDK's {@code com.sun.net.httpserver}) answering every request with
 * its name, started as a child process inside a real server's network namespace.
 *
 * <p>Runs as its own process ({@link #main}); the server's threads are the JDK's.
 */
public final class DemoHttpServer {

    private DemoHttpServer() {
    }

    /**
     * Serves until killed.
     *
     * @param args address, port, name
     * @throws IOException when it cannot bind
     */
    public static void main(String[] args) throws IOException {
        InetAddress address = InetAddress.getByName(args[0]);
        int port = Integer.parseInt(args[1]);
        byte[] body = (args[2] + "\n").getBytes(StandardCharsets.US_ASCII);
        HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 512);
        server.createContext("/", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                StandardCharsets.UTF_8);
        out.println("listening on " + args[0] + ":" + port + " as " + args[2]);
    }
}

package io.fulcrum.appliance.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fulcrum.appliance.ApplianceView;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Prometheus endpoint: {@code GET /metrics} answers {@link ApplianceMetrics#render} as text format 0.0.4, served
 * by the JDK's {@code com.sun.net.httpserver} (module {@code jdk.httpserver}) on the tuning's
 * {@code fulcrum.metrics.address} (loopback by default, {@code 127.0.0.1:9469}). {@code /} links to it; other paths
 * get 404, other methods 405.
 *
 * <p>Started once by the daemon ({@link #start}); each scrape runs on its own virtual thread. {@link #close()} may be
 * called from any thread.
 */
public final class MetricsServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);

    private final HttpServer server;
    private final ExecutorService executor;

    private MetricsServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Binds {@code address} and starts serving {@code view}: the daemon calls this once its view is ready (e.g.
     * {@code MetricsServer.start(new InetSocketAddress(m.host(), m.port()), view)} when {@code m.enabled()}).
     *
     * @throws IOException when the address cannot be bound (the message names it)
     */
    public static MetricsServer start(InetSocketAddress address, ApplianceView view) throws IOException {
        HttpServer http;
        try {
            http = HttpServer.create(address, 16);
        } catch (IOException e) {
            throw new IOException("cannot serve metrics on " + address.getHostString() + ":" + address.getPort()
                    + ": " + e.getMessage(), e);
        }
        ExecutorService executor = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("fulcrum-metrics-", 0).factory());
        http.setExecutor(executor);
        http.createContext("/", exchange -> handle(exchange, view));
        http.start();
        MetricsServer s = new MetricsServer(http, executor);
        LOG.info("Metrics on http://{}/metrics", hostPort(s.address()));
        return s;
    }

    /** The bound address (with the actual port when started on port 0). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    private static String hostPort(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    private static void handle(HttpExchange exchange, ApplianceView view) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                send(exchange, 405, "text/plain; charset=utf-8", "method not allowed\n");
                return;
            }
            switch (path) {
                case "/metrics" -> {
                    String text;
                    try {
                        text = ApplianceMetrics.render(view);
                    } catch (RuntimeException e) {
                        LOG.warn("Metrics: rendering failed", e);
                        send(exchange, 500, "text/plain; charset=utf-8", "metrics unavailable: " + e + "\n");
                        return;
                    }
                    send(exchange, 200, PrometheusText.CONTENT_TYPE, text);
                }
                case "/" -> send(exchange, 200, "text/html; charset=utf-8",
                        "<html><head><title>Fulcrum</title></head><body><h1>Fulcrum</h1>"
                                + "<p><a href=\"/metrics\">Metrics</a></p></body></html>\n");
                default -> send(exchange, 404, "text/plain; charset=utf-8", "not found\n");
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }
}

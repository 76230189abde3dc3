package io.fulcrum.healthcheck;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fulcrum.testkit.Await;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** HTTP_GET {@code regex} family against the JDK HTTP server on loopback, in keepalived's words. */
class HttpRegexTest {

    private static final Endpoint VIP = Endpoint.of("10.0.0.100", 80);
    private static final CheckOptions HTTP = CheckHarness.FAST.withConnectTimeout(Duration.ofSeconds(2));
    private static final Duration LIMIT = Duration.ofSeconds(8);

    private final AtomicReference<String> body = new AtomicReference<>("service state: GOOD\n");
    private HttpServer server;
    private int port;
    private String rs;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.createContext("/", this::handle);
        server.start();
        port = server.getAddress().getPort();
        rs = "[127.0.0.1]:tcp:" + port;
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        byte[] b = body.get().getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(200, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    private CheckHarness launch(BodyRegex regex) {
        CheckSpec.Url url = new CheckSpec.Url("/health", List.of(), null, null, regex);
        return CheckHarness.launch(VirtualServerCheckSpec.tcp(VIP, RealServerCheckSpec.of(
                Endpoint.of("127.0.0.1", port), new CheckSpec.Http(HTTP, false, List.of(url), null, false))));
    }

    @Test
    void regexMatchFailureAndRecovery() {
        try (CheckHarness h = launch(new BodyRegex("state: (GOOD|OK)", List.of(), false, 0, -1))) {
            h.await("Remote Web server " + rs + " succeed on service.", LIMIT);
            body.set("service state: DRAINING\n");
            h.await("Regex match failed server " + rs + ".", LIMIT);
            h.await("HTTP_CHECK on service " + rs + " failed after 1 retries.", LIMIT);
            h.await("Removing service " + rs + " from VS [10.0.0.100]:tcp:80", LIMIT);
            body.set("service state: OK\n");
            h.await("Regex match success to " + rs + " url(/health)", LIMIT);
            h.await("Adding service " + rs + " to VS [10.0.0.100]:tcp:80", LIMIT);
        }
    }

    @Test
    void regexNoMatchInvertsTheSense() {
        body.set("all fine\n");
        try (CheckHarness h = launch(new BodyRegex("(?i)error", List.of(), true, 0, -1))) {
            h.await("Remote Web server " + rs + " succeed on service.", LIMIT);
            body.set("fatal ERROR in backend\n");
            h.await("Regex match failed server " + rs + ".", LIMIT);
            h.await("Removing service " + rs + " from VS [10.0.0.100]:tcp:80", LIMIT);
        }
    }

    @Test
    void offsetsAndALargeBody() {
        // the marker sits 200 kB into the body: found when allowed there, refused once max_offset excludes it
        String big = "x".repeat(200_000) + "MARKER" + "y".repeat(100_000);
        body.set(big);
        try (CheckHarness h = launch(new BodyRegex("MARKER", List.of(), false, 100_000, 250_000))) {
            h.await("Remote Web server " + rs + " succeed on service.", LIMIT);
        }
        try (CheckHarness h = launch(new BodyRegex("MARKER", List.of(), false, 0, 100_000))) {
            h.await("Regex match failed server " + rs + ".", LIMIT);
            Await.until("never added", Duration.ofMillis(10), () -> !h.log.contains("succeed on service"));
        }
    }

    @Test
    void aCatastrophicPatternFailsTheCheckWithoutHangingIt() {
        body.set("a".repeat(60));
        try (CheckHarness h = launch(BodyRegex.of("((a+)+)+b"))) {
            h.await("exceeded the match limit - treated as no match", LIMIT);
            h.await("Regex match failed server " + rs + ".", LIMIT);
            h.await("Removing service " + rs + " from VS [10.0.0.100]:tcp:80", LIMIT);
            long attempts = h.handle.attempts();
            Await.until("the check keeps running", LIMIT, () -> h.handle.attempts() > attempts + 2);
            assertTrue(h.handle.attempts() > attempts);
        }
    }
}

package io.fulcrum.healthcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fulcrum.testkit.Await;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * keepalived's HTTP_GET url cycle against the JDK HTTP server on loopback: one url per delay_loop, only the failed
 * url while down, and {@code fast_recovery} fetching the urls back to back at start.
 */
class HttpUrlCycleTest {

    private static final Endpoint VIP = Endpoint.of("10.0.0.100", 80);

    private final List<String> hits = new CopyOnWriteArrayList<>();
    private final Set<String> failing = ConcurrentHashMap.newKeySet();
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
        String path = ex.getRequestURI().getPath();
        hits.add(path);
        byte[] b = "ok".getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(failing.contains(path) ? 503 : 200, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    private CheckHarness launch(CheckOptions o, boolean fastRecovery, boolean alpha) {
        List<CheckSpec.Url> urls = List.of(CheckSpec.Url.of("/a"), CheckSpec.Url.of("/b"), CheckSpec.Url.of("/c"));
        return CheckHarness.launch(new VirtualServerCheckSpec(VIP, Protocol.TCP, 1, 0, null, null, null, alpha, false,
                List.of(RealServerCheckSpec.of(Endpoint.of("127.0.0.1", port),
                        new CheckSpec.Http(o, false, urls, null, false, fastRecovery)))));
    }

    @Test
    void fastRecoveryBringsAnAlphaServerUpWithoutWaitingADelayLoopPerUrl() {
        // delay_loop 60 s: without fast_recovery the third url would be fetched two minutes after the first
        CheckOptions o = CheckHarness.FAST.withDelayLoop(Duration.ofSeconds(60))
                .withConnectTimeout(Duration.ofSeconds(2));
        try (CheckHarness h = launch(o, true, true)) {
            h.await("Adding service " + rs + " to VS [10.0.0.100]:tcp:80", Duration.ofSeconds(10));
            assertEquals(List.of("/a", "/b", "/c"), hits);
            assertEquals(List.of("HTTP status code success to " + rs + " url(/a)",
                    "HTTP status code success to " + rs + " url(/b)",
                    "HTTP status code success to " + rs + " url(/c)",
                    "Remote Web server " + rs + " succeed on service."),
                    h.log.lines().stream().filter(l -> l.contains("success") || l.contains("succeed")).toList());
        }
    }

    @Test
    void withoutFastRecoveryOneUrlPerDelayLoop() {
        CheckOptions o = CheckHarness.FAST.withDelayLoop(Duration.ofSeconds(60))
                .withConnectTimeout(Duration.ofSeconds(2));
        try (CheckHarness h = launch(o, false, true)) {
            Await.until("the first url fetched", Duration.ofSeconds(10), () -> hits.size() == 1);
            Await.pause(1500);
            assertEquals(List.of("/a"), hits, "the next url waits for delay_loop");
            assertTrue(!h.handle.isUp(0, 0));
        }
    }

    @Test
    void onlyTheFailedUrlIsFetchedUntilItRecoversThenAllAgain() {
        CheckOptions o = CheckHarness.FAST.withRetry(0).withConnectTimeout(Duration.ofSeconds(2));
        try (CheckHarness h = launch(o, false, false)) {
            Await.until("a full pass", Duration.ofSeconds(10), () -> hits.size() >= 3);
            failing.add("/b");
            h.await("HTTP_CHECK on service " + rs + " failed.", Duration.ofSeconds(10));
            h.await("Removing service " + rs + " from VS [10.0.0.100]:tcp:80", Duration.ofSeconds(5));
            int mark = hits.size();
            Await.until("the failed url fetched again a few times", Duration.ofSeconds(10),
                    () -> hits.size() >= mark + 3);
            assertEquals(Set.of("/b"), Set.copyOf(hits.subList(mark, hits.size())), "only the failed url: " + hits);
            failing.clear();
            h.await("Adding service " + rs + " to VS [10.0.0.100]:tcp:80", Duration.ofSeconds(10));
            // the recovery pass: the failed /b passes, then /a, /b, /c in turn before the server is added
            List<String> since = List.copyOf(hits.subList(mark, hits.size()));
            assertTrue(java.util.Collections.indexOfSubList(since, List.of("/b", "/a", "/b", "/c")) >= 0,
                    "recovery pass in " + since);
        }
    }
}

package io.fulcrum.healthcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.testkit.Await;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Identical checks used by several virtual servers run once and share their result. */
class SharedCheckTest {

    @Test
    void identicalChecksRunOnceForTwoVirtualServers() {
        try (TcpListener server = TcpListener.acceptor("127.0.0.1")) {
            int p = server.port();
            String rs = "[127.0.0.1]:tcp:" + p;
            CheckSpec tcp = new CheckSpec.Tcp(CheckHarness.FAST);
            VirtualServerCheckSpec a = VirtualServerCheckSpec.tcp(Endpoint.of("10.0.0.100", 80),
                    RealServerCheckSpec.of(Endpoint.of("127.0.0.1", p), tcp));
            VirtualServerCheckSpec b = VirtualServerCheckSpec.tcp(Endpoint.of("10.0.0.101", 80),
                    RealServerCheckSpec.of(Endpoint.of("127.0.0.1", p), new CheckSpec.Tcp(CheckHarness.FAST)));
            // a different delay_loop is a different check
            VirtualServerCheckSpec c = VirtualServerCheckSpec.tcp(Endpoint.of("10.0.0.102", 80),
                    RealServerCheckSpec.of(Endpoint.of("127.0.0.1", p),
                            new CheckSpec.Tcp(CheckHarness.FAST.withDelayLoop(Duration.ofMillis(300)))));
            try (CheckHarness h = CheckHarness.launch(new HealthCheckContext().virtualServers(List.of(a, b, c)))) {
                assertEquals(3, h.handle.checkers());
                assertEquals(2, h.handle.sharedChecks());
                h.await("TCP connection to " + rs + " success.", Duration.ofSeconds(5));
                // The rate over a measured window: 5 attempts/s for the shared 200 ms check plus 3.3/s for the 300 ms
                // one is 8.3/s; unshared it would be 13.3/s. Checks never run faster than their delay_loop, and a
                // loaded machine only slows them, so the rate (not a count over a sleep that may oversleep) decides.
                long a0 = h.handle.attempts();
                long t0 = System.nanoTime();
                Await.pause(2000);
                long attempts = h.handle.attempts() - a0;
                double seconds = (System.nanoTime() - t0) / 1e9;
                assertTrue(attempts / seconds <= 10.8, attempts + " attempts in " + seconds + " s");
                server.stop();
                for (String vip : List.of("10.0.0.100", "10.0.0.101", "10.0.0.102")) {
                    h.await("Removing service " + rs + " from VS [" + vip + "]:tcp:80",
                            CheckHarness.bound(CheckHarness.FAST, Duration.ofMillis(3000)));
                }
                assertEquals(2, h.log.count("TCP_CHECK on service " + rs + " failed after 1 retries."),
                        "one verdict line per shared check");
            }
        }
    }
}

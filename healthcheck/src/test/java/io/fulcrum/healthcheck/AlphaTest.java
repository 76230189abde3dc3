package io.fulcrum.healthcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * keepalived's {@code alpha} at each level: a checker in alpha mode starts failed and needs a success; the checker's
 * own (or real server's) {@code alpha} overrides the virtual server's. Against a real listener on loopback.
 */
class AlphaTest {

    private static final Endpoint VIP = Endpoint.of("10.0.0.100", 80);

    private static VirtualServerCheckSpec vs(boolean vsAlpha, RealServerCheckSpec... rs) {
        return new VirtualServerCheckSpec(VIP, Protocol.TCP, 1, 0, null, null, null, vsAlpha, false, List.of(rs));
    }

    @Test
    void checkerAlphaStartsDownUntilTheFirstSuccess() {
        try (TcpListener server = TcpListener.acceptor("127.0.0.1")) {
            int p = server.port();
            String rs = "[127.0.0.1]:tcp:" + p;
            CheckOptions o = CheckHarness.FAST.withDelayLoop(Duration.ofMillis(500)).withWarmup(Duration.ZERO)
                    .withAlpha(true);
            try (CheckHarness h = CheckHarness.launch(vs(false,
                    RealServerCheckSpec.of(Endpoint.of("127.0.0.1", p), new CheckSpec.Tcp(o))))) {
                assertEquals(List.of("[127.0.0.1]:" + p + " down 0", "quorum down"), h.listener.events().subList(0, 2));
                h.await("TCP connection to " + rs + " success.", Duration.ofSeconds(5));
                h.await("Adding service " + rs + " to VS [10.0.0.100]:tcp:80", Duration.ofSeconds(5));
                h.await("Gained quorum 1+0=1 <= 1 for VS [10.0.0.100]:tcp:80", Duration.ofSeconds(5));
            }
        }
    }

    @Test
    void checkerAlphaNoOverridesTheVirtualServer() {
        try (TcpListener server = TcpListener.acceptor("127.0.0.1")) {
            int p = server.port();
            CheckOptions o = CheckHarness.FAST.withAlpha(false);
            try (CheckHarness h = CheckHarness.launch(vs(true,
                    RealServerCheckSpec.of(Endpoint.of("127.0.0.1", p), new CheckSpec.Tcp(o))))) {
                assertEquals("[127.0.0.1]:" + p + " up 1", h.listener.events().getFirst());
                h.await("TCP connection to [127.0.0.1]:tcp:" + p + " success.", Duration.ofSeconds(5));
                assertEquals(0, h.log.count("Adding service"), "already in the pool");
            }
        }
    }

    @Test
    void oneAlphaCheckerKeepsTheServerOutUntilItPasses() {
        try (TcpListener up = TcpListener.acceptor("127.0.0.1")) {
            int p = up.port();
            String rs = "[127.0.0.1]:tcp:" + p;
            // the first checker inherits the virtual server's alpha (off); the second is in alpha mode and aims
            // at a closed port until the test opens a listener there
            int closed;
            try (TcpListener probe = TcpListener.acceptor("127.0.0.1")) {
                closed = probe.port();
            }
            CheckSpec plain = new CheckSpec.Tcp(CheckHarness.FAST);
            CheckSpec alpha = new CheckSpec.Tcp(CheckHarness.FAST.withConnectPort(closed).withAlpha(true));
            try (CheckHarness h = CheckHarness.launch(vs(false,
                    RealServerCheckSpec.of(Endpoint.of("127.0.0.1", p), plain, alpha)))) {
                assertEquals("[127.0.0.1]:" + p + " down 0", h.listener.events().getFirst());
                h.await("TCP connection to " + rs + " success.", Duration.ofSeconds(5));
                h.await("TCP_CHECK on service " + rs + " failed", Duration.ofSeconds(5));
                assertFalse(h.handle.isUp(0, 0), "the alpha checker has not passed yet");
                try (TcpListener late = new TcpListener("127.0.0.1", closed, s -> { })) {
                    h.await("Adding service " + rs + " to VS [10.0.0.100]:tcp:80", Duration.ofSeconds(5));
                    assertTrue(h.handle.isUp(0, 0));
                }
            }
        }
    }
}

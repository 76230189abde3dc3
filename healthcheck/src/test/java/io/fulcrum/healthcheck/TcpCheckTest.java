package io.fulcrum.healthcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** TCP_CHECK against listeners the test starts and stops on loopback. */
class TcpCheckTest {

    private static final Endpoint VIP = Endpoint.of("10.0.0.100", 80);
    private static final Duration SLACK = Duration.ofMillis(3000);

    @Test
    void failureAndRecoveryDetectedInTimeAndLoggedInKeepalivedWords() {
        try (TcpListener server = TcpListener.acceptor("127.0.0.1")) {
            int p = server.port();
            String rs = "[127.0.0.1]:tcp:" + p;
            CheckOptions o = CheckHarness.FAST.withRetry(2);
            VirtualServerCheckSpec vs = VirtualServerCheckSpec.tcp(VIP,
                    RealServerCheckSpec.of(Endpoint.of("127.0.0.1", p), new CheckSpec.Tcp(o)));
            try (CheckHarness h = CheckHarness.launch(vs)) {
                h.await("TCP connection to " + rs + " success.", Duration.ofSeconds(5));
                server.stop();
                long down = h.await("TCP_CHECK on service " + rs + " failed after 2 retries.",
                        CheckHarness.bound(o, SLACK));
                h.await("Removing service " + rs + " from VS [10.0.0.100]:tcp:80", Duration.ofSeconds(1));
                h.await("Lost quorum 1-0=1 > 0 for VS [10.0.0.100]:tcp:80", Duration.ofSeconds(1));
                assertTrue(h.log.contains("TCP connection to " + rs + " failed."), "log_all_failures attempt line");
                server.start();
                long up = h.await("Adding service " + rs + " to VS [10.0.0.100]:tcp:80",
                        o.delayLoop().plus(o.connectTimeout()).plus(SLACK));
                h.await("Gained quorum 1+0=1 <= 1 for VS [10.0.0.100]:tcp:80", Duration.ofSeconds(1));
                assertEquals(2, h.log.count("TCP connection to " + rs + " success."));
                assertEquals(List.of("[127.0.0.1]:" + p + " up 1", "quorum up", "[127.0.0.1]:" + p + " down 0",
                        "quorum down", "[127.0.0.1]:" + p + " up 1", "quorum up"), h.listener.events());
                assertTrue(down >= 0 && up >= 0);
            }
        }
    }

    @Test
    void notifyAndQuorumScriptsRun(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        try (TcpListener server = TcpListener.acceptor("127.0.0.1")) {
            int p = server.port();
            RealServerCheckSpec rs = new RealServerCheckSpec(Endpoint.of("127.0.0.1", p), 1, false,
                    "echo up >> " + dir.resolve("rs"), "echo down >> " + dir.resolve("rs"),
                    List.of(new CheckSpec.Tcp(CheckHarness.FAST.withRetry(0))));
            VirtualServerCheckSpec vs = new VirtualServerCheckSpec(VIP, Protocol.TCP, 1, 0,
                    "echo quorum_up >> " + dir.resolve("vs"), "echo quorum_down >> " + dir.resolve("vs"), null, false,
                    false, List.of(rs));
            try (CheckHarness h = CheckHarness.launch(vs)) {
                h.await("TCP connection to [127.0.0.1]:tcp:" + p + " success.", Duration.ofSeconds(5));
                server.stop();
                h.await("Lost quorum", Duration.ofSeconds(5));
                server.start();
                h.await("Gained quorum", Duration.ofSeconds(5));
                io.fulcrum.testkit.Await.until("scripts ran", Duration.ofSeconds(3), () -> read(dir.resolve("rs"))
                        .equals("down\nup\n") && read(dir.resolve("vs")).equals("quorum_down\nquorum_up\n"));
            }
        }
    }

    private static String read(java.nio.file.Path p) {
        try {
            return java.nio.file.Files.exists(p) ? java.nio.file.Files.readString(p) : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }

    @Test
    void warmupDelaysTheFirstCheckByARandomAmount() {
        try (TcpListener server = TcpListener.acceptor("127.0.0.1")) {
            CheckOptions o = CheckHarness.FAST.withWarmup(Duration.ofSeconds(2));
            VirtualServerCheckSpec vs = VirtualServerCheckSpec.tcp(VIP,
                    RealServerCheckSpec.of(Endpoint.of("127.0.0.1", server.port()), new CheckSpec.Tcp(o)));
            // a random source that always draws 70 % of the bound: the first check starts 1.4 s after launch
            java.util.random.RandomGenerator fixed = new java.util.random.RandomGenerator() {
                @Override
                public long nextLong() {
                    return 0;
                }

                @Override
                public long nextLong(long bound) {
                    return bound * 7 / 10;
                }
            };
            long t0 = System.nanoTime();
            try (CheckHarness h = CheckHarness.launch(new HealthCheckContext().virtualServers(List.of(vs))
                    .random(fixed))) {
                h.await("TCP connection to [127.0.0.1]:tcp:" + server.port() + " success.", Duration.ofSeconds(6));
                long firstAcceptMs = (server.acceptNanos().getFirst() - t0) / 1_000_000;
                assertTrue(firstAcceptMs >= 1400, "first check after the warmup draw: " + firstAcceptMs + " ms");
            }
        }
    }

    @Test
    void refusedPortFailsCleanlyWithALogLine() throws Exception {
        int p;
        try (ServerSocket s = new ServerSocket(0, 1, Endpoint.literal("127.0.0.1"))) {
            p = s.getLocalPort();
        }
        CheckOptions o = CheckHarness.FAST.withRetry(0).withLogAllFailures(false);
        VirtualServerCheckSpec vs = VirtualServerCheckSpec.tcp(VIP,
                RealServerCheckSpec.of(Endpoint.of("127.0.0.1", p), new CheckSpec.Tcp(o)));
        try (CheckHarness h = CheckHarness.launch(vs)) {
            h.await("TCP_CHECK on service [127.0.0.1]:tcp:" + p + " failed.", Duration.ofSeconds(5));
            h.await("Removing service [127.0.0.1]:tcp:" + p + " from VS [10.0.0.100]:tcp:80", Duration.ofSeconds(1));
            h.assertNoStackTraces();
        }
    }

    @Test
    void ipv6LoopbackAndConnectPortAndBindto() {
        try (TcpListener server = TcpListener.acceptor("::1")) {
            int p = server.port();
            // the real server is [::1]:80 but the check goes to connect_port, from bindto ::1
            CheckOptions o = CheckHarness.FAST.withConnectPort(p).withBindTo(Endpoint.literal("::1"));
            VirtualServerCheckSpec vs = VirtualServerCheckSpec.tcp(Endpoint.of("fd00::100", 80),
                    RealServerCheckSpec.of(Endpoint.of("::1", 80), new CheckSpec.Tcp(o)));
            try (CheckHarness h = CheckHarness.launch(vs)) {
                h.await("TCP connection to [::1]:tcp:80 success.", Duration.ofSeconds(5));
                server.stop();
                h.await("Removing service [::1]:tcp:80 from VS [fd00::100]:tcp:80", CheckHarness.bound(o, SLACK));
            }
        }
    }
}

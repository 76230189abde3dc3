package io.fulcrum.healthcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.testkit.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MISC_CHECK with scripts the test writes: exit codes, misc_dynamic weights, misc_timeout, and a flood of scripts. */
class MiscCheckTest {

    private static final Endpoint VIP = Endpoint.of("10.0.0.100", 80);

    private static Path script(Path dir, String name, String body) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    @Test
    void exitCodesAndDynamicWeight(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("state");
        Files.writeString(state, "0");
        Path check = script(dir, "check.sh", "exit $(cat " + state + ")");
        CheckSpec.Misc misc = new CheckSpec.Misc(CheckHarness.FAST, check.toString(), Duration.ofSeconds(5), true,
                null);
        VirtualServerCheckSpec vs = VirtualServerCheckSpec.tcp(VIP,
                RealServerCheckSpec.of(Endpoint.of("127.0.0.1", 80), misc));
        String head = "Misc check for [[127.0.0.1]:tcp:80 VS [10.0.0.100]:tcp:80] by [" + check + "] ";
        Duration bound = CheckHarness.bound(CheckHarness.FAST, Duration.ofMillis(2000));
        try (CheckHarness h = CheckHarness.launch(vs)) {
            h.await(head + "succeeded.", Duration.ofSeconds(5));
            Files.writeString(state, "1");
            h.await(head + "failed (exited with status 1).", bound);
            h.await(head + "failed after 1 retries (exited with status 1).", bound);
            h.await("Removing service [127.0.0.1]:tcp:80 from VS [10.0.0.100]:tcp:80", Duration.ofSeconds(1));
            Files.writeString(state, "0");
            h.await("Adding service [127.0.0.1]:tcp:80 to VS [10.0.0.100]:tcp:80", bound);
            assertEquals(2, h.log.count(head + "succeeded."));
            Files.writeString(state, "7");
            h.await("Changing weight from 1 to 5 for active service [127.0.0.1]:tcp:80 of VS [10.0.0.100]:tcp:80",
                    bound);
            assertEquals(5, h.handle.weight(0, 0));
            assertTrue(h.listener.has("[127.0.0.1]:80 up 5"));
            Files.writeString(state, "0");
            h.await("Changing weight from 5 to 1 for active service [127.0.0.1]:tcp:80 of VS [10.0.0.100]:tcp:80",
                    bound);
        }
    }

    @Test
    void runsAsTheConfiguredUser() {
        org.junit.jupiter.api.Assumptions.assumeTrue(io.fulcrum.testkit.RequiresRootCondition.isRoot(),
                "switching user needs root");
        CheckSpec.Misc asNobody = new CheckSpec.Misc(CheckHarness.FAST.withRetry(0),
                "test \"$(id -un)\" = nobody", Duration.ofSeconds(5), false, "nobody");
        CheckSpec.Misc asDaemonUser = new CheckSpec.Misc(CheckHarness.FAST.withRetry(0),
                "test \"$(id -un)\" = nobody", Duration.ofSeconds(5), false, null);
        VirtualServerCheckSpec vs = VirtualServerCheckSpec.tcp(VIP,
                RealServerCheckSpec.of(Endpoint.of("127.0.0.1", 80), asNobody),
                RealServerCheckSpec.of(Endpoint.of("127.0.0.2", 80), asDaemonUser));
        try (CheckHarness h = CheckHarness.launch(vs)) {
            h.await("Misc check for [[127.0.0.1]:tcp:80 VS [10.0.0.100]:tcp:80] by [test] succeeded.",
                    Duration.ofSeconds(5));
            h.await("Misc check for [[127.0.0.2]:tcp:80 VS [10.0.0.100]:tcp:80] by [test] failed (exited with status 1).",
                    Duration.ofSeconds(5));
        }
    }

    @Test
    void hangingScriptIsKilledAtMiscTimeoutAndCountsAsFailure(@TempDir Path dir) throws Exception {
        Path pids = dir.resolve("pids");
        Path hang = script(dir, "hang.sh", "echo $$ >> " + pids + "\nsleep 30 &\necho $! >> " + pids + "\nwait");
        CheckSpec.Misc misc = new CheckSpec.Misc(CheckHarness.FAST.withRetry(0).withDelayLoop(Duration.ofSeconds(30)),
                hang.toString(), Duration.ofMillis(400), false, null);
        VirtualServerCheckSpec vs = VirtualServerCheckSpec.tcp(VIP,
                RealServerCheckSpec.of(Endpoint.of("127.0.0.1", 80), misc));
        try (CheckHarness h = CheckHarness.launch(vs)) {
            long t = h.await("Misc check for [[127.0.0.1]:tcp:80 VS [10.0.0.100]:tcp:80] by [" + hang + "] timed out.",
                    Duration.ofSeconds(5));
            assertTrue(t >= 300, "killed at misc_timeout, not before: " + t + " ms");
            h.await("Removing service [127.0.0.1]:tcp:80 from VS [10.0.0.100]:tcp:80", Duration.ofSeconds(1));
            List<String> ids = Files.readAllLines(pids);
            assertEquals(2, ids.size(), "script and its child recorded: " + ids);
            Await.until("script process tree gone", Duration.ofSeconds(3), () -> ids.stream()
                    .noneMatch(id -> ProcessHandle.of(Long.parseLong(id.strip())).map(ProcessHandle::isAlive)
                            .orElse(false)));
            assertFalse(h.handle.isUp(0, 0));
        }
    }

    @Test
    void floodOfSlowScriptsNeverDelaysTcpChecks() {
        try (TcpListener server = TcpListener.acceptor("127.0.0.1")) {
            List<RealServerCheckSpec> servers = new ArrayList<>();
            CheckSpec.Misc slow = new CheckSpec.Misc(CheckHarness.FAST.withDelayLoop(Duration.ofSeconds(1)),
                    "sleep 5", Duration.ofSeconds(10), false, null);
            for (int i = 1; i <= 50; i++) {
                servers.add(RealServerCheckSpec.of(Endpoint.of("10.1.0." + i, 80), slow));
            }
            CheckOptions fastTcp = CheckHarness.FAST.withDelayLoop(Duration.ofMillis(100));
            VirtualServerCheckSpec scripts = new VirtualServerCheckSpec(VIP, Protocol.TCP, 1, 0, null, null, null,
                    false, false, servers);
            VirtualServerCheckSpec tcp = VirtualServerCheckSpec.tcp(Endpoint.of("10.0.0.101", 80),
                    RealServerCheckSpec.of(Endpoint.of("127.0.0.1", server.port()), new CheckSpec.Tcp(fastTcp)));
            AtomicLong worst = new AtomicLong();
            HealthCheckContext ctx = new HealthCheckContext().virtualServers(List.of(scripts, tcp))
                    .startObserver(late -> worst.accumulateAndGet(late, Math::max));
            try (CheckHarness h = CheckHarness.launch(ctx)) {
                Await.until("50 scripts sleeping", Duration.ofSeconds(5), () -> ProcessHandle.current().descendants()
                        .filter(p -> p.info().command().map(c -> c.endsWith("sleep")).orElse(false)).count() >= 50);
                int before = server.acceptNanos().size();
                long t0 = System.nanoTime();
                Await.pause(3000);
                List<Long> accepts = server.acceptNanos().subList(before, server.acceptNanos().size());
                long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
                long maxGapMs = 0;
                for (int i = 1; i < accepts.size(); i++) {
                    maxGapMs = Math.max(maxGapMs, (accepts.get(i) - accepts.get(i - 1)) / 1_000_000);
                }
                // delay_loop 100 ms: ~30 checks in 3 s; a blocked loop would show a gap of seconds
                assertTrue(accepts.size() >= elapsedMs / 100 * 2 / 3, "TCP checks ran: " + accepts.size());
                assertTrue(maxGapMs < 100 + 400, "largest gap between TCP checks " + maxGapMs + " ms");
                assertTrue(worst.get() < 400_000_000L, "worst start lateness " + worst.get() / 1_000_000 + " ms");
                assertTrue(h.handle.isUp(1, 0));
            }
        }
    }
}

package io.fulcrum.healthcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fulcrum.testkit.LogCapture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A shared TCP check driven on a virtual clock against a scripted outage: when the real server is declared down and
 * up again, and the keepalived lines logged, for several timer settings.
 */
class SharedCheckVirtualClockTest {

    private static final long S = 1_000_000_000L;

    /** Rows: delay_loop s, retry, delay_before_retry s, outage [from, to) s, expected down time s, up time s. */
    static Stream<Arguments> table() {
        return Stream.of(
                // attempts at 0,5,10 (fail) 11,12 (retries fail) -> down at 12; 17 fail, 22 ok -> up at 22
                Arguments.of(5, 2, 1, 10, 20, 12, 22),
                // no retries: down at the first failed attempt (10), up at 20
                Arguments.of(5, 0, 1, 10, 20, 10, 20),
                // outage shorter than the retries: never declared down
                Arguments.of(5, 3, 1, 10, 12, -1, -1),
                // delay_loop 1: 0..7 ok, 8 fails, retries at 10,12 -> down at 12; 13..14 fail, up at 15
                Arguments.of(1, 2, 2, 8, 15, 12, 15));
    }

    @ParameterizedTest
    @MethodSource("table")
    void detection(int loop, int retry, int dbr, int from, int to, int downAt, int upAt) {
        VirtualExecutor ex = new VirtualExecutor();
        CheckSpec spec = new CheckSpec.Tcp(CheckOptions.DEFAULTS.withDelayLoop(Duration.ofSeconds(loop)).withRetry(retry)
                .withDelayBeforeRetry(Duration.ofSeconds(dbr)));
        RealServerCheckSpec rs = RealServerCheckSpec.of(Endpoint.of("10.0.0.2", 80), spec);
        VirtualServerCheckSpec vs = VirtualServerCheckSpec.tcp(Endpoint.of("10.0.0.100", 80), rs);
        List<String> transitions = new ArrayList<>();
        RealServerListener l = (v, r, up, w) -> transitions.add((up ? "up@" : "down@") + ex.nanoTime() / S);
        VirtualServerState state = new VirtualServerState(vs, l, c -> { });
        state.start();
        Prober scripted = done -> {
            long t = ex.nanoTime() / S;
            done.accept(t >= from && t < to ? ProbeResult.failure("failed") : ProbeResult.success());
        };
        SharedCheck check = new SharedCheck(spec, false, scripted, ex, null);
        check.subscribe(new SharedCheck.Subscriber(state, 0, 0));
        try (LogCapture log = LogCapture.attach()) {
            check.start(0);
            ex.advanceTo(40 * S);
            List<String> expected = new ArrayList<>(List.of("up@0"));
            List<String> expectedLines = new ArrayList<>(List.of("TCP connection to [10.0.0.2]:tcp:80 success."));
            if (downAt >= 0) {
                expected.add("down@" + downAt);
                expected.add("up@" + upAt);
                expectedLines.add(retry > 0
                        ? "TCP_CHECK on service [10.0.0.2]:tcp:80 failed after " + retry + " retries."
                        : "TCP_CHECK on service [10.0.0.2]:tcp:80 failed.");
                expectedLines.add("Removing service [10.0.0.2]:tcp:80 from VS [10.0.0.100]:tcp:80");
                expectedLines.add("Lost quorum 1-0=1 > 0 for VS [10.0.0.100]:tcp:80");
                expectedLines.add("TCP connection to [10.0.0.2]:tcp:80 success.");
                expectedLines.add("Adding service [10.0.0.2]:tcp:80 to VS [10.0.0.100]:tcp:80");
                expectedLines.add("Gained quorum 1+0=1 <= 1 for VS [10.0.0.100]:tcp:80");
            }
            assertEquals(expected, transitions);
            assertEquals(expectedLines, log.lines());
        }
    }
}

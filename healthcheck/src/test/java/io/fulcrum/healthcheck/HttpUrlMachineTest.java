package io.fulcrum.healthcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Table test of keepalived's HTTP_GET url cycle: (urls, retry, start state, fast_recovery, results) -> the url each
 * attempt fetched, the verdicts and the delays (delay_loop 10, delay_before_retry 3).
 */
class HttpUrlMachineTest {

    static Stream<Arguments> table() {
        return Stream.of(
                // urls, retry, startUp, fast, results, urls fetched, verdicts, delays
                Arguments.of(1, 1, true, false, "++", "0 0", "UP NONE", "10 10"),
                // three urls, one per delay_loop; up once the last one passed
                Arguments.of(3, 1, true, false, "+++", "0 1 2", "NONE NONE UP", "10 10 10"),
                // alpha: the same, reported up after the third
                Arguments.of(3, 1, false, false, "++++", "0 1 2 0", "NONE NONE UP NONE", "10 10 10 10"),
                // fast_recovery at start: back to back until the first run completes
                Arguments.of(3, 1, false, true, "++++", "0 1 2 0", "NONE NONE UP NONE", "0 0 10 10"),
                // first-run failure is final at once (retry_it = retry at start) and remembers the url
                Arguments.of(2, 2, true, false, "-", "0", "DOWN", "10"),
                // while up: a failure is retried (the same url), a pass moves on; after the retries the checker is
                // down and only the failed url is fetched, every max(delay_before_retry, delay_loop)
                Arguments.of(2, 1, true, false, "++-+-----", "0 1 0 0 1 1 1 1 1",
                        "NONE UP RETRY NONE RETRY DOWN NONE NONE NONE", "10 10 3 10 3 10 10 10 10"),
                // the failed url recovers: every url again from the first, then up
                Arguments.of(2, 0, true, false, "++-+++", "0 1 0 0 0 1", "NONE UP DOWN NONE NONE UP",
                        "10 10 10 10 10 10"),
                // with fast_recovery the recovery pass runs back to back
                Arguments.of(3, 0, true, true, "+++-+++", "0 1 2 0 0 0 1",
                        "NONE NONE UP DOWN NONE NONE NONE", "0 0 10 10 0 0 0"),
                // alpha: a failing first run is not reported (keepalived marks has_run first) and not retried
                // once the failed url passes, every url is checked again from the first
                Arguments.of(2, 1, false, false, "--+++", "0 0 0 0 1", "NONE NONE NONE NONE UP",
                        "10 10 10 10 10"));
    }

    @ParameterizedTest
    @MethodSource("table")
    void cycle(int urls, int retry, boolean startUp, boolean fast, String results, String fetched, String verdicts,
               String delays) {
        HttpUrlMachine m = new HttpUrlMachine(urls, retry, 10, 3, startUp, fast);
        List<String> u = new ArrayList<>();
        List<String> v = new ArrayList<>();
        List<String> d = new ArrayList<>();
        for (char c : results.toCharArray()) {
            u.add(Integer.toString(m.currentUrl()));
            v.add(m.onResult(c == '+').name());
            d.add(Long.toString(m.nextDelayNanos()));
        }
        assertEquals(fetched, String.join(" ", u), "urls fetched");
        assertEquals(verdicts, String.join(" ", v), "verdicts");
        assertEquals(delays, String.join(" ", d), "delays");
    }
}

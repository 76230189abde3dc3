package io.fulcrum.healthcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fulcrum.healthcheck.CheckerStateMachine.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Table test of keepalived's retry/verdict rules: (start state, retry, results) -> verdicts and delays. */
class CheckerStateMachineTest {

    private static final long LOOP = 10;
    private static final long RETRY = 3;

    static Stream<Arguments> table() {
        return Stream.of(
                // startUp, retry, results ("+" ok, "-" fail), expected verdicts, expected delays
                Arguments.of(true, 0, "+", "UP", "10"),
                Arguments.of(true, 0, "++", "UP NONE", "10 10"),
                Arguments.of(true, 0, "+-", "UP DOWN", "10 10"),
                Arguments.of(true, 2, "+--", "UP RETRY RETRY", "10 3 3"),
                Arguments.of(true, 2, "+---", "UP RETRY RETRY DOWN", "10 3 3 10"),
                Arguments.of(true, 2, "+--+", "UP RETRY RETRY NONE", "10 3 3 10"),
                Arguments.of(true, 2, "+---+", "UP RETRY RETRY DOWN UP", "10 3 3 10 10"),
                // already down: failures are not retried and report nothing
                Arguments.of(true, 2, "+-----", "UP RETRY RETRY DOWN NONE NONE", "10 3 3 10 10 10"),
                // first run fails: keepalived starts with retry_it = retry, so one failure is enough and reported
                Arguments.of(true, 1, "--", "DOWN NONE", "10 10"),
                Arguments.of(true, 2, "-+--", "DOWN UP RETRY RETRY", "10 10 3 3"),
                // alpha: starts down; first success is UP; the first failure is reported once, not retried
                Arguments.of(false, 1, "+", "UP", "10"),
                Arguments.of(false, 1, "--", "DOWN NONE", "10 10"),
                Arguments.of(false, 1, "---", "DOWN NONE NONE", "10 10 10"),
                Arguments.of(false, 0, "--", "DOWN NONE", "10 10"),
                // a retry streak is reset by a success
                Arguments.of(true, 1, "+-+-", "UP RETRY NONE RETRY", "10 3 10 3"));
    }

    @ParameterizedTest
    @MethodSource("table")
    void verdicts(boolean startUp, int retry, String results, String verdicts, String delays) {
        CheckerStateMachine m = new CheckerStateMachine(retry, LOOP, RETRY, startUp);
        List<String> v = new ArrayList<>();
        List<String> d = new ArrayList<>();
        for (char c : results.toCharArray()) {
            Verdict verdict = m.onResult(c == '+');
            v.add(verdict.name());
            d.add(Long.toString(m.nextDelayNanos()));
        }
        assertEquals(verdicts, String.join(" ", v));
        assertEquals(delays, String.join(" ", d));
    }
}

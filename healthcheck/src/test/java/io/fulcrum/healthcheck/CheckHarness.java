package io.fulcrum.healthcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.fulcrum.testkit.LogCapture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Runs health checks for one test with the log captured: waits for keepalived lines, measures how long detection
 * took, and on close asserts no log event carried a stack trace.
 */
final class CheckHarness implements AutoCloseable {

    /** Fast timers for tests: delay_loop 200 ms, retry 1, delay_before_retry 100 ms, connect_timeout 500 ms. */
    static final CheckOptions FAST = CheckOptions.DEFAULTS.withDelayLoop(Duration.ofMillis(200)).withRetry(1)
            .withDelayBeforeRetry(Duration.ofMillis(100)).withConnectTimeout(Duration.ofMillis(500))
            .withLogAllFailures(true);

    /** Collects log events that carry a throwable. */
    static final class ThrowableCapture extends AppenderBase<ILoggingEvent> {
        final List<String> events = new ArrayList<>();

        @Override
        protected synchronized void append(ILoggingEvent e) {
            if (e.getThrowableProxy() != null) {
                events.add(e.getFormattedMessage() + " / " + e.getThrowableProxy().getClassName() + ": "
                        + e.getThrowableProxy().getMessage());
            }
        }

        synchronized List<String> events() {
            return List.copyOf(events);
        }
    }

    final LogCapture log;
    final RecordingListener listener = new RecordingListener();
    final HealthCheckHandle handle;
    private final ThrowableCapture throwables = new ThrowableCapture();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    private CheckHarness(HealthCheckContext ctx) {
        throwables.setContext(root.getLoggerContext());
        throwables.start();
        root.addAppender(throwables);
        log = LogCapture.attach();
        handle = HealthChecks.launch(ctx.listener(listener));
    }

    static CheckHarness launch(VirtualServerCheckSpec... vs) {
        return new CheckHarness(new HealthCheckContext().virtualServers(List.of(vs)));
    }

    static CheckHarness launch(HealthCheckContext ctx) {
        return new CheckHarness(ctx);
    }

    /** Waits for a line containing {@code text}; returns the milliseconds waited. */
    long await(String text, Duration limit) {
        long t0 = System.nanoTime();
        log.await(text, limit);
        return (System.nanoTime() - t0) / 1_000_000;
    }

    /** The detection limit the timers allow: delay_loop + retries x (delay_before_retry + connect_timeout) + slack. */
    static Duration bound(CheckOptions o, Duration slack) {
        return o.delayLoop().plus(o.connectTimeout()).plus(o.delayBeforeRetry().plus(o.connectTimeout())
                .multipliedBy(o.retry())).plus(slack);
    }

    /** Asserts no captured line looks like a stack trace or an exception. */
    void assertNoStackTraces() {
        assertEquals(List.of(), throwables.events(), "log events with a stack trace");
        for (String l : log.lines()) {
            assertTrue(!l.contains("Exception") && !l.contains("\tat "), "exception in log line: " + l);
        }
    }

    @Override
    public void close() {
        try {
            handle.close();
            assertNoStackTraces();
        } finally {
            log.close();
            root.detachAppender(throwables);
        }
    }
}

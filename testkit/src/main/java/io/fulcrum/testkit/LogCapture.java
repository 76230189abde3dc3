package io.fulcrum.testkit;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Captures formatted log lines from every logger while open, so tests can assert keepalived's exact wording.
 *
 * <p>Thread-safe: appenders run on whatever thread logs.
 */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {

    private final List<String> lines = new ArrayList<>();

    private LogCapture() {
    }

    /** Attaches a new capture to the root logger. */
    public static LogCapture attach() {
        LogCapture c = new LogCapture();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        c.setContext(root.getLoggerContext());
        c.start();
        root.addAppender(c);
        return c;
    }

    @Override
    protected void append(ILoggingEvent event) {
        synchronized (lines) {
            lines.add(event.getFormattedMessage());
        }
    }

    /** The lines captured so far. */
    public List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** Whether any captured line contains {@code text}. */
    public boolean contains(String text) {
        return lines().stream().anyMatch(l -> l.contains(text));
    }

    /** How many captured lines contain {@code text}. */
    public long count(String text) {
        return lines().stream().filter(l -> l.contains(text)).count();
    }

    /** Waits until a line containing {@code text} was logged. */
    public void await(String text, Duration limit) {
        Await.until(() -> "log line containing \"" + text + "\"; got " + tail(), limit, () -> contains(text));
    }

    private String tail() {
        List<String> l = lines();
        return l.subList(Math.max(0, l.size() - 15), l.size()).toString();
    }

    @Override
    public void close() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAppender(this);
        stop();
    }
}

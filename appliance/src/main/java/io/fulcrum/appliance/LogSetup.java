package io.fulcrum.appliance;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import org.slf4j.LoggerFactory;

/**
 * Configures Logback for the daemon: by default plain message lines on stdout, which journald stores with its own
 * timestamp and identifier; {@code -l} adds a keepalived-style timestamp for interactive consoles; {@code -D} adds
 * thread, logger and level and enables debug messages.
 *
 * <p>Called once on the main thread before any other thread starts.
 */
public final class LogSetup {

    /** Pattern without -l / -D: the message only (journald adds time, host and program name). */
    public static final String PLAIN = "%msg%n";
    /** Pattern with -l: a timestamp as keepalived prints on the console. */
    public static final String CONSOLE = "%d{EEE MMM d HH:mm:ss yyyy}: %msg%n";
    /** Pattern with -D: thread, logger and level too. */
    public static final String DETAIL = "%d{EEE MMM d HH:mm:ss.SSS yyyy}: [%thread] %-5level %logger{30}: %msg%n";

    private LogSetup() {
    }

    /** Replaces the Logback configuration according to {@code -l} and {@code -D}. */
    public static void configure(boolean console, boolean detail) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
            return;
        }
        ctx.reset();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(ctx);
        encoder.setPattern(detail ? DETAIL : console ? CONSOLE : PLAIN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(ctx);
        appender.setName("stdout");
        appender.setTarget("System.out");
        appender.setEncoder(encoder);
        appender.start();
        Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(detail ? Level.DEBUG : Level.INFO);
        root.addAppender(appender);
        ctx.getLogger("io.netty").setLevel(detail ? Level.DEBUG : Level.WARN);
    }
}

package io.fulcrum.appliance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.core.ConsoleAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** -l and -D select the log line format and level; the default is plain message lines on stdout. */
class LogSetupTest {

    @AfterEach
    void restore() {
        LogSetup.configure(false, false);
    }

    private static String pattern() {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        ConsoleAppender<?> a = assertInstanceOf(ConsoleAppender.class, root.getAppender("stdout"));
        assertEquals("System.out", a.getTarget());
        return ((PatternLayoutEncoder) a.getEncoder()).getPattern();
    }

    private static Level rootLevel() {
        return ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME).getLevel();
    }

    @Test
    void defaultIsPlainLines() {
        LogSetup.configure(false, false);
        assertEquals("%msg%n", pattern());
        assertEquals(Level.INFO, rootLevel());
    }

    @Test
    void consoleAddsTimestamp() {
        LogSetup.configure(true, false);
        assertEquals(LogSetup.CONSOLE, pattern());
        assertEquals(Level.INFO, rootLevel());
    }

    @Test
    void detailAddsThreadLoggerAndDebug() {
        LogSetup.configure(true, true);
        assertEquals(LogSetup.DETAIL, pattern());
        assertEquals(Level.DEBUG, rootLevel());
    }
}

package io.fulcrum.appliance;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StartupWarmupTest {

    @Test
    void warmsUpOnlyWhenTheDaemonStarts() {
        assertTrue(StartupWarmup.startsDaemon(new String[] {"-n", "-f", "/etc/fulcrum/fulcrum.conf"}));
        assertTrue(StartupWarmup.startsDaemon(new String[0]));
        assertTrue(StartupWarmup.startsDaemon(new String[] {"-P", "-l", "-D"}));
        assertFalse(StartupWarmup.startsDaemon(new String[] {"-t", "-f", "x.conf"}));
        assertFalse(StartupWarmup.startsDaemon(new String[] {"-f", "x.conf", "--config-test"}));
        assertFalse(StartupWarmup.startsDaemon(new String[] {"--version"}));
        assertFalse(StartupWarmup.startsDaemon(new String[] {"-h"}));
        assertFalse(StartupWarmup.startsDaemon(new String[] {"demo", "--keep"}));
        assertNull(StartupWarmup.begin(new String[] {"-t"}));
        assertNull(StartupWarmup.afterLogging(false), "-P runs no health checks");
    }

    @Test
    void everyWarmedClassExistsAndInitialises() throws Exception {
        // a renamed class would silently lose the warm-up: this fails instead
        for (String name : java.util.stream.Stream.concat(StartupWarmup.EARLY.stream(),
                StartupWarmup.AFTER_LOGGING.stream()).toList()) {
            assertDoesNotThrow(() -> Class.forName(name, true, StartupWarmupTest.class.getClassLoader()), name);
        }
        Thread t = StartupWarmup.begin(new String[] {"-n"});
        t.join(60_000);
        assertFalse(t.isAlive(), "warm-up thread finished");
        assertTrue(t.isDaemon(), "never keeps the JVM alive");
    }
}

package io.fulcrum.appliance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code -p} pid file: written, refused while another live process holds it, removed at stop. */
class PidFileTest {

    @TempDir
    Path dir;

    @Test
    void writtenAndRemoved() throws Exception {
        Path f = dir.resolve("run/fulcrum.pid");
        PidFile p = PidFile.acquire(f);
        assertEquals(ProcessHandle.current().pid() + "", Files.readString(f).strip());
        p.close();
        assertFalse(Files.exists(f));
    }

    @Test
    void aLiveOtherProcessIsRefusedAStaleFileIsReplaced() throws Exception {
        Path f = dir.resolve("fulcrum.pid");
        Process other = new ProcessBuilder("sleep", "30").start();
        try {
            Files.writeString(f, other.pid() + "\n");
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> PidFile.acquire(f));
            assertEquals("pid file " + f + ": already running as pid " + other.pid()
                    + " (use another -p for a second instance)", e.getMessage());
        } finally {
            other.destroyForcibly();
            other.waitFor();
        }
        PidFile p = PidFile.acquire(f);
        assertTrue(Files.readString(f).startsWith(ProcessHandle.current().pid() + ""));
        p.close();
    }
}

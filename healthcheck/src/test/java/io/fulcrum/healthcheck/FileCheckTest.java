package io.fulcrum.healthcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.testkit.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FILE_CHECK with files the test writes: keepalived's track_file semantics, driven by inotify. The checks use
 * keepalived's default delay_loop of 60 s, so every reaction within seconds comes from the file watch, not a poll.
 */
class FileCheckTest {

    private static final CheckOptions SLOW = CheckOptions.DEFAULTS;
    private static final Duration PROMPT = Duration.ofSeconds(5);
    private static final String RS = "[10.0.0.2]:tcp:80";
    private static final String VS = "[10.0.0.100]:tcp:80";

    private static VirtualServerCheckSpec vs(CheckSpec.File check, int weight) {
        return VirtualServerCheckSpec.tcp(Endpoint.of("10.0.0.100", 80), new RealServerCheckSpec(
                Endpoint.of("10.0.0.2", 80), weight, false, null, null, List.of(check)));
    }

    @Test
    void weightZeroNonZeroValueIsDownAndChangesAreSeenAtOnce(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("rs1");
        Files.writeString(f, "0\n");
        try (CheckHarness h = CheckHarness.launch(vs(new CheckSpec.File(SLOW, f, 0, false), 1))) {
            assertEquals("[10.0.0.2]:80 up 1", h.listener.events().getFirst());
            Files.writeString(f, "1\n");
            h.await("Removing service " + RS + " from VS " + VS, PROMPT);
            Files.writeString(f, "0\n");
            h.await("Adding service " + RS + " to VS " + VS, PROMPT);
            Files.writeString(f, "7\n");
            Await.until("second removal", PROMPT, () -> h.log.count("Removing service " + RS) == 2);
            Files.delete(f);
            Await.until("a deleted file reads as 0: added again", PROMPT,
                    () -> h.log.count("Adding service " + RS) == 2);
            // moved in atomically (the usual way to update a file): read as soon as it lands
            Path tmp = dir.resolve(".rs1.tmp");
            Files.writeString(tmp, "3");
            Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE);
            Await.until("third removal after a rename", PROMPT, () -> h.log.count("Removing service " + RS) == 3);
        }
    }

    @Test
    void reverseWithWeightZeroMakesZeroTheFailure(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("rs1");
        Files.writeString(f, "1");
        try (CheckHarness h = CheckHarness.launch(vs(new CheckSpec.File(SLOW, f, 0, true), 1))) {
            assertEquals("[10.0.0.2]:80 up 1", h.listener.events().getFirst());
            Files.writeString(f, "0");
            h.await("Removing service " + RS + " from VS " + VS, PROMPT);
            Files.delete(f);
            Await.pause(300);
            assertFalse(h.handle.isUp(0, 0), "a deleted file is 0: still down");
            assertEquals(0, h.log.count("Adding service " + RS));
            Files.writeString(f, "2");
            h.await("Adding service " + RS + " to VS " + VS, PROMPT);
        }
    }

    @Test
    void startsDownWhenTheFileSaysSo(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("rs1");
        Files.writeString(f, "1");
        try (CheckHarness h = CheckHarness.launch(vs(new CheckSpec.File(SLOW, f, 0, false), 1))) {
            assertEquals(List.of("[10.0.0.2]:80 down 0", "quorum down"), h.listener.events());
            assertFalse(h.handle.isUp(0, 0));
            Files.writeString(f, "0");
            h.await("Adding service " + RS + " to VS " + VS, PROMPT);
            h.await("Gained quorum 1+0=1 <= 1 for VS " + VS, PROMPT);
        }
    }

    @Test
    void weightedValueChangesTheWeight(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("rs1");
        Files.writeString(f, "3");
        try (CheckHarness h = CheckHarness.launch(vs(new CheckSpec.File(SLOW, f, 10, false), 1))) {
            assertEquals("[10.0.0.2]:80 up 31", h.listener.events().getFirst(), "initial weight 1 + 3 x 10");
            Files.writeString(f, "-1");
            h.await("Changing weight from 31 to 0 for active service " + RS + " of VS " + VS, PROMPT);
            h.await("Lost quorum 1-0=1 > 0 for VS " + VS, PROMPT);
            Files.writeString(f, "0x10");
            h.await("Changing weight from 0 to 161 for active service " + RS + " of VS " + VS, PROMPT);
            h.await("Gained quorum", PROMPT);
            Files.writeString(f, "99999999999");
            Files.writeString(f, "2");
            h.await("Changing weight from 161 to 21 for active service " + RS + " of VS " + VS, PROMPT);
            assertTrue(h.handle.isUp(0, 0), "a weighted track file never takes the server down here");
        }
    }

    @Test
    void initFileCreatesOrOverwrites(@TempDir Path dir) throws Exception {
        Path created = dir.resolve("new");
        Path kept = dir.resolve("kept");
        Path overwritten = dir.resolve("over");
        Files.writeString(kept, "0");
        Files.writeString(overwritten, "0");
        VirtualServerCheckSpec vs = VirtualServerCheckSpec.tcp(Endpoint.of("10.0.0.100", 80),
                RealServerCheckSpec.of(Endpoint.of("10.0.0.2", 80), new CheckSpec.File(SLOW, created, 0, false,
                        5L, false)),
                RealServerCheckSpec.of(Endpoint.of("10.0.0.3", 80), new CheckSpec.File(SLOW, kept, 0, false,
                        5L, false)),
                RealServerCheckSpec.of(Endpoint.of("10.0.0.4", 80), new CheckSpec.File(SLOW, overwritten, 0, false,
                        5L, true)));
        try (CheckHarness h = CheckHarness.launch(vs)) {
            assertEquals("5\n", Files.readString(created));
            assertEquals("0", Files.readString(kept));
            assertEquals("5\n", Files.readString(overwritten));
            assertFalse(h.handle.isUp(0, 0));
            assertTrue(h.handle.isUp(0, 1));
            assertFalse(h.handle.isUp(0, 2));
        }
    }

    @Test
    void initFileOverwriteDoesNotOverwriteOnReload(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("over");
        Files.writeString(f, "0");
        VirtualServerCheckSpec vs = VirtualServerCheckSpec.tcp(Endpoint.of("10.0.0.100", 80),
                RealServerCheckSpec.of(Endpoint.of("10.0.0.2", 80), new CheckSpec.File(SLOW, f, 0, false, 5L, true)));
        try (CheckHarness h = CheckHarness.launch(new HealthCheckContext().virtualServers(List.of(vs)).reload(true))) {
            assertEquals("0", Files.readString(f));
            assertTrue(h.handle.isUp(0, 0));
        }
    }

    @Test
    void numbersAreReadLikeStrtol() {
        assertEquals(16L, FileCheck.strtol("0x10\n"));
        assertEquals(8L, FileCheck.strtol("010"));
        assertEquals(-12L, FileCheck.strtol("  -12abc"));
        assertEquals(0L, FileCheck.strtol("up"));
        assertEquals(0L, FileCheck.strtol(""));
        assertEquals(2147483648L, FileCheck.strtol("2147483648"));
        assertNull(FileCheck.strtol("2147483649"));
        assertNull(FileCheck.strtol("-99999999999999999999"));
    }
}

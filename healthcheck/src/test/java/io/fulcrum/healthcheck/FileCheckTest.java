package io.fulcrum.healthcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FILE_CHECK with files the test writes: keepalived's track_file semantics. */
class FileCheckTest {

    @Test
    void nonZeroValueIsDownWithWeightZero(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("rs1");
        Files.writeString(f, "0\n");
        CheckSpec.File check = new CheckSpec.File(CheckHarness.FAST, f, 0, false);
        VirtualServerCheckSpec vs = VirtualServerCheckSpec.tcp(Endpoint.of("10.0.0.100", 80),
                RealServerCheckSpec.of(Endpoint.of("10.0.0.2", 80), check));
        try (CheckHarness h = CheckHarness.launch(vs)) {
            Files.writeString(f, "1\n");
            h.await("Removing service [10.0.0.2]:tcp:80 from VS [10.0.0.100]:tcp:80", Duration.ofSeconds(5));
            Files.writeString(f, "0\n");
            h.await("Adding service [10.0.0.2]:tcp:80 to VS [10.0.0.100]:tcp:80", Duration.ofSeconds(5));
            Files.delete(f);
            io.fulcrum.testkit.Await.pause(500);
            assertEquals(1, h.log.count("Removing service"), "a missing file reads as 0");
        }
    }

    @Test
    void weightedValueChangesTheWeight(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("rs1");
        Files.writeString(f, "3");
        RealServerCheckSpec rs = new RealServerCheckSpec(Endpoint.of("10.0.0.2", 80), 1, false, null, null,
                List.of(new CheckSpec.File(CheckHarness.FAST, f, 10, false)));
        VirtualServerCheckSpec vs = VirtualServerCheckSpec.tcp(Endpoint.of("10.0.0.100", 80), rs);
        try (CheckHarness h = CheckHarness.launch(vs)) {
            h.await("Changing weight from 1 to 31 for active service [10.0.0.2]:tcp:80 of VS [10.0.0.100]:tcp:80",
                    Duration.ofSeconds(5));
            Files.writeString(f, "-1");
            h.await("Changing weight from 31 to 0 for active service [10.0.0.2]:tcp:80 of VS [10.0.0.100]:tcp:80",
                    Duration.ofSeconds(5));
            h.await("Lost quorum 1-0=1 > 0 for VS [10.0.0.100]:tcp:80", Duration.ofSeconds(1));
        }
    }
}

package io.fulcrum.appliance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fulcrum.netlink.UnixDatagram;
import io.fulcrum.testkit.Await;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sd_notify's transport: a datagram to an AF_UNIX socket, received here by socat (a real peer). */
class SystemdNotifyTest {

    @TempDir
    Path dir;

    @Test
    void readyReachesTheNotifySocket() throws Exception {
        Path sock = dir.resolve("notify.sock");
        Process socat = new ProcessBuilder("socat", "-u", "UNIX-RECV:" + sock, "STDOUT").start();
        try {
            Await.until("socat listening", Duration.ofSeconds(10), () -> Files.exists(sock));
            UnixDatagram.send(sock.toString(), "READY=1\n".getBytes(StandardCharsets.US_ASCII));
            BufferedReader in = new BufferedReader(new InputStreamReader(socat.getInputStream(),
                    StandardCharsets.US_ASCII));
            assertEquals("READY=1", in.readLine());
        } finally {
            socat.destroyForcibly();
            socat.waitFor();
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> UnixDatagram.send("x".repeat(200), new byte[1]));
        assertEquals("unix socket path '" + "x".repeat(200) + "' is empty or longer than 107 bytes", e.getMessage());
    }
}

package io.fulcrum.appliance.demo;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.testkit.Await;
import io.fulcrum.testkit.KernelTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code fulcrum -P}: two VRRP-only daemons (kernel VIPs) in namespaces; the MASTER holds the VIP as a kernel address,
 * SIGUSR2 writes the statistics to the run directory, SIGTERM hands the VIP over and removes the pid file.
 *
 * <p>JUnit thread only.
 */
@KernelTest
class VrrpOnlyModeKernelTest {

    static final String PREFIX = "fk" + Long.toString(ProcessHandle.current().pid() % 100000, 36) + "p-";

    static final String CONF = """
            vrrp_instance VI_1 {
                @lb1 state MASTER
                @lb2 state BACKUP
                interface eth0
                virtual_router_id 78
                @lb1 priority 150
                @lb2 priority 100
                version 3
                advert_int 0.1
                virtual_ipaddress {
                    10.77.0.150/24
                }
            }
            """;

    @Test
    void vipIsAKernelAddressOfTheMasterAndMovesOnSigterm() throws Exception {
        Path dir = Files.createTempDirectory("fulcrum-p-test");
        DemoLab lab = new DemoLab(dir, PREFIX);
        try {
            lab.up();
            Files.writeString(dir.resolve("vrrp.conf"), CONF);
            for (String lb : List.of("lb1", "lb2")) {
                Files.createDirectories(dir.resolve(lb));
                List<String> cmd = new ArrayList<>(HaPairKernelTest.java("io.fulcrum.appliance.Fulcrum", "-P", "-l",
                        "-i", lb, "-f", dir.resolve("vrrp.conf").toString(), "-p",
                        dir.resolve(lb).resolve("fulcrum.pid").toString(), "--run-dir", dir.resolve(lb).toString(), "--control-socket",
                        dir.resolve(lb).resolve("fulcrum.sock").toString()));
                lab.spawn(lb, lb, cmd);
            }
            Await.until("lb1 holds the VIP", Duration.ofSeconds(60), () -> addrs(lab, "lb1").contains("10.77.0.150/24"));
            // lb2 may start first and be MASTER for a moment before lb1's adverts reach it (it logs BACKUP at start
            // too): wait until its last state is BACKUP and it has let the VIP go.
            Await.until(() -> "lb2 settled in BACKUP without the VIP; lb2 addresses:\n" + addrs(lab, "lb2")
                            + "lb2 log:\n" + log(dir, "lb2"), Duration.ofSeconds(30), () -> {
                        String l = log(dir, "lb2");
                        return l.lastIndexOf("Entering BACKUP STATE") > l.lastIndexOf("Entering MASTER STATE")
                                && !addrs(lab, "lb2").contains("10.77.0.150");
                    });
            assertTrue(addrs(lab, "lb1").contains("10.77.0.150/24"), "lb1 kept the VIP");
            assertTrue(log(dir, "lb1").contains("Fulcrum started (VRRP only"), log(dir, "lb1"));

            String pid1 = Files.readString(dir.resolve("lb1").resolve("fulcrum.pid")).strip();
            DemoLab.run("kill", "-USR2", pid1);
            Await.until("stats file", Duration.ofSeconds(10),
                    () -> Files.exists(dir.resolve("lb1").resolve("keepalived.stats")));
            assertTrue(Files.readString(dir.resolve("lb1").resolve("keepalived.stats")).contains("VRRP Instance: VI_1"));

            DemoLab.run("kill", "-USR1", pid1);
            Await.until("data dump", Duration.ofSeconds(10),
                    () -> Files.exists(dir.resolve("lb1").resolve("keepalived.data")));
            String data = Files.readString(dir.resolve("lb1").resolve("keepalived.data"));
            assertTrue(data.contains("   State = MASTER") && data.contains("   Master router = 10.77.0.2\n"), data);

            long t0 = System.nanoTime();
            DemoLab.run("kill", "-TERM", pid1);
            Await.until("lb2 holds the VIP", Duration.ofSeconds(5), () -> addrs(lab, "lb2").contains("10.77.0.150/24"));
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            System.out.println("FAILOVER -P planned stop: VIP on lb2 after " + ms + " ms");
            Await.until("lb1 exited", Duration.ofSeconds(10),
                    () -> ProcessHandle.of(Long.parseLong(pid1)).map(p -> !p.isAlive()).orElse(true));
            assertFalse(addrs(lab, "lb1").contains("10.77.0.150"), "VIP released");
            assertFalse(Files.exists(dir.resolve("lb1").resolve("fulcrum.pid")), "pid file removed");
            assertTrue(log(dir, "lb1").contains("(VI_1) sent 0 priority"), log(dir, "lb1"));
        } finally {
            DemoLab.down(dir, PREFIX);
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    static String addrs(DemoLab lab, String role) {
        return DemoLab.run("ip", "-n", lab.name(role), "addr", "show", "dev", "eth0");
    }

    static String log(Path dir, String name) {
        try {
            return Files.readString(dir.resolve(name + ".log"));
        } catch (IOException e) {
            return "";
        }
    }
}

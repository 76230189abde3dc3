package io.fulcrum.appliance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.appliance.config.ConfigLoader;
import io.fulcrum.appliance.config.LoadResult;
import io.fulcrum.appliance.tuning.TuningLoader;
import io.fulcrum.testkit.Await;
import io.fulcrum.testkit.LogCapture;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fulcrum -C}: the appliance runs the checkers alone on a loopback real server, logs keepalived's lines, shows
 * the verdicts in the view, writes the dumps, and rejects an invalid reload without changing anything.
 */
class CheckOnlyModeTest {

    @TempDir
    Path dir;

    @Test
    void checkersRunAloneLogInKeepalivedsWordsAndReloadRejectsAnInvalidFile() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             LogCapture logs = LogCapture.attach()) {
            int port = server.getLocalPort();
            Thread.ofPlatform().daemon(true).start(() -> {
                while (!server.isClosed()) {
                    try {
                        server.accept().close();
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            });
            Path conf = dir.resolve("check.conf");
            String text = """
                    virtual_server 127.0.0.1 %d {
                        delay_loop 1
                        lb_kind NAT
                        protocol TCP
                        real_server 127.0.0.1 %d {
                            TCP_CHECK {
                                connect_timeout 1
                                retry 0
                            }
                        }
                    }
                    """.formatted(port, port);
            Files.writeString(conf, text);
            LoadResult r = ConfigLoader.load(conf, "t");
            assertTrue(r.ok(), r.diagnostics().toString());
            ApplianceContext ctx = new ApplianceContext().mode(ApplianceView.Mode.CHECK_ONLY).configFile(conf)
                    .config(r.config()).tuning(TuningLoader.load(null).tuning()).runDir(dir)
                    .pidFile(dir.resolve("fulcrum.pid"));
            try (Appliance a = Appliance.launch(ctx)) {
                assertTrue(Files.exists(dir.resolve("fulcrum.pid")));
                String rs = "[127.0.0.1]:tcp:" + port;
                logs.await("TCP connection to " + rs + " success.", Duration.ofSeconds(10));
                assertEquals(1, a.checkers().size());
                assertTrue(a.checkers().getFirst().up());
                assertEquals(ApplianceView.Mode.CHECK_ONLY, a.status().mode());
                assertTrue(a.vrrpInstances().isEmpty());
                assertTrue(a.virtualServices().isEmpty(), "no dataplane in -C");
                assertFalse(a.addRealServer(null, null, 1, 1).ok());

                Files.writeString(conf, text + "virtual_server 127.0.0.1 99999 {\n");
                Appliance.ReloadResult bad = a.reload();
                assertFalse(bad.applied());
                assertTrue(logs.contains("the running configuration stays"), String.join("\n", logs.lines()));
                assertTrue(bad.errors().stream().anyMatch(e -> e.contains("99999")), bad.errors().toString());

                Path data = a.dumpData();
                assertTrue(Files.readString(data).contains("Checker TCP_CHECK VS [127.0.0.1]:tcp:" + port), data.toString());

                server.close();
                logs.await("Removing service " + rs + " from VS [127.0.0.1]:tcp:" + port, Duration.ofSeconds(15));
                Await.until("view shows down", Duration.ofSeconds(5), () -> !a.checkers().getFirst().up());
                assertTrue(logs.lines().stream().anyMatch(l -> l.contains("\"event\":\"real_server\"")
                        && l.contains("\"up\":false")), "JSON state-change line");
            }
            assertFalse(Files.exists(dir.resolve("fulcrum.pid")), "pid file removed at stop");
        }
    }

    @Test
    void aReloadThatRestartsTheCheckersKeepsADownServerDown() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             LogCapture logs = LogCapture.attach()) {
            int port = server.getLocalPort();
            int other = closed.getLocalPort();
            closed.close();
            Path conf = dir.resolve("check.conf");
            String rs = """
                        real_server 127.0.0.1 %d {
                            TCP_CHECK {
                                connect_timeout 1
                                retry 0
                            }
                        }
                    """;
            String head = "virtual_server 127.0.0.1 " + port + " {\n    delay_loop 1\n    lb_kind NAT\n    protocol TCP\n";
            Files.writeString(conf, head + rs.formatted(port) + "}\n");
            LoadResult r = ConfigLoader.load(conf, "t");
            assertTrue(r.ok(), r.diagnostics().toString());
            server.close(); // the real server is down from the start
            ApplianceContext ctx = new ApplianceContext().mode(ApplianceView.Mode.CHECK_ONLY).configFile(conf)
                    .config(r.config()).tuning(TuningLoader.load(null).tuning()).runDir(dir);
            try (Appliance a = Appliance.launch(ctx)) {
                String label = "[127.0.0.1]:tcp:" + port;
                logs.await("Removing service " + label, Duration.ofSeconds(15));
                Files.writeString(conf, head + rs.formatted(port) + rs.formatted(other) + "}\n");
                Appliance.ReloadResult ok = a.reload();
                assertTrue(ok.applied(), ok.toString());
                assertTrue(ok.summary().contains("checkers restarted (1 unchanged real servers keep their state)"),
                        ok.summary());
                long removals = logs.count("Removing service " + label);
                Await.until("both verdicts", Duration.ofSeconds(15), () -> a.checkers().size() == 2
                        && a.checkers().stream().noneMatch(CheckerInfoUp::up));
                Await.pause(2500); // past the reconciliation with the new checkers' verdicts
                assertTrue(a.checkers().stream().noneMatch(CheckerInfoUp::up), a.checkers().toString());
                assertEquals(0, logs.lines().stream().filter(l -> l.contains("\"real_server\":\"" + label)
                        && l.contains("\"up\":true")).count(), "the down server never flapped up");
                assertTrue(logs.count("Removing service " + label) >= removals);
            }
        }
    }

    /** Method reference helper. */
    static final class CheckerInfoUp {
        static boolean up(ApplianceView.CheckerInfo c) {
            return c.up();
        }
    }
}

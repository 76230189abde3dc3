package io.fulcrum.appliance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.fulcrum.appliance.config.ConfigLoader;
import io.fulcrum.appliance.config.LoadResult;
import io.fulcrum.appliance.tuning.TuningLoader;
import io.fulcrum.testkit.Await;
import io.fulcrum.testkit.LogCapture;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * keepalived.conf → parser → SpecMapper → checkers, in {@code fulcrum -C} mode against a JDK HTTP server on loopback:
 * an HTTP_GET {@code regex} with {@code alpha} on the real server, and a FILE_CHECK naming a {@code track_file} whose
 * file lives elsewhere (reacting to writes at once although {@code delay_loop} is 60 s), with {@code init_file}.
 */
class CheckerConfigEndToEndTest {

    @TempDir
    Path dir;

    @Test
    void regexAlphaAndTrackFileFromTheConfigurationFile() throws Exception {
        AtomicReference<String> body = new AtomicReference<>("<p>state: GOOD</p>");
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        http.createContext("/", ex -> {
            byte[] b = body.get().getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        http.start();
        Path flag = dir.resolve("state").resolve("drain");
        Files.createDirectories(flag.getParent());
        try (LogCapture logs = LogCapture.attach()) {
            int port = http.getAddress().getPort();
            Path conf = dir.resolve("check.conf");
            Files.writeString(conf, """
                    track_file drain_rs {
                        file "%s"
                        weight 0
                        init_file 0
                    }
                    virtual_server 127.0.0.1 %d {
                        delay_loop 60
                        lb_kind NAT
                        protocol TCP
                        real_server 127.0.0.1 %d {
                            alpha
                            HTTP_GET {
                                delay_loop 1
                                connect_timeout 2
                                retry 0
                                url {
                                    path /health
                                    regex "state: (GOOD|OK)"
                                }
                            }
                            FILE_CHECK {
                                track_file drain_rs
                            }
                        }
                    }
                    """.formatted(flag, port, port));
            LoadResult r = ConfigLoader.load(conf, "t");
            assertTrue(r.ok(), r.diagnostics().toString());
            ApplianceContext ctx = new ApplianceContext().mode(ApplianceView.Mode.CHECK_ONLY).configFile(conf)
                    .config(r.config()).tuning(TuningLoader.load(null).tuning()).runDir(dir);
            String rs = "[127.0.0.1]:tcp:" + port;
            String vs = "[127.0.0.1]:tcp:" + port;
            try (Appliance a = Appliance.launch(ctx)) {
                assertTrue(Files.readString(flag).equals("0\n"), "init_file created the track file");
                logs.await("Regex match success to " + rs + " url(/health)", Duration.ofSeconds(15));
                logs.await("Adding service " + rs + " to VS " + vs, Duration.ofSeconds(15));
                Files.writeString(flag, "1\n");
                logs.await("Removing service " + rs + " from VS " + vs, Duration.ofSeconds(10));
                Files.writeString(flag, "0\n");
                Await.until(() -> "added again; log " + logs.lines(), Duration.ofSeconds(10),
                        () -> logs.count("Adding service " + rs + " to VS " + vs) == 2);
                body.set("<p>state: BROKEN</p>");
                logs.await("HTTP_CHECK on service " + rs + " failed.", Duration.ofSeconds(15));
                assertTrue(a.checkers().size() >= 1);
            }
        } finally {
            http.stop(0);
        }
    }

    /**
     * keepalived's reload rule for {@code init_file ... overwrite}: the first start writes the initial value over an
     * existing file, a reload that restarts the checkers leaves the file as the operator left it.
     */
    @Test
    void initFileOverwriteAppliesAtStartButNotOnReload() throws Exception {
        Path flag = dir.resolve("weight");
        Files.writeString(flag, "7\n");
        Path conf = dir.resolve("reload.conf");
        String template = """
                track_file tf {
                    file "%s"
                    weight 1
                    init_file 0 overwrite
                }
                virtual_server 127.0.0.1 18080 {
                    delay_loop %d
                    lb_kind NAT
                    protocol TCP
                    real_server 127.0.0.1 18080 {
                        FILE_CHECK {
                            track_file tf
                        }
                    }
                }
                """;
        Files.writeString(conf, template.formatted(flag, 60));
        LoadResult r = ConfigLoader.load(conf, "t");
        assertTrue(r.ok(), r.diagnostics().toString());
        ApplianceContext ctx = new ApplianceContext().mode(ApplianceView.Mode.CHECK_ONLY).configFile(conf)
                .config(r.config()).tuning(TuningLoader.load(null).tuning()).runDir(dir);
        try (LogCapture logs = LogCapture.attach(); Appliance a = Appliance.launch(ctx)) {
            assertEquals("0\n", Files.readString(flag), "init_file overwrite at the first start");
            Files.writeString(flag, "5\n");
            Files.writeString(conf, template.formatted(flag, 59)); // a changed checker spec restarts the checkers
            Appliance.ReloadResult res = a.reload();
            assertTrue(res.applied(), res.toString());
            assertTrue(res.summary().contains("checkers restarted"), res.summary());
            assertEquals("5\n", Files.readString(flag), "a reload leaves an existing track file alone; log "
                    + logs.lines());
        }
    }
}

package io.fulcrum.appliance.admin;

import static io.fulcrum.appliance.DaemonTestSupport.adm;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.appliance.DaemonTestSupport;
import io.fulcrum.appliance.DaemonTestSupport.Run;
import io.fulcrum.appliance.metrics.PrometheusTextParser;
import io.fulcrum.appliance.metrics.PrometheusTextParser.Family;
import io.fulcrum.testkit.Await;
import io.fulcrum.testkit.Cmd;
import io.fulcrum.testkit.KernelTest;
import io.fulcrum.testkit.NetnsLab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The real daemon ({@code io.fulcrum.appliance.Fulcrum -f}, in its own network namespace, FullNAT over the dataplane)
 * administered with {@code fulcrumadm} through its control socket and scraped on its metrics endpoint:
 * {@code -L -n} in ipvsadm's layout with the live real server, {@code --stats} counting connections sent through the
 * VIP, runtime {@code -a}/{@code -d} and {@code -P}/{@code -Q} visible in the listings, refusals with ipvsadm's words
 * that change nothing, {@code vrrp}, and {@code /metrics} parsed by the strict text-format parser.
 *
 * <p>Topology: client (10.81.0.2) — lb (c0 10.81.0.1, VIP 10.81.0.100; r0 10.82.0.1, local address 10.82.0.200)
 * — rs (10.82.0.2, a socat TCP server on 8080).
 */
@KernelTest
class AdminKernelTest {

    private static final String CONFIG = """
            global_defs {
                router_id adm-lb
            }
            local_address_group lg {
                10.82.0.200 r0
            }
            vrrp_instance VI_1 {
                state MASTER
                interface c0
                virtual_router_id 51
                priority 150
                advert_int 1
                virtual_ipaddress {
                    10.81.0.100/24 dev c0
                }
            }
            virtual_server 10.81.0.100 80 {
                delay_loop 1
                lb_algo rr
                lb_kind FNAT
                protocol TCP
                laddr_group_name lg
                real_server 10.82.0.2 8080 {
                    weight 2
                    TCP_CHECK {
                        connect_timeout 1
                    }
                }
            }
            """;

    private static String body(String listing) {
        // Everything after the version line (its size= depends on the tuning's connection-table capacity).
        assertTrue(listing.matches("(?s)IP Virtual Server version 1\\.2\\.1 \\(size=[0-9]+\\)\n.*"), listing);
        return listing.substring(listing.indexOf('\n') + 1);
    }

    @Test
    void fulcrumadmAndMetricsAgainstTheDaemon() throws Exception {
        try (NetnsLab lab = NetnsLab.create()) {
            DaemonTestSupport.Topology topo = DaemonTestSupport.topology(lab, 81, 82);
            String lb = topo.lb();
            String client = topo.client();
            String rs = topo.rs();
            lab.spawn(rs, "socat", "TCP-LISTEN:8080,bind=10.82.0.2,fork,reuseaddr", "SYSTEM:echo hello");

            Path conf = lab.workDir().resolve("fulcrum.conf");
            Files.writeString(conf, CONFIG);
            Path socket = lab.workDir().resolve("run/fulcrum.ctl");
            NetnsLab.Spawned daemon = DaemonTestSupport.startDaemon(lab, lb, conf, socket);

            // The daemon is up, MASTER, and its health check has put the real server in with weight 2.
            Await.until(() -> "the real server up in fulcrumadm -L -n; daemon log:\n" + daemon.output(),
                    Duration.ofSeconds(30), () -> {
                        Run r = adm(socket, "-L", "-n");
                        return r.exit() == 0 && r.out().contains("FullNat 2 ");
                    });
            Run list = adm(socket, "-L", "-n");
            assertEquals("""
                    Prot LocalAddress:Port Scheduler Flags
                      -> RemoteAddress:Port           Forward Weight ActiveConn InActConn
                    TCP  10.81.0.100:80 rr
                    """ + "  -> 10.82.0.2:8080               FullNat 2      0          0         \n",
                    body(list.out()));

            Run vrrp = adm(socket, "vrrp");
            Await.until("VI_1 MASTER", Duration.ofSeconds(10),
                    () -> adm(socket, "vrrp").out().lines().anyMatch(l -> l.startsWith("VI_1 ") && l.contains(
                            " MASTER ")));
            assertEquals(0, vrrp.exit(), vrrp.err());

            // Traffic through the VIP is counted by --stats.
            int sent = 0;
            for (int i = 0; i < 4; i++) {
                Cmd.Result r = lab.exec(Duration.ofSeconds(10), client, "socat", "-T", "3", "-",
                        "TCP:10.81.0.100:80,connect-timeout=3");
                if (r.ok() && r.stdout().contains("hello")) {
                    sent++;
                }
            }
            assertEquals(4, sent, "connections through the VIP; daemon log:\n" + daemon.output());
            // Closed by both sides, the connections wait out their FIN/TIME_WAIT timeout in the dataplane: ipvsadm
            // counts them in InActConn, not ActiveConn (TIME_WAIT lasts 120 s, a reset connection's CLOSE 10 s).
            String closed = body(adm(socket, "-L", "-n").out());
            java.util.regex.Matcher row = java.util.regex.Pattern.compile(
                    "  -> 10\\.82\\.0\\.2:8080 +FullNat 2 +([0-9]+) +([0-9]+) *\n").matcher(closed);
            assertTrue(row.find(), closed);
            assertEquals("0", row.group(1), "ActiveConn of closed connections:\n" + closed);
            assertTrue(Integer.parseInt(row.group(2)) >= 1 && Integer.parseInt(row.group(2)) <= 4,
                    "InActConn counts the closed connections:\n" + closed);
            String stats = body(adm(socket, "-L", "-n", "--stats", "--exact").out());
            List<String> rows = stats.lines().toList();
            assertEquals("Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes",
                    rows.get(0));
            assertTrue(rows.get(2).matches("TCP  10\\.81\\.0\\.100:80 {22}4 +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+"),
                    stats);
            assertTrue(rows.get(3).matches(" {2}-> 10\\.82\\.0\\.2:8080 {22}4( +[0-9]+){4}"), stats);

            // -G as DPVS prints it.
            List<String> g = adm(socket, "-G").out().lines().toList();
            assertEquals("VIP:VPORT            TOTAL    SNAT_IP              CONFLICTS  CONNS     ", g.get(0));
            assertEquals("10.81.0.100:80       1        ", g.get(1));
            assertTrue(g.get(2).matches(" {30}10\\.82\\.0\\.200 {10}0 {10}[0-9]+ *"), g.get(2));

            // Runtime changes are visible; refusals change nothing.
            assertEquals(new Run(0, "", ""), adm(socket, "-a", "-t", "10.81.0.100:80", "-r", "10.82.0.3:8080",
                    "-w", "5", "-b"));
            assertTrue(adm(socket, "-L", "-n").out().contains(
                    "  -> 10.82.0.3:8080               FullNat 5      0          0         \n"));
            String before = adm(socket, "-L", "-n").out();
            assertEquals(new Run(1, "", "Destination already exists\n"),
                    adm(socket, "-a", "-t", "10.81.0.100:80", "-r", "10.82.0.3:8080"));
            assertEquals(new Run(1, "", "No such service\n"), adm(socket, "-D", "-t", "10.81.0.100:81"));
            assertEquals(before, adm(socket, "-L", "-n").out());
            assertEquals(0, adm(socket, "-d", "-t", "10.81.0.100:80", "-r", "10.82.0.3:8080").exit());
            assertTrue(!adm(socket, "-L", "-n").out().contains("10.82.0.3"));

            assertEquals(new Run(0, "", ""), adm(socket, "-P", "-t", "10.81.0.100:80", "-z", "10.82.0.201",
                    "-F", "r0"));
            assertTrue(adm(socket, "-G").out().contains("10.82.0.201"));
            assertEquals(new Run(1, "", "local address already present\n"),
                    adm(socket, "-P", "-t", "10.81.0.100:80", "-z", "10.82.0.201"));
            assertEquals(new Run(0, "", ""), adm(socket, "-Q", "-t", "10.81.0.100:80", "-z", "10.82.0.201"));
            assertEquals(new Run(1, "", "local address not in the pool\n"),
                    adm(socket, "-Q", "-t", "10.81.0.100:80", "-z", "10.82.0.201"));

            // The metrics endpoint on the daemon's loopback, parsed strictly.
            Cmd.Result scrape = lab.exec(Duration.ofSeconds(10), lb, "curl", "-sS", "-m", "5",
                    "http://127.0.0.1:9469/metrics");
            assertTrue(scrape.ok(), scrape.stderr());
            Map<String, Family> m = PrometheusTextParser.parse(scrape.stdout());
            assertEquals(2.0, m.get("fulcrum_vrrp_state").samples().getFirst().value());
            assertEquals("10.81.0.100", m.get("fulcrum_vrrp_state").samples().getFirst().labels().get("ip_address"));
            assertEquals(4.0, m.get("fulcrum_ipvs_connections_total").samples().getFirst().value());
            assertEquals(2.0, m.get("fulcrum_ipvs_backend_weight").samples().getFirst().value());
            assertTrue(m.get("fulcrum_dataplane_rx_packets_total").samples().getFirst().value() > 0);
            assertTrue(m.containsKey("fulcrum_laddr_ports_used"));
            assertTrue(m.containsKey("fulcrum_connection_table_entries"));
        }
    }
}

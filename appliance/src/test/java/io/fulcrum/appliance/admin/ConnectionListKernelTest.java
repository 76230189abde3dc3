package io.fulcrum.appliance.admin;

import static io.fulcrum.appliance.DaemonTestSupport.adm;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.appliance.DaemonTestSupport;
import io.fulcrum.appliance.DaemonTestSupport.Run;
import io.fulcrum.testkit.Await;
import io.fulcrum.testkit.KernelTest;
import io.fulcrum.testkit.NetnsLab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code fulcrumadm -L -n -c} against the real daemon: a client holds a TCP connection open through the FullNAT VIP,
 * and its line appears with ipvsadm's state word, an expiry countdown from the 900 s established timeout, the client,
 * the VIP, the local address the dataplane chose and the real server; once the client is gone, the line goes.
 *
 * <p>Topology: client (10.83.0.2) — lb (c0 10.83.0.1, VIP 10.83.0.100; r0 10.84.0.1, local address 10.84.0.200)
 * — rs (10.84.0.2, a socat TCP echo server on 8080).
 */
@KernelTest
class ConnectionListKernelTest {

    private static final String CONFIG = """
            global_defs {
                router_id conn-lb
            }
            local_address_group lg {
                10.84.0.200 r0
            }
            vrrp_instance VI_1 {
                state MASTER
                interface c0
                virtual_router_id 53
                priority 150
                advert_int 1
                virtual_ipaddress {
                    10.83.0.100/24 dev c0
                }
            }
            virtual_server 10.83.0.100 80 {
                delay_loop 1
                lb_algo rr
                lb_kind FNAT
                protocol TCP
                laddr_group_name lg
                real_server 10.84.0.2 8080 {
                    weight 1
                    TCP_CHECK {
                        connect_timeout 1
                    }
                }
            }
            """;

    private static final Pattern LINE = Pattern.compile(
            "TCP (\\d\\d):(\\d\\d)  ESTABLISHED 10\\.83\\.0\\.2:41001 +10\\.83\\.0\\.100:80 +10\\.84\\.0\\.200:(\\d+) +"
                    + "10\\.84\\.0\\.2:8080");

    @Test
    void aHeldConnectionIsListed() throws Exception {
        try (NetnsLab lab = NetnsLab.create()) {
            DaemonTestSupport.Topology topo = DaemonTestSupport.topology(lab, 83, 84);
            String lb = topo.lb();
            String client = topo.client();
            String rs = topo.rs();
            lab.spawn(rs, "socat", "TCP-LISTEN:8080,bind=10.84.0.2,fork,reuseaddr", "EXEC:cat");

            Path conf = lab.workDir().resolve("fulcrum.conf");
            Files.writeString(conf, CONFIG);
            Path socket = lab.workDir().resolve("run/fulcrum.ctl");
            NetnsLab.Spawned daemon = DaemonTestSupport.startDaemon(lab, lb, conf, socket);
            Await.until(() -> "the real server up and VI_1 MASTER; fulcrumadm -L -n:\n"
                            + adm(socket, "-L", "-n").out() + "\ndaemon log:\n" + daemon.output(),
                    Duration.ofSeconds(60), () -> adm(socket, "-L", "-n").out().contains("FullNat 1 ")
                            && adm(socket, "vrrp").out().lines().anyMatch(
                                    l -> l.startsWith("VI_1 ") && l.contains(" MASTER ")));

            // Nothing yet: the title only, in ipvsadm's layout.
            Run empty = adm(socket, "-L", "-n", "-c");
            assertEquals(new Run(0, "IPVS connection entries\n"
                    + "pro expire state       source             virtual            destination\n", ""), empty);

            // A client holds a connection open (sleep keeps its side open; the server echoes and waits).
            NetnsLab.Spawned held = lab.spawn(client, "socat", "-T", "120", "EXEC:sleep 120",
                    "TCP:10.83.0.100:80,sourceport=41001,connect-timeout=5");
            String[] seen = new String[1];
            Await.until(() -> "the held connection ESTABLISHED in fulcrumadm -L -n -c; last listing:\n" + seen[0]
                            + "\nclient socat:\n" + held.output() + "\ndaemon log:\n" + daemon.output(),
                    Duration.ofSeconds(30), () -> {
                        Run r = adm(socket, "-L", "-n", "-c");
                        seen[0] = r.out() + r.err();
                        return r.exit() == 0 && LINE.matcher(r.out()).find();
                    });
            Run listing = adm(socket, "-L", "-n", "-c");
            assertEquals(0, listing.exit(), listing.err());
            assertEquals("", listing.err(), "a complete listing has no note");
            List<String> lines = listing.out().lines().toList();
            assertEquals("IPVS connection entries", lines.get(0));
            assertEquals("pro expire state       source             virtual            local              "
                    + "destination", lines.get(1));
            assertEquals(3, lines.size(), listing.out());
            Matcher m = LINE.matcher(lines.get(2));
            assertTrue(m.matches(), lines.get(2));
            int expires = Integer.parseInt(m.group(1)) * 60 + Integer.parseInt(m.group(2));
            assertTrue(expires > 840 && expires <= 900, "expiry counts down from 15:00: " + lines.get(2));
            int localPort = Integer.parseInt(m.group(3));
            assertTrue(localPort > 0 && localPort < 65536, lines.get(2));

            // The client goes: its side closes (FIN), the line leaves ESTABLISHED.
            held.process().destroy();
            Await.until(() -> "the connection no longer ESTABLISHED; last listing:\n" + seen[0],
                    Duration.ofSeconds(30), () -> {
                        Run r = adm(socket, "-L", "-n", "-c");
                        seen[0] = r.out();
                        return r.exit() == 0 && !LINE.matcher(r.out()).find();
                    });
        }
    }
}

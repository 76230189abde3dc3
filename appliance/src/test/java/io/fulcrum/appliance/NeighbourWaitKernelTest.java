package io.fulcrum.appliance;

import static io.fulcrum.appliance.DaemonTestSupport.adm;

import io.fulcrum.testkit.Await;
import io.fulcrum.testkit.KernelTest;
import io.fulcrum.testkit.NetnsLab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The first packet to a real server the LB has never resolved is not lost: the dataplane holds it while ARP resolves
 * the real server and then sends it. One UDP datagram (nothing retransmits it) goes through the FullNAT VIP to a real
 * server with no checker, so nothing else makes the LB resolve it; before the fix the datagram was dropped
 * ({@code DROP_NO_NEIGHBOUR}) and never arrived.
 *
 * <p>Topology: client (10.91.0.2) — lb (c0 10.91.0.1, VIP 10.91.0.100; r0 10.92.0.1, local address 10.92.0.200)
 * — rs (10.92.0.2, socat printing the UDP datagrams it receives on 5300).
 */
@KernelTest
class NeighbourWaitKernelTest {

    private static final String CONFIG = """
            global_defs {
                router_id wait-lb
            }
            local_address_group lg {
                10.92.0.200 r0
            }
            vrrp_instance VI_1 {
                state MASTER
                interface c0
                virtual_router_id 56
                priority 150
                advert_int 1
                virtual_ipaddress {
                    10.91.0.100/24 dev c0
                }
            }
            virtual_server 10.91.0.100 53 {
                lb_algo rr
                lb_kind FNAT
                protocol UDP
                laddr_group_name lg
                real_server 10.92.0.2 5300 {
                    weight 1
                }
            }
            """;

    @Test
    void theFirstDatagramToAFreshRealServerArrives() throws Exception {
        try (NetnsLab lab = NetnsLab.create()) {
            DaemonTestSupport.Topology topo = DaemonTestSupport.topology(lab, 91, 92);
            String lb = topo.lb();
            String client = topo.client();
            String rs = topo.rs();
            NetnsLab.Spawned server = lab.spawn(rs, "socat", "-u", "UDP-RECV:5300,bind=10.92.0.2", "STDOUT");

            Path conf = lab.workDir().resolve("fulcrum.conf");
            Files.writeString(conf, CONFIG);
            Path socket = lab.workDir().resolve("run/fulcrum.ctl");
            NetnsLab.Spawned daemon = DaemonTestSupport.startDaemon(lab, lb, conf, socket);
            Await.until(() -> "VI_1 MASTER with the real server in; daemon log:\n" + daemon.output(),
                    Duration.ofSeconds(60), () -> adm(socket, "-L", "-n").out().contains("FullNat 1 ")
                            && adm(socket, "vrrp").out().lines().anyMatch(
                                    l -> l.startsWith("VI_1 ") && l.contains(" MASTER ")));
            String neigh = lab.exec(lb, "ip", "neigh", "show", "dev", "r0").stdout();

            // Exactly one datagram: the client's ARP for the VIP is answered by the dataplane, then the datagram
            // goes out once; nothing repeats it.
            lab.exec(Duration.ofSeconds(10), client, "sh", "-c",
                    "echo first-datagram | socat -u - UDP:10.91.0.100:53").orThrow();
            Await.until(() -> "the one datagram at the real server; LB neighbours before it: [" + neigh
                            + "]; server output: [" + server.output() + "]\ndaemon log:\n" + daemon.output(),
                    Duration.ofSeconds(20), () -> server.output().contains("first-datagram"));
        }
    }
}

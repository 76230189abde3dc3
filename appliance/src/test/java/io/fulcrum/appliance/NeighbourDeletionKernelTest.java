package io.fulcrum.appliance;

import static io.fulcrum.appliance.DaemonTestSupport.adm;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.fulcrum.testkit.Await;
import io.fulcrum.testkit.Cmd;
import io.fulcrum.testkit.KernelTest;
import io.fulcrum.testkit.NetnsLab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A neighbour the kernel deletes is forgotten by the dataplane: the LB starts with a wrong permanent ARP entry for the
 * real server (so FullNAT traffic goes to a MAC nobody has and fails); once the operator deletes it
 * ({@code ip neigh del}, an {@code RTM_DELNEIGH}), the dataplane resolves the real server itself and traffic flows.
 * Before the fix the stale MAC stayed in the dataplane's table for ever. The real server has no checker, so nothing but
 * the dataplane makes the LB resolve it.
 *
 * <p>Topology: client (10.85.0.2) — lb (c0 10.85.0.1, VIP 10.85.0.100; r0 10.86.0.1, local address 10.86.0.200)
 * — rs (10.86.0.2, a socat TCP server on 8080).
 */
@KernelTest
class NeighbourDeletionKernelTest {

    private static final String CONFIG = """
            global_defs {
                router_id neigh-lb
            }
            local_address_group lg {
                10.86.0.200 r0
            }
            vrrp_instance VI_1 {
                state MASTER
                interface c0
                virtual_router_id 54
                priority 150
                advert_int 1
                virtual_ipaddress {
                    10.85.0.100/24 dev c0
                }
            }
            virtual_server 10.85.0.100 80 {
                lb_algo rr
                lb_kind FNAT
                protocol TCP
                laddr_group_name lg
                real_server 10.86.0.2 8080 {
                    weight 1
                }
            }
            """;

    private static boolean request(NetnsLab lab, String client) {
        Cmd.Result r = lab.exec(Duration.ofSeconds(10), client, "socat", "-T", "3", "-",
                "TCP:10.85.0.100:80,connect-timeout=2");
        return r.ok() && r.stdout().contains("hello");
    }

    @Test
    void aDeletedNeighbourIsResolvedAgain() throws Exception {
        try (NetnsLab lab = NetnsLab.create()) {
            DaemonTestSupport.Topology topo = DaemonTestSupport.topology(lab, 85, 86);
            String lb = topo.lb();
            String client = topo.client();
            String rs = topo.rs();
            lab.exec(lb, "ip", "neigh", "replace", "10.86.0.2", "lladdr", "02:de:ad:be:ef:01", "dev", "r0", "nud",
                    "permanent").orThrow();
            lab.spawn(rs, "socat", "TCP-LISTEN:8080,bind=10.86.0.2,fork,reuseaddr", "SYSTEM:echo hello");

            Path conf = lab.workDir().resolve("fulcrum.conf");
            Files.writeString(conf, CONFIG);
            Path socket = lab.workDir().resolve("run/fulcrum.ctl");
            NetnsLab.Spawned daemon = DaemonTestSupport.startDaemon(lab, lb, conf, socket);
            Await.until(() -> "VI_1 MASTER with the real server in; daemon log:\n" + daemon.output(),
                    Duration.ofSeconds(60), () -> adm(socket, "-L", "-n").out().contains("FullNat 1 ")
                            && adm(socket, "vrrp").out().lines().anyMatch(
                                    l -> l.startsWith("VI_1 ") && l.contains(" MASTER ")));

            // The wrong MAC is in use: the request goes nowhere.
            assertFalse(request(lab, client), "a request through the VIP with the real server's MAC wrong");

            lab.exec(lb, "ip", "neigh", "del", "10.86.0.2", "dev", "r0").orThrow();
            Await.until(() -> "a request through the VIP once the stale neighbour is deleted; lb neighbours:\n"
                            + lab.exec(lb, "ip", "neigh", "show").stdout() + "\ndaemon log:\n" + daemon.output(),
                    Duration.ofSeconds(30), () -> request(lab, client));
        }
    }
}

package io.fulcrum.appliance;

import static io.fulcrum.appliance.DaemonTestSupport.adm;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.testkit.Await;
import io.fulcrum.testkit.Cmd;
import io.fulcrum.testkit.KernelTest;
import io.fulcrum.testkit.NetnsLab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Ping of the VIP (from the client) and of the FullNAT local address (from the real server) is answered by the real
 * daemon on AF_XDP ports, where the XDP program steers those addresses away from the kernel. Before the fix the
 * dataplane left the echo requests to a kernel that never saw them, and ping got no answer.
 *
 * <p>Topology: client (10.87.0.2) — lb (c0 10.87.0.1, VIP 10.87.0.100; r0 10.88.0.1, local address 10.88.0.200)
 * — rs (10.88.0.2).
 */
@KernelTest
class EchoKernelTest {

    private static final String CONFIG = """
            global_defs {
                router_id echo-lb
            }
            local_address_group lg {
                10.88.0.200 r0
            }
            vrrp_instance VI_1 {
                state MASTER
                interface c0
                virtual_router_id 55
                priority 150
                advert_int 1
                virtual_ipaddress {
                    10.87.0.100/24 dev c0
                }
            }
            virtual_server 10.87.0.100 80 {
                lb_algo rr
                lb_kind FNAT
                protocol TCP
                laddr_group_name lg
                real_server 10.88.0.2 8080 {
                    weight 1
                }
            }
            """;

    private static final String TUNING = """
            fulcrum.dataplane.io-mode = xdp
            """;

    private static Cmd.Result ping(NetnsLab lab, String ns, String address) {
        return lab.exec(Duration.ofSeconds(15), ns, "ping", "-n", "-c", "3", "-i", "0.2", "-W", "2", address);
    }

    @Test
    void theVipAndTheLocalAddressAnswerPing() throws Exception {
        try (NetnsLab lab = NetnsLab.create()) {
            DaemonTestSupport.Topology topo = DaemonTestSupport.topology(lab, 87, 88);
            String lb = topo.lb();
            String client = topo.client();
            String rs = topo.rs();

            Path conf = lab.workDir().resolve("fulcrum.conf");
            Files.writeString(conf, CONFIG);
            Path tuning = lab.workDir().resolve("tuning.hocon");
            Files.writeString(tuning, TUNING);
            Path socket = lab.workDir().resolve("run/fulcrum.ctl");
            NetnsLab.Spawned daemon = DaemonTestSupport.startDaemon(lab, lb, conf, socket, "--tuning",
                    tuning.toString());
            Await.until(() -> "VI_1 MASTER; daemon log:\n" + daemon.output(), Duration.ofSeconds(60),
                    () -> adm(socket, "vrrp").out().lines().anyMatch(
                            l -> l.startsWith("VI_1 ") && l.contains(" MASTER ")));
            assertTrue(daemon.output().contains("AF_XDP"), "AF_XDP ports in use; daemon log:\n" + daemon.output());

            Cmd.Result[] last = new Cmd.Result[1];
            Await.until(() -> "ping of the VIP answered; last ping:\n" + last[0] + "\ndaemon log:\n"
                    + daemon.output(), Duration.ofSeconds(30), () -> {
                        last[0] = ping(lab, client, "10.87.0.100");
                        return last[0].ok() && last[0].stdout().contains("from 10.87.0.100");
                    });
            Await.until(() -> "ping of the local address answered; last ping:\n" + last[0] + "\ndaemon log:\n"
                    + daemon.output(), Duration.ofSeconds(30), () -> {
                        last[0] = ping(lab, rs, "10.88.0.200");
                        return last[0].ok() && last[0].stdout().contains("from 10.88.0.200");
                    });
            // The node's own address stays the kernel's (it is never steered) and answers as before.
            assertTrue(ping(lab, client, "10.87.0.1").ok());
        }
    }
}

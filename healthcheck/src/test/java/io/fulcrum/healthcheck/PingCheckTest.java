package io.fulcrum.healthcheck;

import io.fulcrum.netlink.NetNs;
import io.fulcrum.testkit.KernelTest;
import io.fulcrum.testkit.NetnsLab;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * PING_CHECK between two namespaces joined by a veth pair: the check's event loop runs in one, the real server's
 * addresses live in the other; removing and restoring the real server's addresses is detected and logged.
 */
@KernelTest
class PingCheckTest {

    @Test
    void echoFailureAndRecoveryIpv4AndIpv6() {
        try (NetnsLab lab = NetnsLab.create()) {
            String lb = lab.ns("lb");
            String rs = lab.ns("rs");
            lab.veth(lb, "eth0", rs, "eth0");
            lab.addr(lb, "eth0", "10.9.0.1/24");
            lab.addr(rs, "eth0", "10.9.0.2/24");
            lab.addr(lb, "eth0", "fd00:9::1/64");
            lab.addr(rs, "eth0", "fd00:9::2/64");
            CheckOptions o = CheckHarness.FAST.withConnectTimeout(Duration.ofMillis(300));
            VirtualServerCheckSpec v4 = VirtualServerCheckSpec.tcp(Endpoint.of("10.0.0.100", 80),
                    RealServerCheckSpec.of(Endpoint.of("10.9.0.2", 80), new CheckSpec.Ping(o)));
            VirtualServerCheckSpec v6 = VirtualServerCheckSpec.tcp(Endpoint.of("fd00::100", 80),
                    RealServerCheckSpec.of(Endpoint.of("fd00:9::2", 80), new CheckSpec.Ping(o)));
            HealthCheckContext ctx = new HealthCheckContext().virtualServers(List.of(v4, v6))
                    .threadFactory(r -> new Thread(() -> {
                        NetNs.enter(lb);
                        r.run();
                    }));
            try (CheckHarness h = CheckHarness.launch(ctx)) {
                Duration bound = CheckHarness.bound(o, Duration.ofMillis(3000));
                h.await("ICMP connection to [10.9.0.2]:tcp:80 success.", Duration.ofSeconds(5));
                h.await("ICMP connection to [fd00:9::2]:tcp:80 success.", Duration.ofSeconds(5));
                // the real server loses its addresses (a link down would also flush the IPv6 one for good)
                lab.exec(rs, "ip", "addr", "del", "10.9.0.2/24", "dev", "eth0").orThrow();
                lab.exec(rs, "ip", "-6", "addr", "del", "fd00:9::2/64", "dev", "eth0").orThrow();
                h.await("ICMP connection to address 10.9.0.2 timeout.", bound);
                h.await("ICMP CHECK on service [10.9.0.2]:tcp:80 of [10.0.0.100]:tcp:80 failed after 1 retries.",
                        bound);
                h.await("Removing service [10.9.0.2]:tcp:80 from VS [10.0.0.100]:tcp:80", Duration.ofSeconds(1));
                h.await("ICMP CHECK on service [fd00:9::2]:tcp:80 of [fd00::100]:tcp:80 failed after 1 retries.",
                        bound);
                lab.addr(rs, "eth0", "10.9.0.2/24");
                lab.addr(rs, "eth0", "fd00:9::2/64");
                h.await("Adding service [10.9.0.2]:tcp:80 to VS [10.0.0.100]:tcp:80", Duration.ofSeconds(5));
                h.await("Adding service [fd00:9::2]:tcp:80 to VS [fd00::100]:tcp:80", Duration.ofSeconds(5));
            }
        }
    }
}

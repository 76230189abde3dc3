package io.fulcrum.healthcheck;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.netlink.NetNs;
import io.fulcrum.testkit.KernelTest;
import io.fulcrum.testkit.NetnsLab;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import org.junit.jupiter.api.Test;

/**
 * Checks aimed at a network with no route fail cleanly with keepalived's log lines and no stack trace. The event-loop
 * threads run inside a namespace that has only loopback, so nothing leaves the machine.
 */
@KernelTest
class UnreachableNetworkTest {

    @Test
    void everyCheckerFailsCleanlyWithoutARoute() {
        try (NetnsLab lab = NetnsLab.create()) {
            String ns = lab.ns("hc");
            ThreadFactory inNs = r -> new Thread(() -> {
                NetNs.enter(ns);
                r.run();
            });
            CheckOptions o = CheckHarness.FAST.withRetry(0);
            RealServerCheckSpec tcpRs = new RealServerCheckSpec(Endpoint.of("10.255.0.2", 80), 1, false, null, null,
                    List.of(new CheckSpec.Tcp(o),
                            new CheckSpec.Http(o.withConnectPort(8080), false, List.of(CheckSpec.Url.of("/")), null,
                                    false),
                            new CheckSpec.Http(o.withConnectPort(8443), true, List.of(CheckSpec.Url.of("/")), null,
                                    false),
                            new CheckSpec.Smtp(o.withConnectPort(25), null)));
            RealServerCheckSpec v6Rs = new RealServerCheckSpec(Endpoint.of("fd00:dead::2", 80), 1, false, null, null,
                    List.of(new CheckSpec.Tcp(o), new CheckSpec.Ping(o)));
            RealServerCheckSpec udpRs = new RealServerCheckSpec(Endpoint.of("10.255.0.2", 53), 1, false, null, null,
                    List.of(new CheckSpec.Udp(o, "00", true, null), new CheckSpec.Dns(o, "A", "example.test")));
            VirtualServerCheckSpec tcpVs = new VirtualServerCheckSpec(Endpoint.of("10.0.0.100", 80), Protocol.TCP, 1, 0,
                    null, null, null, false, false, List.of(tcpRs));
            VirtualServerCheckSpec v6Vs = VirtualServerCheckSpec.tcp(Endpoint.of("fd00::100", 80), v6Rs);
            VirtualServerCheckSpec udpVs = new VirtualServerCheckSpec(Endpoint.of("10.0.0.100", 53), Protocol.UDP, 1, 0,
                    null, null, null, false, false, List.of(udpRs));
            HealthCheckContext ctx = new HealthCheckContext().virtualServers(List.of(tcpVs, v6Vs, udpVs))
                    .threadFactory(inNs);
            try (CheckHarness h = CheckHarness.launch(ctx)) {
                Duration limit = Duration.ofSeconds(3);
                h.await("TCP_CHECK on service [10.255.0.2]:tcp:80 failed.", limit);
                h.await("Error connecting server [10.255.0.2]:tcp:80.", limit);
                h.await("HTTP_CHECK on service [10.255.0.2]:tcp:80 failed.", limit);
                h.await("SMTP_CHECK Error connecting to server [10.255.0.2]:25", limit);
                h.await("TCP_CHECK on service [fd00:dead::2]:tcp:80 failed.", limit);
                h.await("ICMP CHECK on service [fd00:dead::2]:tcp:80 failed.", limit);
                h.await("Removing service [fd00:dead::2]:tcp:80 from VS [fd00::100]:tcp:80", limit);
                h.await("UDP_CHECK on service [10.255.0.2]:udp:53 failed.", limit);
                h.await("DNS_CHECK ([10.255.0.2]:udp:53) network unreachable for [10.255.0.2]:53", limit);
                h.await("Removing service [10.255.0.2]:tcp:80 from VS [10.0.0.100]:tcp:80", limit);
                h.await("Removing service [10.255.0.2]:udp:53 from VS [10.0.0.100]:udp:53", limit);
                assertFalse(h.handle.isUp(0, 0));
                h.assertNoStackTraces();
                assertTrue(h.handle.attempts() > 0);
            }
        }
    }
}

package io.fulcrum.healthcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The NIO fallback transport runs the same checkers: TCP, UDP (ICMP port unreachable seen) and DNS on loopback. */
class NioTransportTest {

    @Test
    void tcpUdpDnsOnNio() {
        try (TcpListener tcp = TcpListener.acceptor("127.0.0.1");
             UdpDnsCheckTest.UdpServer echo = new UdpDnsCheckTest.UdpServer(q -> q);
             UdpDnsCheckTest.UdpServer dns = new UdpDnsCheckTest.UdpServer(q -> UdpDnsCheckTest.dnsAnswer(q, 0))) {
            String tcpRs = "[127.0.0.1]:tcp:" + tcp.port();
            String udpRs = "[127.0.0.1]:udp:" + echo.port();
            String dnsRs = "[127.0.0.1]:udp:" + dns.port();
            VirtualServerCheckSpec t = VirtualServerCheckSpec.tcp(Endpoint.of("10.0.0.100", 80),
                    RealServerCheckSpec.of(Endpoint.of("127.0.0.1", tcp.port()), new CheckSpec.Tcp(CheckHarness.FAST)));
            VirtualServerCheckSpec u = new VirtualServerCheckSpec(Endpoint.of("10.0.0.100", 53), Protocol.UDP, 1, 0,
                    null, null, null, false, false, List.of(
                    RealServerCheckSpec.of(Endpoint.of("127.0.0.1", echo.port()),
                            new CheckSpec.Udp(CheckHarness.FAST, "6869", true, "6869")),
                    RealServerCheckSpec.of(Endpoint.of("127.0.0.1", dns.port()),
                            new CheckSpec.Dns(CheckHarness.FAST, "A", "www.example.test"))));
            HealthCheckContext ctx = new HealthCheckContext().virtualServers(List.of(t, u)).forceNio(true);
            try (CheckHarness h = CheckHarness.launch(ctx)) {
                assertEquals("nio", h.handle.transport());
                h.await("TCP connection to " + tcpRs + " success.", Duration.ofSeconds(5));
                h.await("UDP connection to " + udpRs + " success.", Duration.ofSeconds(5));
                Duration bound = CheckHarness.bound(CheckHarness.FAST, Duration.ofMillis(3000));
                tcp.stop();
                echo.stop();
                dns.stop();
                h.await("TCP_CHECK on service " + tcpRs + " failed after 1 retries.", bound);
                h.await("UDP_CHECK on service " + udpRs + " failed after 1 retries.", bound);
                h.await("DNS_CHECK (" + dnsRs + ") failed to read socket; errno 111 (Connection refused) after 1 retries",
                        bound);
                tcp.start();
                echo.start();
                dns.start();
                h.await("Adding service " + tcpRs + " to VS [10.0.0.100]:tcp:80", bound);
                h.await("Adding service " + udpRs + " to VS [10.0.0.100]:udp:53", bound);
                h.await("Adding service " + dnsRs + " to VS [10.0.0.100]:udp:53", bound);
            }
        }
    }
}

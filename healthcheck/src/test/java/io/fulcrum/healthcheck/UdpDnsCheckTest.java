package io.fulcrum.healthcheck;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** UDP_CHECK against a UDP echo and DNS_CHECK against a tiny DNS responder, both run by the test on loopback. */
class UdpDnsCheckTest {

    /** A UDP server on loopback that can be stopped and restarted on the same port. */
    static final class UdpServer implements AutoCloseable {
        interface Answer {
            byte[] answer(byte[] query);
        }

        private final Answer answer;
        private volatile DatagramSocket socket;
        private int port;

        UdpServer(Answer answer) {
            this.answer = answer;
            start();
        }

        synchronized void start() {
            try {
                DatagramSocket s = new DatagramSocket(null);
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(Endpoint.literal("127.0.0.1"), port));
                port = s.getLocalPort();
                socket = s;
                Thread.ofPlatform().daemon().start(() -> loop(s));
            } catch (SocketException e) {
                throw new IllegalStateException(e);
            }
        }

        private void loop(DatagramSocket s) {
            byte[] buf = new byte[1500];
            while (!s.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    s.receive(p);
                    byte[] reply = answer.answer(Arrays.copyOf(p.getData(), p.getLength()));
                    if (reply != null) {
                        s.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
                    }
                } catch (IOException e) {
                    return;
                }
            }
        }

        int port() {
            return port;
        }

        synchronized void stop() {
            socket.close();
        }

        @Override
        public void close() {
            stop();
        }
    }

    @Test
    void udpEchoFailureAndRecovery() {
        try (UdpServer echo = new UdpServer(q -> q)) {
            int p = echo.port();
            String rs = "[127.0.0.1]:udp:" + p;
            CheckSpec.Udp check = new CheckSpec.Udp(CheckHarness.FAST, "68656c6c6f", true, "68656c");
            VirtualServerCheckSpec vs = new VirtualServerCheckSpec(Endpoint.of("10.0.0.100", 53), Protocol.UDP, 1, 0,
                    null, null, null, false, false, List.of(RealServerCheckSpec.of(Endpoint.of("127.0.0.1", p),
                    check)));
            try (CheckHarness h = CheckHarness.launch(vs)) {
                h.await("UDP connection to " + rs + " success.", Duration.ofSeconds(5));
                echo.stop();
                h.await("UDP connection to " + rs + " failed.", CheckHarness.bound(CheckHarness.FAST,
                        Duration.ofMillis(3000)));
                h.await("UDP_CHECK on service " + rs + " failed after 1 retries.",
                        CheckHarness.bound(CheckHarness.FAST, Duration.ofMillis(3000)));
                h.await("Removing service " + rs + " from VS [10.0.0.100]:udp:53", Duration.ofSeconds(1));
                echo.start();
                h.await("UDP connection to " + rs + " success.", Duration.ofSeconds(5));
                h.await("Adding service " + rs + " to VS [10.0.0.100]:udp:53", Duration.ofSeconds(1));
            }
        }
    }

    @Test
    void udpReplyMismatch() {
        try (UdpServer wrong = new UdpServer(q -> new byte[] {1, 2, 3})) {
            int p = wrong.port();
            String rs = "[127.0.0.1]:udp:" + p;
            CheckSpec.Udp check = new CheckSpec.Udp(CheckHarness.FAST.withRetry(0), "00", true, "68");
            VirtualServerCheckSpec vs = new VirtualServerCheckSpec(Endpoint.of("10.0.0.100", 53), Protocol.UDP, 1, 0,
                    null, null, null, false, false, List.of(RealServerCheckSpec.of(Endpoint.of("127.0.0.1", p),
                    check)));
            try (CheckHarness h = CheckHarness.launch(vs)) {
                h.await("UDP check to " + rs + " reply data mismatch.", Duration.ofSeconds(5));
                h.await("UDP_CHECK on service " + rs + " failed.", Duration.ofSeconds(1));
            }
        }
    }

    /** Answers A queries with 127.0.0.1, or with the configured rcode. */
    static byte[] dnsAnswer(byte[] q, int rcode) {
        if (q.length < 12) {
            return null;
        }
        int p = 12;
        while (q[p] != 0) {
            p += 1 + (q[p] & 0xff);
        }
        int qEnd = p + 5;
        int qtype = ((q[p + 1] & 0xff) << 8) | (q[p + 2] & 0xff);
        boolean answer = rcode == 0 && qtype == 1;
        byte[] r = Arrays.copyOf(q, qEnd + (answer ? 16 : 0));
        r[2] = (byte) 0x81;
        r[3] = (byte) (0x80 | rcode);
        r[7] = (byte) (answer ? 1 : 0);
        if (answer) {
            byte[] rr = HexFormat.of().parseHex("c00c" + "0001" + "0001" + "0000003c" + "0004" + "7f000001");
            System.arraycopy(rr, 0, r, qEnd, rr.length);
        }
        return r;
    }

    @Test
    void dnsFailureAndRecovery() {
        AtomicInteger rcode = new AtomicInteger();
        try (UdpServer dns = new UdpServer(q -> dnsAnswer(q, rcode.get()))) {
            int p = dns.port();
            String rs = "[127.0.0.1]:udp:" + p;
            CheckSpec.Dns check = new CheckSpec.Dns(CheckHarness.FAST, "A", "www.example.test");
            VirtualServerCheckSpec vs = new VirtualServerCheckSpec(Endpoint.of("10.0.0.100", 53), Protocol.UDP, 1, 0,
                    null, null, null, false, false, List.of(RealServerCheckSpec.of(Endpoint.of("127.0.0.1", p),
                    check)));
            try (CheckHarness h = CheckHarness.launch(vs)) {
                Duration bound = CheckHarness.bound(CheckHarness.FAST, Duration.ofMillis(3000));
                rcode.set(2);
                // a failure on the first run is reported at once, without "after N retries" (keepalived's dns_final)
                h.await("DNS_CHECK (" + rs + ") read error occurred. (rcode = 2)", bound);
                h.await("Removing service " + rs + " from VS [10.0.0.100]:udp:53", Duration.ofSeconds(1));
                rcode.set(0);
                h.await("Adding service " + rs + " to VS [10.0.0.100]:udp:53", bound);
                dns.stop();
                h.await("DNS_CHECK (" + rs + ") failed to read socket; errno 111 (Connection refused) after 1 retries",
                        bound);
                dns.start();
                h.await("Adding service " + rs + " to VS [10.0.0.100]:udp:53", bound);
            }
        }
    }

    @Test
    void dnsNoRecordOfTheType() {
        try (UdpServer dns = new UdpServer(q -> dnsAnswer(q, 0))) {
            int p = dns.port();
            String rs = "[127.0.0.1]:udp:" + p;
            CheckSpec.Dns check = new CheckSpec.Dns(CheckHarness.FAST.withRetry(0), "AAAA", "www.example.test");
            VirtualServerCheckSpec vs = new VirtualServerCheckSpec(Endpoint.of("10.0.0.100", 53), Protocol.UDP, 1, 0,
                    null, null, null, false, false, List.of(RealServerCheckSpec.of(Endpoint.of("127.0.0.1", p),
                    check)));
            try (CheckHarness h = CheckHarness.launch(vs)) {
                h.await("DNS_CHECK (" + rs + ") no AAAA record in the answer.", Duration.ofSeconds(5));
                h.await("Removing service " + rs + " from VS [10.0.0.100]:udp:53", Duration.ofSeconds(1));
            }
        }
    }
}

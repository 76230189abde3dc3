package io.fulcrum.dataplane.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fulcrum.dataplane.io.packet.FanoutSteering;
import io.fulcrum.dataplane.io.packet.TpacketV3Port;
import io.fulcrum.dataplane.packet.NetworkByteOrder;
import io.fulcrum.netlink.Interfaces;
import io.fulcrum.netlink.NetNs;
import io.fulcrum.testkit.Await;
import io.fulcrum.testkit.KernelTest;
import io.fulcrum.testkit.NetnsLab;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The AF_PACKET fanout program: with two workers, a UDP/TCP packet whose destination port is in the local-port range
 * goes to worker {@code dport mod 2}, any other to worker {@code sport mod 2}.
 */
@KernelTest
class FanoutSteeringKernelTest {

    @Test
    void steersByLocalPortElseBySourcePort() throws Exception {
        try (NetnsLab lab = NetnsLab.create()) {
            String a = lab.ns("a");
            String b = lab.ns("b");
            lab.veth(a, "eth0", b, "eth0");
            lab.addr(a, "eth0", "10.9.0.1/24");
            lab.addr(b, "eth0", "10.9.0.2/24");
            lab.exec(b, "ip", "neigh", "replace", "10.9.0.1", "lladdr", "02:00:00:00:00:01", "dev", "eth0").orThrow();
            TpacketV3Port[] ports = new TpacketV3Port[2];
            NetNs.runIn(a, () -> {
                int ifindex = Interfaces.indexOf("eth0");
                for (int w = 0; w < 2; w++) {
                    ports[w] = TpacketV3Port.open("eth0", ifindex, 1 << 16, 4, 1, 2048, 2, 4242,
                            TpacketV3Port.FANOUT_CBPF);
                    FanoutSteering.attach(ports[w].socket(), 1024, 65535);
                }
            });
            try {
                int[][] seen = new int[2][2]; // [worker][expected worker]
                NetNs.runIn(b, () -> {
                    try {
                        for (int i = 0; i < 10; i++) {
                            // to a service port (80): by source port 40000 + i
                            try (DatagramChannel ch = DatagramChannel.open()) {
                                ch.bind(new InetSocketAddress("10.9.0.2", 40000 + i));
                                ch.send(ByteBuffer.wrap(new byte[] {1}), new InetSocketAddress("10.9.0.1", 80));
                            }
                            // from port 80 to a local port 50000 + i: by destination port
                            try (DatagramChannel ch = DatagramChannel.open()) {
                                ch.bind(new InetSocketAddress("10.9.0.2", 80));
                                ch.send(ByteBuffer.wrap(new byte[] {2}), new InetSocketAddress("10.9.0.1", 50000 + i));
                            }
                        }
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                int[] total = new int[1];
                Await.until("20 UDP frames", Duration.ofSeconds(5), () -> {
                    for (int w = 0; w < 2; w++) {
                        int worker = w;
                        total[0] += ports[w].receive((seg, off, len) -> {
                            if (len < 42 || NetworkByteOrder.u16(seg, off + 12) != 0x0800
                                    || NetworkByteOrder.u8(seg, off + 23) != 17) {
                                return;
                            }
                            int sport = NetworkByteOrder.u16(seg, off + 34);
                            int dport = NetworkByteOrder.u16(seg, off + 36);
                            int expected = (dport >= 1024 ? dport : sport) % 2;
                            seen[worker][expected]++;
                        }, 64);
                    }
                    return seen[0][0] + seen[0][1] + seen[1][0] + seen[1][1] >= 20;
                });
                assertEquals(10, seen[0][0], "worker 0 got its frames");
                assertEquals(10, seen[1][1], "worker 1 got its frames");
                assertEquals(0, seen[0][1] + seen[1][0], "frames on the wrong worker");
            } finally {
                for (TpacketV3Port p : ports) {
                    if (p != null) {
                        p.close();
                    }
                }
            }
        }
    }
}

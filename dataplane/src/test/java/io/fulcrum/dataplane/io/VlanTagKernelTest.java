package io.fulcrum.dataplane.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.dataplane.io.packet.TpacketV3Port;
import io.fulcrum.netlink.NetNs;
import io.fulcrum.testkit.KernelTest;
import io.fulcrum.testkit.NetnsLab;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import io.fulcrum.testkit.PacketBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An AF_PACKET port hands on VLAN-tagged frames with their tag, so what the dataplane sends back keeps its VLAN: the
 * peer injects a UDP frame tagged VLAN 12, the test reflects it out of the same port (MACs, addresses and ports
 * swapped; checksums stay valid), and a port on the peer sees the reflection still tagged 12. The kernel takes the tag
 * off before a packet socket sees the frame (it is only in {@code tp_vlan_tci}); before the fix the frame lost its VLAN
 * through the port.
 *
 * <p>Topology: lb (p0, no address; the port under test) — peer (eth0; a port of its own to see what comes back).
 */
@KernelTest
class VlanTagKernelTest {

    @Test
    void aTaggedFrameKeepsItsTagThroughThePort() throws Exception {
        try (NetnsLab lab = NetnsLab.create(); Arena arena = Arena.ofConfined()) {
            String lb = lab.ns("lb");
            String peer = lab.ns("peer");
            lab.veth(lb, "p0", peer, "eth0");
            // This kernel has no 8021q driver for a VLAN sub-interface: the peer injects the tagged frame itself.
            byte[] tagged = PacketBuilder.frame().eth("02:00:00:00:00:0b", "02:00:00:00:00:0a").vlan(12)
                    .ip("10.90.0.2", "10.90.0.9").udp(7777, 9999).payload("ping".getBytes(StandardCharsets.US_ASCII))
                    .build();
            Path frameFile = lab.workDir().resolve("tagged.bin");
            Files.write(frameFile, tagged);
            TpacketV3Port port = open(lb, lab, "p0");
            TpacketV3Port peerPort = open(peer, lab, "eth0");
            try {
                MemorySegment buf = arena.allocate(2048);
                int[] seenTag = {-1};
                int[] backTag = {-1};
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                long nextInject = 0;
                while (backTag[0] < 0 && System.nanoTime() < deadline) {
                    if (System.nanoTime() - nextInject >= 0) {
                        lab.exec(Duration.ofSeconds(5), peer, "socat", "-u", "OPEN:" + frameFile,
                                "INTERFACE:eth0").orThrow();
                        nextInject = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
                    }
                    port.receive((seg, off, len) -> {
                        MemorySegment.copy(seg, off, buf, 0, len);
                        int l3 = l3(buf);
                        if (l3 < 0 || len < l3 + 28 || u16(buf, l3 + 22) != 9999) {
                            return;
                        }
                        seenTag[0] = u16(buf, 12) == 0x8100 ? u16(buf, 14) & 0xFFF : 0;
                        swap(buf, 0, 6, 6); // MACs
                        swap(buf, l3 + 12, l3 + 16, 4); // addresses: both sums unchanged
                        swap(buf, l3 + 20, l3 + 22, 2); // ports
                        port.transmit(buf, 0, len);
                    }, 64);
                    port.flush();
                    peerPort.receive((seg, off, len) -> {
                        MemorySegment.copy(seg, off, buf, 0, len);
                        int l3 = l3(buf);
                        if (l3 >= 0 && len >= l3 + 28 && u16(buf, l3 + 22) == 7777) {
                            backTag[0] = u16(buf, 12) == 0x8100 ? u16(buf, 14) & 0xFFF : 0;
                        }
                    }, 64);
                    Thread.onSpinWait();
                }
                assertEquals(12, seenTag[0], "the frame from VLAN 12 as the port handed it on (0: untagged)");
                assertEquals(12, backTag[0], "the reflected frame as the peer received it (0: untagged)");
                assertTrue(port.vlanRestored() > 0);
            } finally {
                port.close();
                peerPort.close();
            }
        }
    }

    private static TpacketV3Port open(String ns, NetnsLab lab, String ifName) throws Exception {
        int ifindex = Integer.parseInt(lab.exec(ns, "cat", "/sys/class/net/" + ifName + "/ifindex").orThrow()
                .stdout().strip());
        return NetNs.callIn(ns, () -> TpacketV3Port.open(ifName, ifindex, 1 << 16, 8, 10, 2048, 4, -1,
                TpacketV3Port.FANOUT_HASH));
    }

    /** Offset of an IPv4 UDP header's IP header (behind at most one tag), or -1. */
    private static int l3(MemorySegment buf) {
        int type = u16(buf, 12);
        int l3 = type == 0x8100 ? 18 : 14;
        int inner = type == 0x8100 ? u16(buf, 16) : type;
        return inner == 0x0800 && (buf.get(ValueLayout.JAVA_BYTE, l3 + 9) & 0xFF) == 17 ? l3 : -1;
    }

    private static int u16(MemorySegment s, long at) {
        return ((s.get(ValueLayout.JAVA_BYTE, at) & 0xFF) << 8) | (s.get(ValueLayout.JAVA_BYTE, at + 1) & 0xFF);
    }

    private static void swap(MemorySegment s, long a, long b, int n) {
        for (int i = 0; i < n; i++) {
            byte x = s.get(ValueLayout.JAVA_BYTE, a + i);
            s.set(ValueLayout.JAVA_BYTE, a + i, s.get(ValueLayout.JAVA_BYTE, b + i));
            s.set(ValueLayout.JAVA_BYTE, b + i, x);
        }
    }
}

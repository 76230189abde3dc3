package io.fulcrum.dataplane.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.dataplane.io.arp.ArpNdResponder;
import io.fulcrum.dataplane.io.arp.EchoResponder;
import io.fulcrum.dataplane.service.ForwardingMethod;
import io.fulcrum.dataplane.service.LocalAddressPoolSpec;
import io.fulcrum.dataplane.service.Protocol;
import io.fulcrum.dataplane.service.RealServerSpec;
import io.fulcrum.dataplane.service.SchedulerKind;
import io.fulcrum.dataplane.service.ServiceKey;
import io.fulcrum.dataplane.service.ServiceTable;
import io.fulcrum.dataplane.service.ServiceTableSpec;
import io.fulcrum.dataplane.service.VirtualServiceSpec;
import io.fulcrum.testkit.PacketBuilder;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Echo requests to owned addresses become their replies in place, byte for byte as a builder makes the reply (so the
 * incrementally updated checksums are checked against freshly computed ones); anything else is left untouched.
 */
class EchoResponderTest {

    private static final String PEER = "02:00:00:00:00:bb";
    private static final String PORT = "02:00:00:00:00:aa";
    private static final byte[] BODY = "abcdefghijklmnopqrstuvwxyz012345".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private final Arena arena = Arena.ofAuto();

    private static ServiceTable table(boolean master) throws Exception {
        InetAddress vip = InetAddress.getByName("10.0.1.100");
        InetAddress vip6 = InetAddress.getByName("fd00:1::100");
        InetAddress lip = InetAddress.getByName("10.0.2.100");
        VirtualServiceSpec vs = new VirtualServiceSpec(Protocol.TCP, vip, 80, SchedulerKind.RR, ForwardingMethod.FNAT,
                0, false, false, "lg", List.of(new RealServerSpec(InetAddress.getByName("10.0.2.11"), 80, 1)));
        VirtualServiceSpec vs6 = new VirtualServiceSpec(Protocol.TCP, vip6, 80, SchedulerKind.RR, ForwardingMethod.DR,
                0, false, false, null, List.of(new RealServerSpec(InetAddress.getByName("fd00:2::11"), 80, 1)));
        ServiceTableSpec spec = new ServiceTableSpec(List.of(vs, vs6),
                List.of(new LocalAddressPoolSpec("lg", List.of(lip))),
                master ? List.of(vip, vip6) : List.of(), List.of(InetAddress.getByName("10.0.1.1")));
        int[] slot = {0};
        return ServiceTable.build(spec, 1, Map.of(new ServiceKey(Protocol.TCP, vip, 80), List.of(lip)), Map.of(),
                name -> slot[0]++, 7);
    }

    private static EchoResponder responder(boolean master) throws Exception {
        long mac = 0x02_00_00_00_00_AAL;
        ArpNdResponder arp = new ArpNdResponder(new long[] {mac}, null);
        arp.serviceTable(table(master));
        return new EchoResponder(new long[] {mac}, arp);
    }

    private byte[] run(EchoResponder r, byte[] frame, boolean expectAnswer) {
        MemorySegment s = arena.allocate(512);
        MemorySegment.copy(frame, 0, s, ValueLayout.JAVA_BYTE, 64, frame.length);
        assertEquals(expectAnswer, r.answer(s, 64, frame.length, 0));
        byte[] out = new byte[frame.length];
        MemorySegment.copy(s, ValueLayout.JAVA_BYTE, 64, out, 0, frame.length);
        return out;
    }

    private static PacketBuilder request(String src, String dst) {
        return PacketBuilder.frame().eth(PEER, PORT).ip(src, dst).id(4242).ttl(61).icmpEcho(7, 9).payload(BODY);
    }

    private static byte[] reply(String src, String dst, int type, int vlan) {
        PacketBuilder b = PacketBuilder.frame().eth(PORT, PEER);
        if (vlan >= 0) {
            b.vlan(vlan);
        }
        return b.ip(src, dst).id(4242).ttl(64).icmp(type, 0, (7 << 16) | 9, BODY).build();
    }

    @Test
    void echoToAnOwnedVipBecomesItsReply() throws Exception {
        EchoResponder r = responder(true);
        assertArrayEquals(reply("10.0.1.100", "198.51.100.7", 0, -1),
                run(r, request("198.51.100.7", "10.0.1.100").build(), true));
        assertArrayEquals(reply("fd00:1::100", "2001:db8::7", 129, -1),
                run(r, request("2001:db8::7", "fd00:1::100").build(), true));
        assertArrayEquals(reply("10.0.1.100", "198.51.100.7", 0, 12),
                run(r, request("198.51.100.7", "10.0.1.100").vlan(12).build(), true));
        // The FullNAT local address answers too while a VIP is owned.
        assertArrayEquals(reply("10.0.2.100", "10.0.2.11", 0, -1),
                run(r, request("10.0.2.11", "10.0.2.100").build(), true));
        assertEquals(4, r.replies());
    }

    @Test
    void othersAreLeftAlone() throws Exception {
        EchoResponder backup = responder(false);
        byte[] toVip = request("198.51.100.7", "10.0.1.100").build();
        assertArrayEquals(toVip, run(backup, toVip, false), "a BACKUP stays silent");
        byte[] toLip = request("10.0.2.11", "10.0.2.100").build();
        assertArrayEquals(toLip, run(backup, toLip, false), "no local address answers without an owned VIP");
        EchoResponder master = responder(true);
        byte[] toNode = request("198.51.100.7", "10.0.1.1").build();
        assertArrayEquals(toNode, run(master, toNode, false), "the node's own address is the kernel's");
        byte[] fromBroadcast = request("255.255.255.255", "10.0.1.100").build();
        assertArrayEquals(fromBroadcast, run(master, fromBroadcast, false));
        byte[] notEcho = PacketBuilder.frame().eth(PEER, PORT).ip("198.51.100.7", "10.0.1.100").udp(5, 7)
                .payload(BODY).build();
        assertArrayEquals(notEcho, run(master, notEcho, false));
        assertEquals(0, backup.replies() + master.replies());
        assertTrue(BODY.length > 8);
        assertFalse(master.answer(arena.allocate(16), 0, 16, 0));
    }
}

package io.fulcrum.dataplane.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.dataplane.NeighbourTable;
import io.fulcrum.dataplane.io.arp.ArpNdResponder;
import io.fulcrum.dataplane.io.arp.KernelNeighbourTable;
import io.fulcrum.dataplane.packet.AddressWords;
import io.fulcrum.dataplane.service.ForwardingMethod;
import io.fulcrum.dataplane.service.LocalAddressPoolSpec;
import io.fulcrum.dataplane.service.Protocol;
import io.fulcrum.dataplane.service.RealServerSpec;
import io.fulcrum.dataplane.service.SchedulerKind;
import io.fulcrum.dataplane.service.ServiceKey;
import io.fulcrum.dataplane.service.ServiceTable;
import io.fulcrum.dataplane.service.ServiceTableSpec;
import io.fulcrum.dataplane.service.VirtualServiceSpec;
import io.fulcrum.testkit.Checksums;
import io.fulcrum.testkit.PacketBuilder;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;

/** ARP/ND answers only for owned addresses, the replies' bytes, and learning into the neighbour table. */
class ArpNdResponderTest {

    private static final long PORT_MAC = 0x02_00_00_00_00_AAL;
    private static final byte[] PEER_MAC = PacketBuilder.mac("02:00:00:00:00:bb");
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

    private static byte[] arpRequest(String sender, String target) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(60);
        b.put(new byte[] {-1, -1, -1, -1, -1, -1}).put(PEER_MAC).putShort((short) 0x0806);
        b.putShort((short) 1).putShort((short) 0x0800).put((byte) 6).put((byte) 4).putShort((short) 1);
        b.put(PEER_MAC).put(InetAddress.getByName(sender).getAddress()).put(new byte[6])
                .put(InetAddress.getByName(target).getAddress());
        return b.array();
    }

    private MemorySegment seg(byte[] frame) {
        MemorySegment s = arena.allocate(256);
        MemorySegment.copy(frame, 0, s, ValueLayout.JAVA_BYTE, 0, frame.length);
        return s;
    }

    private static KernelNeighbourTable neighbours() throws Exception {
        KernelNeighbourTable t = new KernelNeighbourTable(new int[] {7, 8}, 64, new CachedNanoClock());
        t.addRoute(InetAddress.getByName("10.0.1.0"), 24, null, 0);
        t.addRoute(InetAddress.getByName("fd00:1::"), 64, null, 0);
        t.addRoute(InetAddress.getByName("0.0.0.0"), 0, InetAddress.getByName("10.0.1.254"), 0);
        return t;
    }

    @Test
    void answersArpForOwnedVipAndLocalAddressWhileMaster() throws Exception {
        KernelNeighbourTable n = neighbours();
        ArpNdResponder r = new ArpNdResponder(new long[] {PORT_MAC}, n);
        r.serviceTable(table(true));
        for (String target : List.of("10.0.1.100", "10.0.2.100")) {
            MemorySegment s = seg(arpRequest("10.0.1.2", target));
            assertEquals(ArpNdResponder.Outcome.REPLY, r.handle(s, 0, 60, 0), target);
            byte[] out = s.asSlice(0, r.replyLength()).toArray(ValueLayout.JAVA_BYTE);
            ByteBuffer b = ByteBuffer.wrap(out);
            byte[] dst = new byte[6];
            b.get(dst);
            assertArrayEquals(PEER_MAC, dst, "reply goes to the requester");
            assertEquals(PORT_MAC, ((long) b.getShort(6) & 0xffff) << 32 | (b.getInt(8) & 0xffffffffL));
            assertEquals(2, b.getShort(20), "opcode reply");
            assertEquals(PORT_MAC, ((long) b.getShort(22) & 0xffff) << 32 | (b.getInt(24) & 0xffffffffL));
            assertArrayEquals(InetAddress.getByName(target).getAddress(), java.util.Arrays.copyOfRange(out, 28, 32));
            assertArrayEquals(PEER_MAC, java.util.Arrays.copyOfRange(out, 32, 38));
            assertArrayEquals(InetAddress.getByName("10.0.1.2").getAddress(), java.util.Arrays.copyOfRange(out, 38, 42));
        }
        // the requester was learned (on-link on port 0)
        long e = n.resolve(AddressWords.hi(InetAddress.getByName("10.0.1.2")),
                AddressWords.lo(InetAddress.getByName("10.0.1.2")));
        assertEquals(NeighbourTable.entry(0, 0x02_00_00_00_00_BBL), e);
        assertEquals(2, r.requestsAnswered());
    }

    @Test
    void backupAndNodeAddressesStaySilent() throws Exception {
        ArpNdResponder r = new ArpNdResponder(new long[] {PORT_MAC}, null);
        r.serviceTable(table(false));
        for (String target : List.of("10.0.1.100", "10.0.2.100", "10.0.1.1", "10.0.1.77")) {
            MemorySegment s = seg(arpRequest("10.0.1.2", target));
            assertEquals(ArpNdResponder.Outcome.PASS, r.handle(s, 0, 60, 0), target);
        }
        r.serviceTable(table(true));
        MemorySegment s = seg(arpRequest("10.0.1.2", "10.0.1.1"));
        assertEquals(ArpNdResponder.Outcome.PASS, r.handle(s, 0, 60, 0), "the node's own address is the kernel's");
        assertEquals(0, r.requestsAnswered());
    }

    @Test
    void answersNeighbourSolicitationWithValidAdvertisement() throws Exception {
        KernelNeighbourTable n = neighbours();
        ArpNdResponder r = new ArpNdResponder(new long[] {PORT_MAC}, n);
        r.serviceTable(table(true));
        MemorySegment s = arena.allocate(256);
        long tHi = AddressWords.hi(InetAddress.getByName("fd00:1::100"));
        long tLo = AddressWords.lo(InetAddress.getByName("fd00:1::100"));
        long sHi = AddressWords.hi(InetAddress.getByName("fd00:1::2"));
        long sLo = AddressWords.lo(InetAddress.getByName("fd00:1::2"));
        int len = ArpNdResponder.writeSolicitation(s, 0, 0x02_00_00_00_00_BBL, sHi, sLo, tHi, tLo);
        assertTrue(Checksums.verifyFrame(s.asSlice(0, len).toArray(ValueLayout.JAVA_BYTE)).isEmpty());
        assertEquals(ArpNdResponder.Outcome.REPLY, r.handle(s, 0, len, 0));
        byte[] na = s.asSlice(0, r.replyLength()).toArray(ValueLayout.JAVA_BYTE);
        assertEquals(List.of(), Checksums.verifyFrame(na), "ICMPv6 checksum of the advertisement");
        ByteBuffer b = ByteBuffer.wrap(na);
        assertEquals(136, na[54] & 0xff, "neighbour advertisement");
        assertEquals(0x60000000, b.getInt(58), "Solicited and Override");
        assertEquals(255, na[21] & 0xff, "hop limit 255");
        assertEquals(sHi, b.getLong(38));
        assertEquals(sLo, b.getLong(46));
        assertEquals(tHi, b.getLong(62));
        assertEquals(2, na[78], "target link-layer address option");
        assertEquals(PORT_MAC, ((long) b.getShort(80) & 0xffff) << 32 | (b.getInt(82) & 0xffffffffL));
        assertEquals(NeighbourTable.entry(0, 0x02_00_00_00_00_BBL), n.resolve(sHi, sLo), "solicitor learned");
    }

    @Test
    void resolvesThroughGatewayAndSolicitsMissesOncePerInterval() throws Exception {
        CachedNanoClock clock = new CachedNanoClock();
        clock.update(1_000_000_000L);
        KernelNeighbourTable n = new KernelNeighbourTable(new int[] {7}, 64, clock);
        n.addRoute(InetAddress.getByName("10.0.1.0"), 24, null, 0);
        n.addRoute(InetAddress.getByName("0.0.0.0"), 0, InetAddress.getByName("10.0.1.254"), 0);
        InetAddress far = InetAddress.getByName("192.0.2.9");
        assertEquals(NeighbourTable.MISS, n.resolve(AddressWords.hi(far), AddressWords.lo(far)));
        List<String> asked = new ArrayList<>();
        KernelNeighbourTable.Solicitor sol = (port, hi, lo) -> asked.add(port + " " + AddressWords.toString(hi, lo));
        assertEquals(1, n.drainMisses(sol));
        assertEquals(List.of("0 10.0.1.254"), asked, "the gateway is solicited, not the destination");
        assertEquals(0, n.drainMisses(sol), "not again within the retry interval");
        clock.advance(400_000_000L);
        assertEquals(1, n.drainMisses(sol));
        n.learn(0, AddressWords.hi(InetAddress.getByName("10.0.1.254")),
                AddressWords.lo(InetAddress.getByName("10.0.1.254")), 0x02_00_00_00_00_CCL);
        assertEquals(NeighbourTable.entry(0, 0x02_00_00_00_00_CCL), n.resolve(AddressWords.hi(far), AddressWords.lo(far)));
        clock.advance(400_000_000L);
        assertEquals(0, n.drainMisses(sol), "resolved: no more requests");
        // off-link senders are not learned
        InetAddress stranger = InetAddress.getByName("10.9.9.9");
        n.learn(0, AddressWords.hi(stranger), AddressWords.lo(stranger), 0x02_00_00_00_00_DDL);
        assertEquals(NeighbourTable.MISS, n.lookupMac(AddressWords.hi(stranger), AddressWords.lo(stranger)));
        assertEquals(1, Set.copyOf(asked).size());
    }

    @Test
    void followsTheNetlinkMonitorsRouteAndNeighbourEvents() throws Exception {
        KernelNeighbourTable n = new KernelNeighbourTable(new int[] {7, 8}, 64, new CachedNanoClock());
        var listener = n.listener();
        InetAddress rs = InetAddress.getByName("10.0.2.11");
        long hi = AddressWords.hi(rs);
        long lo = AddressWords.lo(rs);
        io.fulcrum.netlink.rtnl.Route connected = io.fulcrum.netlink.rtnl.Route.unicast(
                InetAddress.getByName("10.0.2.0"), 24, null, 8);
        listener.onEvent(new io.fulcrum.netlink.rtnl.NetlinkEvent.RouteAdded(connected, false));
        assertEquals(NeighbourTable.MISS, n.resolve(hi, lo), "no MAC yet");
        listener.onEvent(new io.fulcrum.netlink.rtnl.NetlinkEvent.NeighbourChanged(
                new io.fulcrum.netlink.rtnl.Neighbour(8, rs, "02:00:00:00:00:11", 0x02), false));
        assertEquals(NeighbourTable.entry(1, 0x02_00_00_00_00_11L), n.resolve(hi, lo), "port 1 = ifindex 8");
        listener.onEvent(new io.fulcrum.netlink.rtnl.NetlinkEvent.NeighbourChanged(
                new io.fulcrum.netlink.rtnl.Neighbour(99, InetAddress.getByName("10.0.2.12"), "02:00:00:00:00:12", 2),
                false));
        assertEquals(NeighbourTable.MISS, n.lookupMac(AddressWords.hi(InetAddress.getByName("10.0.2.12")),
                AddressWords.lo(InetAddress.getByName("10.0.2.12"))), "not one of our interfaces");
        listener.onEvent(new io.fulcrum.netlink.rtnl.NetlinkEvent.RouteRemoved(connected, false));
        assertEquals(NeighbourTable.MISS, n.resolve(hi, lo), "no route any more");
    }
}

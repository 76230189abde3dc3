package io.fulcrum.netlink.rtnl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Decoding hand-built messages (odd offsets, 64-bit attributes at 4-byte alignment, truncation). */
class RtnetlinkCodecTest {

    private final Arena arena = Arena.ofAuto();
    private MemorySegment seg;
    private int pos;

    private void begin(long offset, int type) {
        seg = arena.allocate(4096, 8);
        pos = (int) offset;
        seg.set(ValueLayout.JAVA_INT_UNALIGNED, pos, 0);
        seg.set(ValueLayout.JAVA_SHORT_UNALIGNED, pos + 4, (short) type);
        pos += NetlinkHeaderFlyweight.LENGTH;
    }

    private void attr(int type, byte[] payload) {
        seg.set(ValueLayout.JAVA_SHORT_UNALIGNED, pos, (short) (4 + payload.length));
        seg.set(ValueLayout.JAVA_SHORT_UNALIGNED, pos + 2, (short) type);
        MemorySegment.copy(payload, 0, seg, ValueLayout.JAVA_BYTE, pos + 4, payload.length);
        pos += NetlinkHeaderFlyweight.align(4 + payload.length);
    }

    private void finish(long offset) {
        seg.set(ValueLayout.JAVA_INT_UNALIGNED, offset, (int) (pos - offset));
    }

    private static byte[] u32(int v) {
        byte[] b = new byte[4];
        MemorySegment.ofArray(b).set(ValueLayout.JAVA_INT_UNALIGNED, 0, v);
        return b;
    }

    private static byte[] cstr(String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        byte[] z = new byte[b.length + 1];
        System.arraycopy(b, 0, z, 0, b.length);
        return z;
    }

    @Test
    void decodesAnAddressAtAnOddOffset() throws Exception {
        long at = 3;
        begin(at, NetlinkHeaderFlyweight.RTM_NEWADDR);
        new IfAddrMsgFlyweight().wrap(seg, pos).set(2, 24, 0x80, 0, 7);
        pos += IfAddrMsgFlyweight.LENGTH;
        attr(IfAddrMsgFlyweight.IFA_ADDRESS, new byte[] {10, 0, 0, 9});
        attr(IfAddrMsgFlyweight.IFA_LOCAL, new byte[] {10, 0, 0, 1});
        attr(IfAddrMsgFlyweight.IFA_LABEL, cstr("eth0:1"));
        attr(IfAddrMsgFlyweight.IFA_FLAGS, u32(0x280));
        finish(at);
        Address a = new RtnetlinkCodec().decodeAddress(seg, at);
        assertEquals(new Address(7, InetAddress.getByName("10.0.0.1"), 24, 0, 0x280, "eth0:1"), a);
        assertEquals("10.0.0.1/24", a.cidr());
    }

    @Test
    void decodesALinkWithNestedKindAndReads64BitAttributesUnaligned() {
        begin(0, NetlinkHeaderFlyweight.RTM_NEWLINK);
        new IfInfoMsgFlyweight().wrap(seg, pos).set(0, 1, 5, 0x11043, 0);
        pos += IfInfoMsgFlyweight.LENGTH;
        attr(IfInfoMsgFlyweight.IFLA_IFNAME, cstr("veth7"));
        attr(IfInfoMsgFlyweight.IFLA_MTU, u32(9000));
        attr(IfInfoMsgFlyweight.IFLA_OPERSTATE, new byte[] {6});
        attr(IfInfoMsgFlyweight.IFLA_ADDRESS, new byte[] {2, 0, 0, (byte) 0xab, (byte) 0xcd, 1});
        int linkinfo = pos;
        pos += 4;
        attr(IfInfoMsgFlyweight.IFLA_INFO_KIND, cstr("veth"));
        seg.set(ValueLayout.JAVA_SHORT_UNALIGNED, linkinfo, (short) (pos - linkinfo));
        seg.set(ValueLayout.JAVA_SHORT_UNALIGNED, linkinfo + 2, (short) (IfInfoMsgFlyweight.IFLA_LINKINFO | 0x8000));
        int u64At = pos + 4;
        attr(99, new byte[8]);
        seg.set(ValueLayout.JAVA_LONG_UNALIGNED, u64At, 0x1122334455667788L);
        finish(0);
        Link l = new RtnetlinkCodec().decodeLink(seg, 0);
        assertEquals(new Link(5, "veth7", 1, 0x11043, 6, 9000, "02:00:00:ab:cd:01", 0, "veth"), l);
        assertTrue(l.isUp());
        assertEquals("UP", l.operStateName());
        assertEquals(0, u64At % 8 == 0 ? 1 : 0, "the 64-bit payload sits at a 4-byte but not 8-byte boundary");
        RtAttrFlyweight attr = new RtAttrFlyweight().wrap(seg, IfInfoMsgFlyweight.LENGTH + 16, pos);
        long found = 0;
        while (attr.next()) {
            if (attr.type() == 99) {
                found = attr.u64();
            }
        }
        assertEquals(0x1122334455667788L, found);
    }

    @Test
    void truncatedAttributeStopsTheWalk() {
        MemorySegment s = arena.allocate(64);
        s.set(ValueLayout.JAVA_SHORT_UNALIGNED, 0, (short) 8);
        s.set(ValueLayout.JAVA_SHORT_UNALIGNED, 2, (short) 1);
        s.set(ValueLayout.JAVA_SHORT_UNALIGNED, 8, (short) 200); // claims more than the range
        RtAttrFlyweight a = new RtAttrFlyweight().wrap(s, 0, 16);
        assertTrue(a.next());
        assertFalse(a.next());
        assertTrue(a.malformed());
        s.set(ValueLayout.JAVA_SHORT_UNALIGNED, 8, (short) 2); // shorter than its own header
        a.wrap(s, 0, 16);
        a.next();
        assertFalse(a.next());
        assertTrue(a.malformed());
    }

    @Test
    void addressWithoutIpIsNullAndMacParsing() {
        begin(0, NetlinkHeaderFlyweight.RTM_NEWADDR);
        new IfAddrMsgFlyweight().wrap(seg, pos).set(2, 24, 0, 0, 7);
        pos += IfAddrMsgFlyweight.LENGTH;
        finish(0);
        assertNull(new RtnetlinkCodec().decodeAddress(seg, 0));
        assertEquals(6, RtnetlinkCodec.parseMac("02:00:00:ab:cd:01").length);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RtnetlinkCodec.parseMac("02:zz"));
        assertEquals("not a hardware address: '02:zz'", e.getMessage());
        assertEquals(ByteOrder.nativeOrder(), ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void contextRejectsBadValuesNamingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new NetlinkMonitorContext().receiveBufferBytes(100).conclude());
        assertEquals("vrrp_netlink_monitor_rcv_bufs 100 below the minimum 1024", e.getMessage());
    }

    @Test
    void observerFormatsEvents() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        NetlinkObserver o = new NetlinkObserver(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                i -> Map.of(5, "w0").getOrDefault(i, "?"));
        Link up = new Link(5, "w0", 1, 0x11043, 6, 1500, "02:00:00:00:00:01", 0, "veth");
        o.onEvent(new NetlinkEvent.LinkUp(up, false));
        o.onEvent(new NetlinkEvent.AddressRemoved(
                new Address(5, InetAddress.getByName("fd00::1"), 64, 0, 0x80, ""), true));
        assertEquals("link up w0 index 5 mtu 1500 mac 02:00:00:00:00:01 state UP admin-up running\n"
                + "addr removed fd00::1/64 dev w0 (resync)\n", bytes.toString(StandardCharsets.UTF_8));
    }
}

package io.fulcrum.netlink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.testkit.KernelTest;
import io.fulcrum.testkit.NetnsLab;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The socket layer in real namespaces: raw VRRP sockets across a veth pair, multicast, hop limits, packet sockets. */
@KernelTest
class LinuxSocketKernelTest {

    private NetnsLab lab;
    private String a;
    private String b;
    private final Arena arena = Arena.ofShared();

    @BeforeEach
    void setUp() {
        lab = NetnsLab.create();
        a = lab.ns("a");
        b = lab.ns("b");
        lab.veth(a, "va", b, "vb");
        lab.addr(a, "va", "10.9.0.1/24");
        lab.addr(b, "vb", "10.9.0.2/24");
        lab.addr(a, "va", "fd00:9::1/64");
        lab.addr(b, "vb", "fd00:9::2/64");
    }

    @AfterEach
    void tearDown() {
        lab.close();
        arena.close();
    }

    private static LinuxSocket in(String ns, java.util.concurrent.Callable<LinuxSocket> open) throws Exception {
        return NetNs.callIn(ns, open);
    }

    @Test
    void vrrpOverIpv4MulticastKeepsTtl255() throws Exception {
        int ifA = NetNs.callIn(a, () -> Interfaces.indexOf("va"));
        int ifB = NetNs.callIn(b, () -> Interfaces.indexOf("vb"));
        int group = 0xe0000012; // 224.0.0.18
        try (LinuxSocket tx = in(a, () -> LinuxSocket.rawIpv4(LinuxSocket.IPPROTO_VRRP));
             LinuxSocket rx = in(b, () -> LinuxSocket.rawIpv4(LinuxSocket.IPPROTO_VRRP))) {
            tx.multicastInterface4(ifA);
            tx.setInt(LinuxSocket.IPPROTO_IP, LinuxSocket.IP_MULTICAST_TTL, 255);
            tx.setInt(LinuxSocket.IPPROTO_IP, LinuxSocket.IP_MULTICAST_LOOP, 0);
            rx.bindToDevice("vb");
            rx.joinGroup4(group, ifB);
            rx.setInt(LinuxSocket.IPPROTO_IP, LinuxSocket.IP_RECVTTL, 1);
            rx.setInt(LinuxSocket.IPPROTO_IP, LinuxSocket.IP_PKTINFO, 1);
            rx.nonBlocking(true);
            assertEquals(255, tx.getInt(LinuxSocket.IPPROTO_IP, LinuxSocket.IP_MULTICAST_TTL));

            MemorySegment out = arena.allocate(64);
            for (int i = 0; i < 20; i++) {
                out.set(ValueLayout.JAVA_BYTE, i, (byte) (0x21 + i));
            }
            SockAddr dest = SockAddr.inet4(group, 0);
            assertEquals(20, tx.sendTo(out, 0, 20, dest));

            MemorySegment in = arena.allocate(2048);
            MessageHeader hdr = new MessageHeader();
            PollSet poll = new PollSet(2);
            int slot = poll.add(rx.fd(), PollSet.POLLIN);
            assertEquals(1, poll.poll(2000), "VRRP packet should arrive on vb");
            assertTrue(poll.readable(slot));
            int n = rx.recvMsg(in, 0, 2048, hdr);
            assertEquals(20 + 20, n, "raw IPv4 socket returns the IP header + payload");
            assertEquals(255, Byte.toUnsignedInt(in.get(ValueLayout.JAVA_BYTE, 8)), "TTL in the IP header");
            assertEquals(255, hdr.hopLimit(), "TTL from IP_RECVTTL ancillary data");
            assertEquals(ifB, hdr.ifindex(), "arrival interface from IP_PKTINFO");
            assertEquals(InetAddress.getByName("10.9.0.1"), hdr.source().toInetAddress());
            assertEquals(0x0a090001, hdr.source().inet4());
            assertEquals(0x21, in.get(ValueLayout.JAVA_BYTE, 20));
            assertEquals(-1, rx.recvMsg(in, 0, 2048, hdr), "non-blocking receive with nothing queued");
            assertEquals(0, poll.poll(50), "poll times out when nothing is queued");
        }
    }

    @Test
    void vrrpOverIpv6MulticastReportsHopLimit() throws Exception {
        int ifA = NetNs.callIn(a, () -> Interfaces.indexOf("va"));
        int ifB = NetNs.callIn(b, () -> Interfaces.indexOf("vb"));
        byte[] group = InetAddress.getByName("ff02::12").getAddress();
        try (LinuxSocket tx = in(a, () -> LinuxSocket.rawIpv6(LinuxSocket.IPPROTO_VRRP));
             LinuxSocket rx = in(b, () -> LinuxSocket.rawIpv6(LinuxSocket.IPPROTO_VRRP))) {
            tx.setInt(LinuxSocket.IPPROTO_IPV6, LinuxSocket.IPV6_MULTICAST_IF, ifA);
            tx.setInt(LinuxSocket.IPPROTO_IPV6, LinuxSocket.IPV6_MULTICAST_HOPS, 255);
            tx.setInt(LinuxSocket.IPPROTO_IPV6, LinuxSocket.IPV6_UNICAST_HOPS, 255);
            rx.joinGroup6(group, ifB);
            rx.setInt(LinuxSocket.IPPROTO_IPV6, LinuxSocket.IPV6_RECVHOPLIMIT, 1);
            rx.setInt(LinuxSocket.IPPROTO_IPV6, LinuxSocket.IPV6_RECVPKTINFO, 1);

            MemorySegment out = arena.allocate(64);
            out.set(ValueLayout.JAVA_INT, 0, 0x31323334);
            assertEquals(8, tx.sendTo(out, 0, 8, SockAddr.inet6(group, 0, ifA)));

            MemorySegment in = arena.allocate(2048);
            MessageHeader hdr = new MessageHeader();
            PollSet poll = new PollSet(1);
            poll.add(rx.fd(), PollSet.POLLIN);
            assertEquals(1, poll.poll(2000));
            int n = rx.recvMsg(in, 0, 2048, hdr);
            assertEquals(8, n, "raw IPv6 socket returns the payload only");
            assertEquals(255, hdr.hopLimit(), "hop limit from IPV6_RECVHOPLIMIT");
            assertEquals(ifB, hdr.ifindex());
            byte[] dst = new byte[16];
            assertEquals(16, hdr.copyDestination(dst, 0));
            assertArrayEquals(group, dst);
            assertEquals(LinuxSocket.AF_INET6, hdr.source().family());
            assertTrue(hdr.source().toInetAddress().isLinkLocalAddress(), "multicast is sent from the link-local");

            // The kernel computes and checks the VRRPv3 checksum at offset 6 (IPV6_CHECKSUM, RFC 3542 §3.1).
            tx.setInt(LinuxSocket.IPPROTO_IPV6, LinuxSocket.IPV6_CHECKSUM, 6);
            rx.setInt(LinuxSocket.IPPROTO_IPV6, LinuxSocket.IPV6_CHECKSUM, 6);
            assertEquals(6, tx.getInt(LinuxSocket.IPPROTO_IPV6, LinuxSocket.IPV6_CHECKSUM));
            out.set(ValueLayout.JAVA_SHORT, 6, (short) 0);
            assertEquals(8, tx.sendTo(out, 0, 8, SockAddr.inet6(group, 0, ifA)));
            assertEquals(1, poll.poll(2000));
            assertEquals(8, rx.recvMsg(in, 0, 2048, hdr));
            assertTrue(in.get(ValueLayout.JAVA_SHORT, 6) != 0, "checksum filled in by the kernel");
            tx.setInt(LinuxSocket.IPPROTO_IPV6, LinuxSocket.IPV6_CHECKSUM, -1);
            rx.setInt(LinuxSocket.IPPROTO_IPV6, LinuxSocket.IPV6_CHECKSUM, -1);

            // Unicast with a per-message hop limit and pktinfo via sendmsg.
            MessageHeader send = new MessageHeader().outgoingHopLimit(7).outgoingIpv6PacketInfo(ifA, null);
            byte[] bAddr = InetAddress.getByName("fd00:9::2").getAddress();
            assertEquals(8, tx.sendMsg(out, 0, 8, SockAddr.inet6(bAddr, 0, 0), send));
            assertEquals(1, poll.poll(2000));
            rx.recvMsg(in, 0, 2048, hdr);
            assertEquals(7, hdr.hopLimit());
            assertEquals(InetAddress.getByName("fd00:9::1"), hdr.source().toInetAddress());
        }
    }

    @Test
    void packetSocketSendsAFrameOnAnInterface() throws Exception {
        int ifA = NetNs.callIn(a, () -> Interfaces.indexOf("va"));
        int ifB = NetNs.callIn(b, () -> Interfaces.indexOf("vb"));
        int etherType = 0x88B5; // IEEE local experimental
        try (LinuxSocket tx = in(a, () -> LinuxSocket.packet(LinuxSocket.ETH_P_ALL));
             LinuxSocket rx = in(b, () -> LinuxSocket.packet(etherType))) {
            rx.bind(SockAddr.packet(etherType, ifB, null));
            rx.addPacketMembership(ifB, LinuxSocket.PACKET_MR_PROMISC);
            String details = lab.exec(b, "ip", "-d", "link", "show", "vb").orThrow().stdout();
            assertTrue(details.contains("promiscuity 1"), details);
            MemorySegment frame = arena.allocate(60);
            for (int i = 0; i < 6; i++) {
                frame.set(ValueLayout.JAVA_BYTE, i, (byte) 0xff);
            }
            frame.set(ValueLayout.JAVA_BYTE, 12, (byte) 0x88);
            frame.set(ValueLayout.JAVA_BYTE, 13, (byte) 0xB5);
            frame.set(ValueLayout.JAVA_BYTE, 14, (byte) 0x42);
            assertEquals(60, tx.sendTo(frame, 0, 60, SockAddr.packet(etherType, ifA, null)));

            PollSet poll = new PollSet(1);
            poll.add(rx.fd(), PollSet.POLLIN);
            assertEquals(1, poll.poll(2000));
            MemorySegment in = arena.allocate(2048);
            SockAddr from = new SockAddr();
            int n = rx.recvFrom(in, 0, 2048, from);
            assertEquals(60, n);
            assertEquals(0x42, in.get(ValueLayout.JAVA_BYTE, 14));
            assertEquals(LinuxSocket.AF_PACKET, from.family());
            assertEquals(ifB, from.ifindex());
            assertEquals(etherType, from.port());
        }
    }

    @Test
    void afXdpUmemRegistrationAndRingMmap() throws Exception {
        LinuxSocket probe;
        try {
            probe = in(a, LinuxSocket::xdp);
        } catch (NativeException e) {
            org.junit.jupiter.api.Assumptions.abort("AF_XDP unavailable: " + e.getMessage());
            return;
        }
        try (LinuxSocket xsk = probe) {
            MemorySegment umem = Mmap.anonymous(4096 * 64);
            try {
                MemorySegment reg = arena.allocate(32, 8);
                reg.set(ValueLayout.JAVA_LONG, 0, umem.address());
                reg.set(ValueLayout.JAVA_LONG, 8, umem.byteSize());
                reg.set(ValueLayout.JAVA_INT, 16, 4096); // chunk size
                reg.set(ValueLayout.JAVA_INT, 20, 0); // headroom
                reg.set(ValueLayout.JAVA_INT, 24, 0); // flags
                reg.set(ValueLayout.JAVA_INT, 28, 0); // tx_metadata_len
                xsk.setOption(LinuxSocket.SOL_XDP, LinuxSocket.XDP_UMEM_REG, reg.asSlice(0, 24));
                xsk.setInt(LinuxSocket.SOL_XDP, LinuxSocket.XDP_UMEM_FILL_RING, 64);
                xsk.setInt(LinuxSocket.SOL_XDP, LinuxSocket.XDP_UMEM_COMPLETION_RING, 64);
                xsk.setInt(LinuxSocket.SOL_XDP, LinuxSocket.XDP_RX_RING, 64);
                MemorySegment off = arena.allocate(128, 8);
                assertTrue(xsk.getOption(LinuxSocket.SOL_XDP, LinuxSocket.XDP_MMAP_OFFSETS, off) >= 96);
                long fillDesc = off.get(ValueLayout.JAVA_LONG, 64 + 16); // fr.desc
                MemorySegment fill = xsk.mmap(fillDesc + 64 * 8, LinuxSocket.XDP_UMEM_PGOFF_FILL_RING);
                assertEquals(0, fill.get(ValueLayout.JAVA_INT, off.get(ValueLayout.JAVA_LONG, 64)), "producer 0");
                Mmap.unmap(fill);
                int ifA = NetNs.callIn(a, () -> Interfaces.indexOf("va"));
                xsk.bind(SockAddr.xdp(LinuxSocket.XDP_COPY, ifA, 0, 0));
                NativeException dup = assertThrows(NativeException.class,
                        () -> xsk.bind(SockAddr.xdp(LinuxSocket.XDP_COPY, ifA, 0, 0)));
                assertEquals("EBUSY", dup.errnoName(), dup.getMessage());
                assertTrue(dup.getMessage().contains("xdp(ifindex " + ifA + ", queue 0)"), dup.getMessage());
            } finally {
                Mmap.unmap(umem);
            }
        }
    }

    @Test
    void missingInterfaceIsEnodevNamingIt() throws Exception {
        NativeException e = assertThrows(NativeException.class,
                () -> NetNs.callIn(a, () -> Interfaces.indexOf("nope0")));
        assertEquals(Errno.ENODEV, e.errno());
        assertEquals("ENODEV", e.errnoName());
        assertEquals("nope0", e.object());
        assertTrue(e.getMessage().contains("if_nametoindex nope0 failed: ENODEV"), e.getMessage());

        int idx = NetNs.callIn(a, () -> Interfaces.indexOf("va"));
        assertEquals("va", NetNs.callIn(a, () -> Interfaces.nameOf(idx)));

        try (LinuxSocket s = in(a, () -> LinuxSocket.rawIpv4(LinuxSocket.IPPROTO_VRRP))) {
            NativeException bind = assertThrows(NativeException.class, () -> s.bindToDevice("nope0"));
            assertEquals("ENODEV", bind.errnoName());
            assertTrue(bind.getMessage().contains("SO_BINDTODEVICE") && bind.getMessage().contains("nope0"),
                    bind.getMessage());
        }
    }

    @Test
    void namespaceIsPerThreadAndSocketsStayInTheirs() throws Exception {
        // "va" exists only in namespace a; the test thread returns to its own namespace after callIn.
        assertEquals("va", NetNs.callIn(a, () -> Interfaces.nameOf(Interfaces.indexOf("va"))));
        assertThrows(NativeException.class, () -> Interfaces.indexOf("va"));
        int[] seen = new int[1];
        Thread t = NetNs.startThread(b, "in-b", () -> seen[0] = Interfaces.indexOf("vb"));
        t.join();
        assertTrue(seen[0] > 0);
        NativeException missing = assertThrows(NativeException.class, () -> NetNs.open("fk-no-such-ns"));
        assertEquals("ENOENT", missing.errnoName());
        assertTrue(missing.getMessage().contains("/run/netns/fk-no-such-ns"), missing.getMessage());
    }

    @Test
    void receiveBufferForceMmapAndRlimit() throws Exception {
        try (LinuxSocket nl = in(a, () -> LinuxSocket.netlink(LinuxSocket.NETLINK_ROUTE))) {
            int granted = nl.forceReceiveBuffer(8 << 20);
            assertEquals(16 << 20, granted, "the kernel doubles the forced size");
            nl.bind(SockAddr.netlink(0, 0));
            SockAddr local = nl.localAddress(new SockAddr());
            assertEquals(LinuxSocket.AF_NETLINK, local.family());
            assertTrue(local.netlinkPortId() != 0, "kernel assigns a port id");
        }
        MemorySegment m = Mmap.anonymous(1 << 16);
        m.set(ValueLayout.JAVA_LONG, 8, 42L);
        assertEquals(42L, m.get(ValueLayout.JAVA_LONG, 8));
        Mmap.unmap(m);
        ResourceLimits.Limit before = ResourceLimits.memlock();
        assertTrue(before.hard() == ResourceLimits.INFINITY || before.hard() > 0);
        NativeException e = assertThrows(NativeException.class,
                () -> LinuxSocket.open(12345, LinuxSocket.SOCK_RAW, 0));
        assertEquals("EAFNOSUPPORT", e.errnoName());
    }
}

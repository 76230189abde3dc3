package io.fulcrum.vrrp.kernel;

import io.fulcrum.netlink.Interfaces;
import io.fulcrum.netlink.LinuxSocket;
import io.fulcrum.netlink.MessageHeader;
import io.fulcrum.netlink.NativeException;
import io.fulcrum.netlink.PollSet;
import io.fulcrum.netlink.SockAddr;
import io.fulcrum.netlink.rtnl.Address;
import io.fulcrum.netlink.rtnl.Rtnetlink;
import io.fulcrum.vrrp.Addresses;
import io.fulcrum.vrrp.VirtualAddress;
import io.fulcrum.vrrp.VrrpInstanceSpec;
import io.fulcrum.vrrp.packet.VrrpPacketFlyweight;
import io.fulcrum.vrrp.transport.AdvertHandler;
import io.fulcrum.vrrp.transport.ReceivedAdvert;
import io.fulcrum.vrrp.transport.VrrpChannel;
import io.fulcrum.vrrp.transport.VrrpTransport;
import io.fulcrum.vrrp.transport.VrrpTransportException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real VRRP transport: one raw IP socket (protocol 112) per interface and address family, bound to the device,
 * joined to 224.0.0.18 / ff02::12 when an instance multicasts, sending with TTL / hop limit 255 (RFC 5798 §5.1.1.3)
 * from the interface's primary address (IPv4) or link-local address (IPv6, RFC 5798 §5.1.2.1) or
 * {@code unicast_src_ip}, and receiving with the TTL / hop limit, destination and interface of every packet.
 *
 * <p>Create, use and close on the VRRP thread: sockets open in that thread's network namespace. The v3 checksum is
 * computed here for both families (no {@code IPV6_CHECKSUM}), so a corrupted IPv6 advert reaches the engine and is
 * counted rather than silently dropped by the kernel. Nothing is allocated per packet.
 */
public final class RawVrrpTransport implements VrrpTransport {

    private static final Logger LOG = LoggerFactory.getLogger("io.fulcrum.vrrp.Vrrp");
    private static final byte[] GROUP4 = {(byte) 224, 0, 0, 18};
    private static final byte[] GROUP6 = {(byte) 0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x12};
    private static final int BUFFER = 9216;
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final Map<String, Sock> sockets = new HashMap<>();
    private final List<Sock> socketList = new ArrayList<>();
    private final PollSet poll = new PollSet(64);
    private final MemorySegment rx = Arena.ofAuto().allocate(BUFFER, 8);
    private final MessageHeader rxHeader = new MessageHeader();
    private final ReceivedAdvert advert = new ReceivedAdvert();
    private final List<byte[]> allVips = new ArrayList<>();
    private int next;

    private static final class Sock {
        final LinuxSocket socket;
        final String ifName;
        final int ifIndex;
        final boolean ipv6;
        boolean joined;

        Sock(LinuxSocket socket, String ifName, int ifIndex, boolean ipv6) {
            this.socket = socket;
            this.ifName = ifName;
            this.ifIndex = ifIndex;
            this.ipv6 = ipv6;
        }
    }

    /** Creates an empty transport; sockets are opened by {@link #open}. */
    public RawVrrpTransport() {
    }

    @Override
    public VrrpChannel open(VrrpInstanceSpec spec) {
        String who = "(" + spec.name() + ")";
        boolean v6 = spec.ipv6();
        for (VirtualAddress va : spec.virtualAddresses()) {
            allVips.add(va.address().getAddress());
        }
        for (VirtualAddress va : spec.excludedAddresses()) {
            allVips.add(va.address().getAddress());
        }
        int ifIndex;
        try {
            ifIndex = Interfaces.indexOf(spec.interfaceName());
        } catch (NativeException e) {
            throw new VrrpTransportException(who + " interface " + spec.interfaceName() + ": " + e.getMessage(), e);
        }
        Sock sock = sockets.get(spec.interfaceName() + (v6 ? "/6" : "/4"));
        if (sock == null) {
            sock = openSocket(who, spec.interfaceName(), ifIndex, v6);
            sockets.put(spec.interfaceName() + (v6 ? "/6" : "/4"), sock);
            socketList.add(sock);
            poll.add(sock.socket.fd(), PollSet.POLLIN);
        }
        boolean unicast = !spec.unicastPeers().isEmpty();
        if (!unicast && !sock.joined) {
            try {
                if (v6) {
                    sock.socket.joinGroup6(GROUP6, ifIndex);
                } else {
                    sock.socket.joinGroup4(0xe0000012, ifIndex);
                }
            } catch (NativeException e) {
                throw new VrrpTransportException(who + " cant do IP" + (v6 ? "V6" : "") + "_ADD_MEMBERSHIP on "
                        + spec.interfaceName() + ": " + e.getMessage(), e);
            }
            sock.joined = true;
        }
        byte[] src = spec.unicastSrcIp() != null ? spec.unicastSrcIp().getAddress()
                : primaryAddress(who, spec.interfaceName(), ifIndex, v6, spec);
        List<byte[]> dsts = new ArrayList<>();
        if (unicast) {
            for (InetAddress p : spec.unicastPeers()) {
                dsts.add(p.getAddress());
            }
        } else {
            dsts.add(v6 ? GROUP6 : GROUP4);
        }
        return new Channel(who, sock, src, dsts, spec.version());
    }

    private static Sock openSocket(String who, String ifName, int ifIndex, boolean v6) {
        LinuxSocket s = null;
        try {
            s = v6 ? LinuxSocket.rawIpv6(LinuxSocket.IPPROTO_VRRP) : LinuxSocket.rawIpv4(LinuxSocket.IPPROTO_VRRP);
            s.bindToDevice(ifName);
            s.nonBlocking(true);
            if (v6) {
                s.setInt(LinuxSocket.IPPROTO_IPV6, LinuxSocket.IPV6_MULTICAST_HOPS, 255);
                s.setInt(LinuxSocket.IPPROTO_IPV6, LinuxSocket.IPV6_UNICAST_HOPS, 255);
                s.setInt(LinuxSocket.IPPROTO_IPV6, LinuxSocket.IPV6_MULTICAST_LOOP, 0);
                s.setInt(LinuxSocket.IPPROTO_IPV6, LinuxSocket.IPV6_MULTICAST_IF, ifIndex);
                s.setInt(LinuxSocket.IPPROTO_IPV6, LinuxSocket.IPV6_RECVHOPLIMIT, 1);
                s.setInt(LinuxSocket.IPPROTO_IPV6, LinuxSocket.IPV6_RECVPKTINFO, 1);
            } else {
                s.setInt(LinuxSocket.IPPROTO_IP, LinuxSocket.IP_MULTICAST_TTL, 255);
                s.setInt(LinuxSocket.IPPROTO_IP, LinuxSocket.IP_TTL, 255);
                s.setInt(LinuxSocket.IPPROTO_IP, LinuxSocket.IP_MULTICAST_LOOP, 0);
                s.setInt(LinuxSocket.IPPROTO_IP, LinuxSocket.IP_TOS, 0xc0);
                s.multicastInterface4(ifIndex);
                s.setInt(LinuxSocket.IPPROTO_IP, LinuxSocket.IP_PKTINFO, 1);
            }
            return new Sock(s, ifName, ifIndex, v6);
        } catch (NativeException e) {
            if (s != null) {
                s.close();
            }
            throw new VrrpTransportException(who + " cannot open the VRRP socket on " + ifName + ": "
                    + e.getMessage(), e);
        }
    }

    private byte[] primaryAddress(String who, String ifName, int ifIndex, boolean v6, VrrpInstanceSpec spec) {
        try (Rtnetlink rtnl = Rtnetlink.open()) {
            for (Address a : rtnl.addresses()) {
                if (a.ifindex() != ifIndex || a.isIpv6() != v6) {
                    continue;
                }
                byte[] raw = a.address().getAddress();
                if (isVip(raw)) {
                    continue;
                }
                if (v6 ? (raw[0] == (byte) 0xfe && (raw[1] & 0xc0) == 0x80) : (a.flags() & 0x01) == 0) {
                    return raw;
                }
            }
        } catch (NativeException e) {
            throw new VrrpTransportException(who + " cannot list the addresses of " + ifName + ": " + e.getMessage(),
                    e);
        }
        throw new VrrpTransportException(who + " Cannot find an IP address to use for interface " + ifName
                + (v6 ? " (VRRPv3 over IPv6 needs a link-local address)" : ""));
    }

    private boolean isVip(byte[] raw) {
        for (byte[] v : allVips) {
            if (java.util.Arrays.equals(v, raw)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public int receive(AdvertHandler handler, int limit) {
        int handled = 0;
        int n = socketList.size();
        for (int k = 0; k < n && handled < limit; k++) {
            Sock s = socketList.get((next + k) % n);
            while (handled < limit) {
                int len;
                try {
                    len = s.socket.recvMsg(rx, 0, BUFFER, rxHeader);
                } catch (NativeException e) {
                    LOG.warn("recvmsg on {} failed: {}", s.ifName, e.getMessage());
                    break;
                }
                if (len < 0) {
                    break;
                }
                handled++;
                if (fill(s, len)) {
                    handler.onAdvert(advert);
                }
            }
        }
        next = n == 0 ? 0 : (next + 1) % n;
        return handled;
    }

    private boolean fill(Sock s, int len) {
        ReceivedAdvert r = advert;
        r.buffer = rx;
        r.ifIndex = rxHeader.ifindex() > 0 ? rxHeader.ifindex() : s.ifIndex;
        r.checksumVerified = false;
        r.ipv6 = s.ipv6;
        if (s.ipv6) {
            r.offset = 0;
            r.length = len;
            r.ipHeaderLength = 0;
            r.ipTotalLength = -1;
            r.ttl = rxHeader.hopLimit();
            rxHeader.source().copyIp(r.source6, 0);
            if (rxHeader.copyDestination(r.destination6, 0) != 16) {
                System.arraycopy(GROUP6, 0, r.destination6, 0, 16);
            }
            r.multicast = r.destination6[0] == (byte) 0xff;
            return true;
        }
        if (len < 20) {
            return false;
        }
        int ihl = (Byte.toUnsignedInt(rx.get(ValueLayout.JAVA_BYTE, 0)) & 0x0f) * 4;
        if (ihl < 20 || ihl > len) {
            return false;
        }
        r.ipHeaderLength = ihl;
        r.ipTotalLength = Short.toUnsignedInt(rx.get(U16, 2));
        r.ttl = Byte.toUnsignedInt(rx.get(ValueLayout.JAVA_BYTE, 8));
        MemorySegment.copy(rx, ValueLayout.JAVA_BYTE, 12, r.source4, 0, 4);
        MemorySegment.copy(rx, ValueLayout.JAVA_BYTE, 16, r.destination4, 0, 4);
        r.multicast = (r.destination4[0] & 0xf0) == 0xe0;
        r.offset = ihl;
        r.length = len - ihl;
        return true;
    }

    @Override
    public void await(long timeoutNanos) {
        int ms = (int) Math.min(1000, Math.max(1, (timeoutNanos + 999_999) / 1_000_000));
        try {
            poll.poll(ms);
        } catch (NativeException e) {
            LOG.warn("poll on VRRP sockets failed: {}", e.getMessage());
        }
    }

    @Override
    public void watch(int fd) {
        if (fd >= 0) {
            poll.add(fd, PollSet.POLLIN);
        }
    }

    @Override
    public void close() {
        for (Sock s : socketList) {
            s.socket.close();
        }
        socketList.clear();
        sockets.clear();
    }

    /** One instance's way out: a shared socket, its source address and destinations, a prebuilt msghdr. */
    private static final class Channel implements VrrpChannel {
        private final String who;
        private final Sock sock;
        private final byte[] src;
        private final List<byte[]> dsts;
        private final SockAddr[] dstAddrs;
        private final MessageHeader header = new MessageHeader();
        private final VrrpPacketFlyweight flyweight = new VrrpPacketFlyweight();
        private final int version;
        private boolean failing;

        Channel(String who, Sock sock, byte[] src, List<byte[]> dsts, int version) {
            this.who = who;
            this.sock = sock;
            this.src = src;
            this.dsts = dsts;
            this.version = version;
            this.dstAddrs = new SockAddr[dsts.size()];
            for (int i = 0; i < dstAddrs.length; i++) {
                byte[] d = dsts.get(i);
                dstAddrs[i] = d.length == 16 ? SockAddr.inet6(d, 0, sock.ifIndex) : SockAddr.inet4(d, 0);
            }
            if (sock.ipv6) {
                header.outgoingIpv6PacketInfo(sock.ifIndex, src);
            } else {
                int s = ((src[0] & 0xff) << 24) | ((src[1] & 0xff) << 16) | ((src[2] & 0xff) << 8) | (src[3] & 0xff);
                header.outgoingIpv4PacketInfo(sock.ifIndex, s);
            }
            LOG.debug("{} sending from {} on {}", who, Addresses.format(src), sock.ifName);
        }

        @Override
        public int ifIndex() {
            return sock.ifIndex;
        }

        @Override
        public byte[] sourceAddress() {
            return src;
        }

        @Override
        public boolean send(MemorySegment message, int length) {
            boolean ok = true;
            for (int i = 0; i < dstAddrs.length; i++) {
                if (version == 3) {
                    // RFC 5798 §5.2.8: the checksum covers the pseudo-header of this very destination
                    flyweight.wrap(message, 0).checksum(0);
                    flyweight.checksum(flyweight.computeV3Checksum(length, src, dsts.get(i)));
                }
                try {
                    if (sock.socket.sendMsg(message, 0, length, dstAddrs[i], header) < 0) {
                        ok = false;
                    }
                } catch (NativeException e) {
                    ok = false;
                    if (!failing) {
                        LOG.info("{} Cant send advert to {} ({})", who, Addresses.format(dsts.get(i)),
                                e.getMessage());
                    }
                }
            }
            failing = !ok;
            return ok;
        }
    }
}

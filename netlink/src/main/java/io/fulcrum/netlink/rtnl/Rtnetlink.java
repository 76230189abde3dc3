package io.fulcrum.netlink.rtnl;

import io.fulcrum.netlink.Errno;
import io.fulcrum.netlink.IpText;
import io.fulcrum.netlink.LinuxSocket;
import io.fulcrum.netlink.NativeException;
import io.fulcrum.netlink.PollSet;
import io.fulcrum.netlink.SockAddr;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The rtnetlink request socket: dumps of links, addresses, routes and neighbours, and add/delete of addresses, routes
 * and neighbours with the kernel's ACK checked.
 *
 * <p>Opened in the network namespace of the calling thread and bound to it for life (see
 * {@link io.fulcrum.netlink.NetNs}). It joins no multicast group, so a burst of events never sits in front of an ACK
 * (the monitor has its own socket). A kernel refusal is a {@link NativeException} naming the request, the errno name,
 * the object ({@code 10.0.0.1/24 dev veth0}) and the kernel's extended-ACK text when there is one. A dump interrupted by
 * concurrent changes ({@code NLM_F_DUMP_INTR}) is repeated. Methods are synchronized, so threads may share one instance;
 * each call blocks at most {@link #TIMEOUT_MS} for the kernel's answer.
 */
public final class Rtnetlink implements AutoCloseable {

    /** How long a request waits for the kernel's reply before failing with ETIMEDOUT. */
    public static final int TIMEOUT_MS = 5000;

    /** Receives the raw messages of a dump ({@link #dump}). */
    @FunctionalInterface
    public interface MessageHandler {
        /** Called for each message of the reply: {@code length} bytes at {@code offset}. */
        void onMessage(MemorySegment segment, long offset, int length);
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Rtnetlink.class);
    private static final int AF_UNSPEC = 0;
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    private static final int BUFFER = 1 << 16;
    private static final int REQUEST = 4096;
    private static final int MAX_DUMP_ATTEMPTS = 10;
    private static final int NLMSGERR_ATTR_MSG = 1;
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED;

    private final LinuxSocket socket;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment rx = arena.allocate(BUFFER, 8);
    private final MemorySegment tx = arena.allocate(REQUEST, 8);
    private final NetlinkHeaderFlyweight header = new NetlinkHeaderFlyweight();
    private final RtAttrFlyweight attr = new RtAttrFlyweight();
    private final RtnetlinkCodec codec = new RtnetlinkCodec();
    private final PollSet poll = new PollSet(1);
    private final SockAddr kernel = SockAddr.netlink(0, 0);
    private final int portId;
    private int sequence = (int) (System.nanoTime() & 0x3fffffff);
    private int txLength;

    private Rtnetlink(LinuxSocket socket) {
        this.socket = socket;
        this.portId = socket.localAddress(new SockAddr()).netlinkPortId();
        poll.add(socket.fd(), PollSet.POLLIN);
    }

    /** Default receive buffer of the request socket: 4 MiB. */
    public static final int DEFAULT_RECEIVE_BUFFER = 4 << 20;

    /** Opens a request socket in the calling thread's network namespace with a 4 MiB (forced) receive buffer. */
    public static Rtnetlink open() {
        return open(DEFAULT_RECEIVE_BUFFER, true);
    }

    /**
     * Opens a request socket with {@code receiveBufferBytes} (keepalived's {@code vrrp_netlink_cmd_rcv_bufs}), forced
     * past {@code rmem_max} when {@code force} ({@code vrrp_netlink_cmd_rcv_bufs_force}) and permitted.
     */
    public static Rtnetlink open(int receiveBufferBytes, boolean force) {
        LinuxSocket s = LinuxSocket.netlink(LinuxSocket.NETLINK_ROUTE);
        try {
            s.setInt(LinuxSocket.SOL_SOCKET, LinuxSocket.SO_SNDBUF, 1 << 20);
            boolean forced = false;
            if (force) {
                try {
                    s.forceReceiveBuffer(receiveBufferBytes);
                    forced = true;
                } catch (NativeException e) {
                    LOG.warn("Netlink: cannot force request socket receive buffer to {} bytes ({}), using SO_RCVBUF",
                            receiveBufferBytes, e.errnoName());
                }
            }
            if (!forced) {
                s.setInt(LinuxSocket.SOL_SOCKET, LinuxSocket.SO_RCVBUF, receiveBufferBytes);
            }
            trySet(s, LinuxSocket.NETLINK_EXT_ACK);
            trySet(s, LinuxSocket.NETLINK_CAP_ACK);
            s.bind(SockAddr.netlink(0, 0));
            s.nonBlocking(true);
            return new Rtnetlink(s);
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private static void trySet(LinuxSocket s, int option) {
        try {
            s.setInt(LinuxSocket.SOL_NETLINK, option, 1);
        } catch (NativeException ignored) {
            // older kernels: plain ACKs
        }
    }

    /** The port id the kernel gave this socket. */
    public int portId() {
        return portId;
    }

    // ---------------------------------------------------------------- dumps

    /** Every link in the namespace, in the kernel's order. */
    public synchronized List<Link> links() {
        List<Link> out = new ArrayList<>();
        dumpConsistent(() -> beginLinkDump(), out, (seg, off, len) -> {
            if (header.wrap(seg, off).type() == NetlinkHeaderFlyweight.RTM_NEWLINK) {
                out.add(codec.decodeLink(seg, off));
            }
        });
        return out;
    }

    /** The link named {@code name}, if any. */
    public synchronized Optional<Link> link(String name) {
        begin(NetlinkHeaderFlyweight.RTM_GETLINK, NetlinkHeaderFlyweight.NLM_F_REQUEST);
        putIfInfo(0, 0, 0);
        putStringAttr(IfInfoMsgFlyweight.IFLA_IFNAME, name);
        putU32Attr(IfInfoMsgFlyweight.IFLA_EXT_MASK, IfInfoMsgFlyweight.RTEXT_FILTER_SKIP_STATS);
        return getLink("RTM_GETLINK", name);
    }

    /** The link with index {@code index}, if any. */
    public synchronized Optional<Link> link(int index) {
        begin(NetlinkHeaderFlyweight.RTM_GETLINK, NetlinkHeaderFlyweight.NLM_F_REQUEST);
        putIfInfo(0, index, 0);
        putU32Attr(IfInfoMsgFlyweight.IFLA_EXT_MASK, IfInfoMsgFlyweight.RTEXT_FILTER_SKIP_STATS);
        return getLink("RTM_GETLINK", "ifindex " + index);
    }

    private Optional<Link> getLink(String call, String what) {
        Link[] found = new Link[1];
        try {
            exchange(call, what, (seg, off, len) -> {
                if (header.wrap(seg, off).type() == NetlinkHeaderFlyweight.RTM_NEWLINK) {
                    found[0] = codec.decodeLink(seg, off);
                }
            });
        } catch (NativeException e) {
            if (e.errno() == Errno.ENODEV) {
                return Optional.empty();
            }
            throw e;
        }
        return Optional.ofNullable(found[0]);
    }

    /** The index of interface {@code name} in this socket's namespace; ENODEV naming it when there is none. */
    public int indexOf(String name) {
        return link(name).orElseThrow(() -> new NativeException("RTM_GETLINK", Errno.ENODEV, name)).index();
    }

    /** Every IPv4 and IPv6 address in the namespace. */
    public synchronized List<Address> addresses() {
        List<Address> out = new ArrayList<>();
        dumpConsistent(() -> beginDump(NetlinkHeaderFlyweight.RTM_GETADDR, AF_UNSPEC, IfAddrMsgFlyweight.LENGTH),
                out, (seg, off, len) -> {
                    if (header.wrap(seg, off).type() == NetlinkHeaderFlyweight.RTM_NEWADDR) {
                        Address a = codec.decodeAddress(seg, off);
                        if (a != null) {
                            out.add(a);
                        }
                    }
                });
        return out;
    }

    /** Every route of {@code family} (AF_INET 2 / AF_INET6 10) in every table. */
    public synchronized List<Route> routes(int family) {
        List<Route> out = new ArrayList<>();
        dumpConsistent(() -> beginDump(NetlinkHeaderFlyweight.RTM_GETROUTE, family, RtMsgFlyweight.LENGTH), out,
                (seg, off, len) -> {
                    if (header.wrap(seg, off).type() == NetlinkHeaderFlyweight.RTM_NEWROUTE) {
                        out.add(codec.decodeRoute(seg, off));
                    }
                });
        return out;
    }

    /** Every neighbour entry of {@code family} (AF_INET 2 / AF_INET6 10, AF_UNSPEC 0 for both). */
    public synchronized List<Neighbour> neighbours(int family) {
        List<Neighbour> out = new ArrayList<>();
        dumpConsistent(() -> beginDump(NetlinkHeaderFlyweight.RTM_GETNEIGH, family, NdMsgFlyweight.LENGTH), out,
                (seg, off, len) -> {
                    if (header.wrap(seg, off).type() == NetlinkHeaderFlyweight.RTM_NEWNEIGH) {
                        Neighbour n = codec.decodeNeighbour(seg, off);
                        if (n != null && (family == AF_UNSPEC || familyOf(n.destination()) == family)) {
                            out.add(n);
                        }
                    }
                });
        return out;
    }

    /**
     * Runs one dump request ({@code RTM_GETLINK}, {@code RTM_GETADDR}, {@code RTM_GETROUTE}, {@code RTM_GETNEIGH}) for
     * {@code family} and hands every reply message to {@code handler}; returns false when the kernel flagged the dump
     * as interrupted by concurrent changes (then the caller should dump again).
     */
    public synchronized boolean dump(int getType, int family, MessageHandler handler) {
        switch (getType) {
            case NetlinkHeaderFlyweight.RTM_GETLINK -> beginLinkDump();
            case NetlinkHeaderFlyweight.RTM_GETADDR -> beginDump(getType, family, IfAddrMsgFlyweight.LENGTH);
            case NetlinkHeaderFlyweight.RTM_GETROUTE -> beginDump(getType, family, RtMsgFlyweight.LENGTH);
            case NetlinkHeaderFlyweight.RTM_GETNEIGH -> beginDump(getType, family, NdMsgFlyweight.LENGTH);
            default -> throw new IllegalArgumentException("not a dump request type: " + getType);
        }
        return exchange(typeName(getType), "dump", handler);
    }

    private void dumpConsistent(Runnable beginRequest, List<?> out, MessageHandler handler) {
        for (int attempt = 1; ; attempt++) {
            out.clear();
            beginRequest.run();
            String call = typeName(header.wrap(tx, 0).type());
            if (exchange(call, "dump", handler)) {
                return;
            }
            if (attempt == MAX_DUMP_ATTEMPTS) {
                throw new NativeException(call, Errno.EBUSY,
                        "interrupted " + attempt + " times by concurrent changes");
            }
        }
    }

    private void beginLinkDump() {
        begin(NetlinkHeaderFlyweight.RTM_GETLINK, NetlinkHeaderFlyweight.NLM_F_REQUEST | NetlinkHeaderFlyweight.NLM_F_DUMP);
        putIfInfo(AF_UNSPEC, 0, 0);
        putU32Attr(IfInfoMsgFlyweight.IFLA_EXT_MASK, IfInfoMsgFlyweight.RTEXT_FILTER_SKIP_STATS);
    }

    private void beginDump(int type, int family, int structLength) {
        begin(type, NetlinkHeaderFlyweight.NLM_F_REQUEST | NetlinkHeaderFlyweight.NLM_F_DUMP);
        tx.asSlice(txLength, structLength).fill((byte) 0);
        tx.set(ValueLayout.JAVA_BYTE, txLength, (byte) family);
        txLength += structLength;
    }

    // ---------------------------------------------------------------- changes

    /** Adds {@code address/prefixLength} to interface {@code ifindex} (fails with EEXIST if present). */
    public synchronized void addAddress(int ifindex, InetAddress address, int prefixLength) {
        addressRequest(NetlinkHeaderFlyweight.RTM_NEWADDR,
                NetlinkHeaderFlyweight.NLM_F_CREATE | NetlinkHeaderFlyweight.NLM_F_EXCL, ifindex, address,
                prefixLength);
    }

    /** Removes {@code address/prefixLength} from interface {@code ifindex} (EADDRNOTAVAIL if absent). */
    public synchronized void deleteAddress(int ifindex, InetAddress address, int prefixLength) {
        addressRequest(NetlinkHeaderFlyweight.RTM_DELADDR, 0, ifindex, address, prefixLength);
    }

    private void addressRequest(int type, int flags, int ifindex, InetAddress address, int prefixLength) {
        byte[] raw = address.getAddress();
        int family = raw.length == 16 ? AF_INET6 : AF_INET;
        if (prefixLength < 0 || prefixLength > raw.length * 8) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " out of range for "
                    + IpText.format(address));
        }
        begin(type, NetlinkHeaderFlyweight.NLM_F_REQUEST | NetlinkHeaderFlyweight.NLM_F_ACK | flags);
        int scope = address.isLoopbackAddress() ? RtMsgFlyweight.RT_SCOPE_HOST : RtMsgFlyweight.RT_SCOPE_UNIVERSE;
        int ifaFlags = family == AF_INET6 ? IfAddrMsgFlyweight.IFA_F_NODAD : 0;
        new IfAddrMsgFlyweight().wrap(tx, txLength).set(family, prefixLength, ifaFlags, scope, ifindex);
        txLength += IfAddrMsgFlyweight.LENGTH;
        putBytesAttr(IfAddrMsgFlyweight.IFA_LOCAL, raw);
        putBytesAttr(IfAddrMsgFlyweight.IFA_ADDRESS, raw);
        if (family == AF_INET6) {
            putU32Attr(IfAddrMsgFlyweight.IFA_FLAGS, ifaFlags);
        }
        exchange(typeName(type), IpText.format(address) + "/" + prefixLength, ifindex, null);
    }

    /** Adds {@code route} (fails with EEXIST if present). */
    public synchronized void addRoute(Route route) {
        routeRequest(NetlinkHeaderFlyweight.RTM_NEWROUTE,
                NetlinkHeaderFlyweight.NLM_F_CREATE | NetlinkHeaderFlyweight.NLM_F_EXCL, route);
    }

    /** Adds or replaces {@code route}. */
    public synchronized void replaceRoute(Route route) {
        routeRequest(NetlinkHeaderFlyweight.RTM_NEWROUTE,
                NetlinkHeaderFlyweight.NLM_F_CREATE | NetlinkHeaderFlyweight.NLM_F_REPLACE, route);
    }

    /** Deletes {@code route} (ESRCH if absent). */
    public synchronized void deleteRoute(Route route) {
        routeRequest(NetlinkHeaderFlyweight.RTM_DELROUTE, 0, route);
    }

    private void routeRequest(int type, int flags, Route r) {
        begin(type, NetlinkHeaderFlyweight.NLM_F_REQUEST | NetlinkHeaderFlyweight.NLM_F_ACK | flags);
        int table = r.table();
        new RtMsgFlyweight().wrap(tx, txLength).set(r.family(), r.destination() == null ? 0 : r.dstLength(), 0, 0,
                table < 256 ? table : 0, r.protocol(), r.scope(), r.type(), 0);
        txLength += RtMsgFlyweight.LENGTH;
        if (r.destination() != null) {
            putBytesAttr(RtMsgFlyweight.RTA_DST, r.destination().getAddress());
        }
        if (r.gateway() != null) {
            putBytesAttr(RtMsgFlyweight.RTA_GATEWAY, r.gateway().getAddress());
        }
        if (r.preferredSource() != null) {
            putBytesAttr(RtMsgFlyweight.RTA_PREFSRC, r.preferredSource().getAddress());
        }
        if (r.oif() != 0) {
            putU32Attr(RtMsgFlyweight.RTA_OIF, r.oif());
        }
        if (r.priority() != 0) {
            putU32Attr(RtMsgFlyweight.RTA_PRIORITY, r.priority());
        }
        putU32Attr(RtMsgFlyweight.RTA_TABLE, table);
        exchange(typeName(type), r.describe(), r.oif(), null);
    }

    /** Adds or replaces a neighbour entry ({@code ip neigh replace}). */
    public synchronized void replaceNeighbour(Neighbour n) {
        neighRequest(NetlinkHeaderFlyweight.RTM_NEWNEIGH,
                NetlinkHeaderFlyweight.NLM_F_CREATE | NetlinkHeaderFlyweight.NLM_F_REPLACE, n);
    }

    /** Deletes the neighbour entry for {@code n.destination()} on {@code n.ifindex()} (ENOENT if absent). */
    public synchronized void deleteNeighbour(Neighbour n) {
        neighRequest(NetlinkHeaderFlyweight.RTM_DELNEIGH, 0, n);
    }

    private void neighRequest(int type, int flags, Neighbour n) {
        begin(type, NetlinkHeaderFlyweight.NLM_F_REQUEST | NetlinkHeaderFlyweight.NLM_F_ACK | flags);
        new NdMsgFlyweight().wrap(tx, txLength).set(familyOf(n.destination()), n.ifindex(), n.state(), 0, 0);
        txLength += NdMsgFlyweight.LENGTH;
        putBytesAttr(NdMsgFlyweight.NDA_DST, n.destination().getAddress());
        if (!n.lladdr().isEmpty()) {
            putBytesAttr(NdMsgFlyweight.NDA_LLADDR, RtnetlinkCodec.parseMac(n.lladdr()));
        }
        exchange(typeName(type), IpText.format(n.destination())
                + (n.lladdr().isEmpty() ? "" : " lladdr " + n.lladdr()), n.ifindex(), null);
    }

    /** Sets interface {@code ifindex} administratively up or down ({@code ip link set dev X up|down}). */
    public synchronized void setLinkUp(int ifindex, boolean up) {
        begin(NetlinkHeaderFlyweight.RTM_NEWLINK, NetlinkHeaderFlyweight.NLM_F_REQUEST | NetlinkHeaderFlyweight.NLM_F_ACK);
        putIfInfo(AF_UNSPEC, ifindex, up ? IfInfoMsgFlyweight.IFF_UP : 0);
        tx.set(U32, txLength - 4, IfInfoMsgFlyweight.IFF_UP); // ifi_change
        exchange("RTM_NEWLINK", up ? "set up" : "set down", ifindex, null);
    }

    // ---------------------------------------------------------------- plumbing

    private void begin(int type, int flags) {
        header.wrap(tx, 0).length(0).type(type).flags(flags).sequence(++sequence).portId(0);
        txLength = NetlinkHeaderFlyweight.LENGTH;
    }

    private void putIfInfo(int family, int index, int flags) {
        new IfInfoMsgFlyweight().wrap(tx, txLength).set(family, 0, index, flags, 0);
        txLength += IfInfoMsgFlyweight.LENGTH;
    }

    private void putAttrHeader(int type, int payloadLength) {
        int len = RtAttrFlyweight.HEADER_LENGTH + payloadLength;
        if (txLength + NetlinkHeaderFlyweight.align(len) > REQUEST) {
            throw new IllegalStateException("netlink request too long");
        }
        tx.set(U16, txLength, (short) len);
        tx.set(U16, txLength + 2, (short) type);
    }

    private void finishAttr(int payloadLength) {
        int len = RtAttrFlyweight.HEADER_LENGTH + payloadLength;
        int padded = NetlinkHeaderFlyweight.align(len);
        for (int i = len; i < padded; i++) {
            tx.set(ValueLayout.JAVA_BYTE, txLength + i, (byte) 0);
        }
        txLength += padded;
    }

    private void putU32Attr(int type, int value) {
        putAttrHeader(type, 4);
        tx.set(U32, txLength + 4, value);
        finishAttr(4);
    }

    private void putBytesAttr(int type, byte[] value) {
        putAttrHeader(type, value.length);
        MemorySegment.copy(value, 0, tx, ValueLayout.JAVA_BYTE, txLength + 4, value.length);
        finishAttr(value.length);
    }

    private void putStringAttr(int type, String value) {
        byte[] b = value.getBytes(StandardCharsets.UTF_8);
        byte[] z = new byte[b.length + 1];
        System.arraycopy(b, 0, z, 0, b.length);
        putBytesAttr(type, z);
    }

    /**
     * Sends the request in {@code tx} and reads replies with its sequence number until NLMSG_DONE (dumps), the ACK or
     * the error. Returns false if a dump was flagged interrupted.
     */
    private boolean exchange(String call, String what, MessageHandler handler) {
        return exchange(call, what, 0, handler);
    }

    private boolean exchange(String call, String what, int ifindex, MessageHandler handler) {
        header.wrap(tx, 0).length(txLength);
        int seq = header.sequence();
        boolean dump = (header.flags() & NetlinkHeaderFlyweight.NLM_F_DUMP) == NetlinkHeaderFlyweight.NLM_F_DUMP;
        boolean wantAck = (header.flags() & NetlinkHeaderFlyweight.NLM_F_ACK) != 0;
        socket.sendTo(tx, 0, txLength, kernel);
        boolean consistent = true;
        long deadline = System.nanoTime() + TIMEOUT_MS * 1_000_000L;
        while (true) {
            int n = socket.recv(rx, 0, BUFFER);
            if (n < 0) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    throw new NativeException(call, Errno.ETIMEDOUT, what + " (no reply within "
                            + TIMEOUT_MS + " ms)");
                }
                poll.poll((int) Math.max(1, left));
                continue;
            }
            long off = 0;
            while (off + NetlinkHeaderFlyweight.LENGTH <= n) {
                header.wrap(rx, off);
                int len = header.length();
                if (len < NetlinkHeaderFlyweight.LENGTH || off + len > n) {
                    break;
                }
                if (header.sequence() == seq && header.portId() == portId) {
                    int type = header.type();
                    if ((header.flags() & NetlinkHeaderFlyweight.NLM_F_DUMP_INTR) != 0) {
                        consistent = false;
                    }
                    if (type == NetlinkHeaderFlyweight.NLMSG_DONE) {
                        if (len >= NetlinkHeaderFlyweight.LENGTH + 4 && header.error() < 0) {
                            throw error(call, what, ifindex, off, len);
                        }
                        return consistent;
                    }
                    if (type == NetlinkHeaderFlyweight.NLMSG_ERROR) {
                        if (header.error() == 0) {
                            return consistent;
                        }
                        throw error(call, what, ifindex, off, len);
                    }
                    if (handler != null) {
                        handler.onMessage(rx, off, len);
                    }
                    if (!dump && !wantAck && (header.flags() & NetlinkHeaderFlyweight.NLM_F_MULTI) == 0) {
                        return consistent;
                    }
                }
                off += NetlinkHeaderFlyweight.align(len);
            }
        }
    }

    private NativeException error(String call, String what, int ifindex, long off, int len) {
        header.wrap(rx, off);
        int errno = -header.error();
        int flags = header.flags();
        String extra = "";
        if ((flags & NetlinkHeaderFlyweight.NLM_F_ACK_TLVS) != 0) {
            long inner = off + NetlinkHeaderFlyweight.LENGTH + 4;
            int innerLen = rx.get(U32, inner);
            long tlvs = inner + ((flags & NetlinkHeaderFlyweight.NLM_F_CAPPED) != 0
                    ? NetlinkHeaderFlyweight.LENGTH : NetlinkHeaderFlyweight.align(innerLen));
            attr.wrap(rx, tlvs, off + len);
            while (attr.next()) {
                if (attr.type() == NLMSGERR_ATTR_MSG) {
                    extra = attr.string();
                }
            }
        }
        String dev = ifindex == 0 ? "" : " dev " + linkName(ifindex);
        return new NativeException(call, errno, what + dev, extra);
    }

    /** The name of {@code ifindex} for an error message (a fresh request: only after the failed one is read). */
    private String linkName(int ifindex) {
        try {
            return link(ifindex).map(Link::name).orElse("ifindex " + ifindex + " (no such interface)");
        } catch (RuntimeException e) {
            return "ifindex " + ifindex;
        }
    }

    private static int familyOf(InetAddress a) {
        return a.getAddress().length == 16 ? AF_INET6 : AF_INET;
    }

    /** The name of an RTM_* message type, for messages. */
    public static String typeName(int type) {
        return switch (type) {
            case NetlinkHeaderFlyweight.RTM_NEWLINK -> "RTM_NEWLINK";
            case NetlinkHeaderFlyweight.RTM_DELLINK -> "RTM_DELLINK";
            case NetlinkHeaderFlyweight.RTM_GETLINK -> "RTM_GETLINK";
            case NetlinkHeaderFlyweight.RTM_SETLINK -> "RTM_SETLINK";
            case NetlinkHeaderFlyweight.RTM_NEWADDR -> "RTM_NEWADDR";
            case NetlinkHeaderFlyweight.RTM_DELADDR -> "RTM_DELADDR";
            case NetlinkHeaderFlyweight.RTM_GETADDR -> "RTM_GETADDR";
            case NetlinkHeaderFlyweight.RTM_NEWROUTE -> "RTM_NEWROUTE";
            case NetlinkHeaderFlyweight.RTM_DELROUTE -> "RTM_DELROUTE";
            case NetlinkHeaderFlyweight.RTM_GETROUTE -> "RTM_GETROUTE";
            case NetlinkHeaderFlyweight.RTM_NEWNEIGH -> "RTM_NEWNEIGH";
            case NetlinkHeaderFlyweight.RTM_DELNEIGH -> "RTM_DELNEIGH";
            case NetlinkHeaderFlyweight.RTM_GETNEIGH -> "RTM_GETNEIGH";
            default -> "RTM type " + type;
        };
    }

    /** Closes the socket. */
    @Override
    public synchronized void close() {
        socket.close();
        arena.close();
    }
}

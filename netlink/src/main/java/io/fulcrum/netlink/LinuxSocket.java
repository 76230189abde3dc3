package io.fulcrum.netlink;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.ref.Reference;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A Linux socket file descriptor (raw IP, AF_PACKET, AF_NETLINK, AF_XDP, ...) with the calls the other modules need:
 * bind, socket options, send/receive without allocating per call, non-blocking mode, mmap of kernel rings, close.
 *
 * <p>Every failing call throws {@link NativeException} naming the call, the errno name and the socket (and device or
 * address involved). Receives and sends on a non-blocking socket return {@code -1} when the kernel says
 * {@code EAGAIN}; {@code EINTR} is retried. Buffers must be native segments. Not thread-safe: one thread uses a socket
 * at a time (its option scratch memory is per socket); {@link #fd()} may be polled from another thread. A socket opens
 * in the network namespace of the calling thread (see {@link NetNs}) and stays there.
 */
public final class LinuxSocket implements AutoCloseable {

    // Address families.
    /** Unspecified family. */
    public static final int AF_UNSPEC = 0;
    /** IPv4. */
    public static final int AF_INET = 2;
    /** IPv6. */
    public static final int AF_INET6 = 10;
    /** Netlink. */
    public static final int AF_NETLINK = 16;
    /** Packet sockets (link layer). */
    public static final int AF_PACKET = 17;
    /** AF_XDP sockets. */
    public static final int AF_XDP = 44;

    // Socket types and flags.
    /** Stream socket. */
    public static final int SOCK_STREAM = 1;
    /** Datagram socket. */
    public static final int SOCK_DGRAM = 2;
    /** Raw socket. */
    public static final int SOCK_RAW = 3;
    /** Open non-blocking (or with the type). */
    public static final int SOCK_NONBLOCK = 0x800;
    /** Close on exec (always added by this class). */
    public static final int SOCK_CLOEXEC = 0x80000;

    // Protocols.
    /** IP level for options. */
    public static final int IPPROTO_IP = 0;
    /** ICMP. */
    public static final int IPPROTO_ICMP = 1;
    /** TCP. */
    public static final int IPPROTO_TCP = 6;
    /** UDP. */
    public static final int IPPROTO_UDP = 17;
    /** IPv6 level for options. */
    public static final int IPPROTO_IPV6 = 41;
    /** Authentication header (VRRPv2 auth_type AH). */
    public static final int IPPROTO_AH = 51;
    /** ICMPv6. */
    public static final int IPPROTO_ICMPV6 = 58;
    /** VRRP, IP protocol 112 (RFC 5798 §5.1.1.4). */
    public static final int IPPROTO_VRRP = 112;
    /** Raw IP (send with header included). */
    public static final int IPPROTO_RAW = 255;
    /** Netlink protocol for routing (rtnetlink). */
    public static final int NETLINK_ROUTE = 0;

    // EtherTypes (host order; this class converts to network order where the kernel wants it).
    /** Every protocol. */
    public static final int ETH_P_ALL = 0x0003;
    /** IPv4. */
    public static final int ETH_P_IP = 0x0800;
    /** ARP. */
    public static final int ETH_P_ARP = 0x0806;
    /** IPv6. */
    public static final int ETH_P_IPV6 = 0x86DD;

    // Levels.
    /** Socket level. */
    public static final int SOL_SOCKET = 1;
    /** Raw socket level ({@code SOL_RAW}); Linux also accepts IPV6_CHECKSUM at {@link #IPPROTO_IPV6}. */
    public static final int SOL_RAW = 255;
    /** Packet socket level. */
    public static final int SOL_PACKET = 263;
    /** Netlink level. */
    public static final int SOL_NETLINK = 270;
    /** AF_XDP level. */
    public static final int SOL_XDP = 283;

    // SOL_SOCKET options.
    /** Allow address reuse. */
    public static final int SO_REUSEADDR = 2;
    /** Socket type (get). */
    public static final int SO_TYPE = 3;
    /** Pending error (get). */
    public static final int SO_ERROR = 4;
    /** Allow broadcast. */
    public static final int SO_BROADCAST = 6;
    /** Send buffer size. */
    public static final int SO_SNDBUF = 7;
    /** Receive buffer size. */
    public static final int SO_RCVBUF = 8;
    /** Packet priority. */
    public static final int SO_PRIORITY = 12;
    /** Bind to a device by name. */
    public static final int SO_BINDTODEVICE = 25;
    /** Attach a classic BPF filter. */
    public static final int SO_ATTACH_FILTER = 26;
    /** Send buffer size beyond rmem_max (CAP_NET_ADMIN). */
    public static final int SO_SNDBUFFORCE = 32;
    /** Receive buffer size beyond rmem_max (CAP_NET_ADMIN). */
    public static final int SO_RCVBUFFORCE = 33;
    /** Firewall mark. */
    public static final int SO_MARK = 36;
    /** Busy-poll microseconds. */
    public static final int SO_BUSY_POLL = 46;
    /** Prefer busy polling. */
    public static final int SO_PREFER_BUSY_POLL = 69;
    /** Busy-poll budget. */
    public static final int SO_BUSY_POLL_BUDGET = 70;

    // IPPROTO_IP options.
    /** Type of service. */
    public static final int IP_TOS = 1;
    /** Unicast TTL; also the ancillary type carrying the received TTL. */
    public static final int IP_TTL = 2;
    /** Header included in sent data. */
    public static final int IP_HDRINCL = 3;
    /** Receive in_pktinfo ancillary data; also its ancillary type. */
    public static final int IP_PKTINFO = 8;
    /** Receive the TTL as ancillary data. */
    public static final int IP_RECVTTL = 12;
    /** Bind to non-local addresses. */
    public static final int IP_FREEBIND = 15;
    /** Outgoing multicast interface (ip_mreqn). */
    public static final int IP_MULTICAST_IF = 32;
    /** Multicast TTL. */
    public static final int IP_MULTICAST_TTL = 33;
    /** Loop back own multicast. */
    public static final int IP_MULTICAST_LOOP = 34;
    /** Join a group (ip_mreqn). */
    public static final int IP_ADD_MEMBERSHIP = 35;
    /** Leave a group (ip_mreqn). */
    public static final int IP_DROP_MEMBERSHIP = 36;
    /** Receive multicast of all groups joined by any socket (default 1). */
    public static final int IP_MULTICAST_ALL = 49;

    // IPPROTO_IPV6 options.
    /** Checksum offset for raw sockets. */
    public static final int IPV6_CHECKSUM = 7;
    /** Unicast hop limit. */
    public static final int IPV6_UNICAST_HOPS = 16;
    /** Outgoing multicast interface (int ifindex). */
    public static final int IPV6_MULTICAST_IF = 17;
    /** Multicast hop limit. */
    public static final int IPV6_MULTICAST_HOPS = 18;
    /** Loop back own multicast. */
    public static final int IPV6_MULTICAST_LOOP = 19;
    /** Join a group (ipv6_mreq). */
    public static final int IPV6_JOIN_GROUP = 20;
    /** Leave a group (ipv6_mreq). */
    public static final int IPV6_LEAVE_GROUP = 21;
    /** IPv6 only. */
    public static final int IPV6_V6ONLY = 26;
    /** Receive multicast of all groups (default 1). */
    public static final int IPV6_MULTICAST_ALL = 29;
    /** Receive in6_pktinfo ancillary data. */
    public static final int IPV6_RECVPKTINFO = 49;
    /** Ancillary type of in6_pktinfo. */
    public static final int IPV6_PKTINFO = 50;
    /** Receive the hop limit as ancillary data. */
    public static final int IPV6_RECVHOPLIMIT = 51;
    /** Ancillary type of the hop limit. */
    public static final int IPV6_HOPLIMIT = 52;
    /** ICMPv6 type filter (level IPPROTO_ICMPV6). */
    public static final int ICMP6_FILTER = 1;

    // SOL_PACKET options.
    /** Add a packet membership (packet_mreq, e.g. promiscuous). */
    public static final int PACKET_ADD_MEMBERSHIP = 1;
    /** Drop a packet membership. */
    public static final int PACKET_DROP_MEMBERSHIP = 2;
    /** Receive ring (tpacket_req / tpacket_req3). */
    public static final int PACKET_RX_RING = 5;
    /** Statistics (get). */
    public static final int PACKET_STATISTICS = 6;
    /** Ring version. */
    public static final int PACKET_VERSION = 10;
    /** Headroom reserved in ring frames. */
    public static final int PACKET_RESERVE = 12;
    /** Transmit ring. */
    public static final int PACKET_TX_RING = 13;
    /** Fanout group. */
    public static final int PACKET_FANOUT = 18;
    /** Bypass the qdisc on transmit. */
    public static final int PACKET_QDISC_BYPASS = 20;
    /** Do not receive own transmitted frames. */
    public static final int PACKET_IGNORE_OUTGOING = 23;
    /** {@code TPACKET_V3} ring version value. */
    public static final int TPACKET_V3 = 2;
    /** {@code packet_mreq} type: promiscuous mode. */
    public static final int PACKET_MR_PROMISC = 1;

    // SOL_NETLINK options.
    /** Join a netlink multicast group (int group number). */
    public static final int NETLINK_ADD_MEMBERSHIP = 1;
    /** Leave a netlink multicast group. */
    public static final int NETLINK_DROP_MEMBERSHIP = 2;
    /** Report broadcast delivery errors. */
    public static final int NETLINK_BROADCAST_ERROR = 4;
    /** Do not report ENOBUFS (never set by Fulcrum: overruns must be seen). */
    public static final int NETLINK_NO_ENOBUFS = 5;
    /** ACKs carry only the header of the request. */
    public static final int NETLINK_CAP_ACK = 10;
    /** Extended ACK with error messages. */
    public static final int NETLINK_EXT_ACK = 11;
    /** Strict dump request checking. */
    public static final int NETLINK_GET_STRICT_CHK = 12;

    // SOL_XDP options.
    /** Ring offsets for mmap (get, struct xdp_mmap_offsets). */
    public static final int XDP_MMAP_OFFSETS = 1;
    /** RX ring size. */
    public static final int XDP_RX_RING = 2;
    /** TX ring size. */
    public static final int XDP_TX_RING = 3;
    /** Register a UMEM (struct xdp_umem_reg). */
    public static final int XDP_UMEM_REG = 4;
    /** Fill ring size. */
    public static final int XDP_UMEM_FILL_RING = 5;
    /** Completion ring size. */
    public static final int XDP_UMEM_COMPLETION_RING = 6;
    /** Statistics (get, struct xdp_statistics). */
    public static final int XDP_STATISTICS = 7;
    /** Options (get, struct xdp_options). */
    public static final int XDP_OPTIONS = 8;
    /** Bind flag: share the UMEM of another socket. */
    public static final int XDP_SHARED_UMEM = 1;
    /** Bind flag: force copy mode. */
    public static final int XDP_COPY = 2;
    /** Bind flag: force zero-copy mode. */
    public static final int XDP_ZEROCOPY = 4;
    /** Bind flag: use the need-wakeup flag. */
    public static final int XDP_USE_NEED_WAKEUP = 8;
    /** mmap offset of the RX ring. */
    public static final long XDP_PGOFF_RX_RING = 0L;
    /** mmap offset of the TX ring. */
    public static final long XDP_PGOFF_TX_RING = 0x80000000L;
    /** mmap offset of the fill ring. */
    public static final long XDP_UMEM_PGOFF_FILL_RING = 0x100000000L;
    /** mmap offset of the completion ring. */
    public static final long XDP_UMEM_PGOFF_COMPLETION_RING = 0x180000000L;

    // Message flags.
    /** Peek without removing. */
    public static final int MSG_PEEK = 0x2;
    /** Control data was truncated. */
    public static final int MSG_CTRUNC = 0x8;
    /** Datagram was truncated / return the real length. */
    public static final int MSG_TRUNC = 0x20;
    /** Non-blocking for this call. */
    public static final int MSG_DONTWAIT = 0x40;

    private static final int F_GETFL = 3;
    private static final int F_SETFL = 4;
    private static final int O_NONBLOCK = 0x800;
    private static final int SCRATCH = 256;
    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final int domain;
    private final int type;
    private final int protocol;
    private final Arena arena;
    private final MemorySegment scratch;
    private final MessageHeader sendHeader;
    private volatile int fd;
    private String device;

    private LinuxSocket(int fd, int domain, int type, int protocol) {
        this.fd = fd;
        this.domain = domain;
        this.type = type;
        this.protocol = protocol;
        this.arena = Arena.ofShared();
        this.scratch = arena.allocate(SCRATCH, 8);
        this.sendHeader = new MessageHeader();
    }

    /**
     * Opens {@code socket(domain, type | SOCK_CLOEXEC, protocol)} in the calling thread's network namespace.
     * {@code protocol} is passed as is (AF_PACKET wants network byte order: use {@link #packet(int)}).
     */
    public static LinuxSocket open(int domain, int type, int protocol) {
        int fd = Libc.socket(domain, type | SOCK_CLOEXEC, protocol);
        if (fd < 0) {
            throw NativeException.last("socket", describe(domain, type, protocol, -1));
        }
        return new LinuxSocket(fd, domain, type & 0xff, protocol);
    }

    /** A raw IPv4 socket for {@code protocol} (e.g. {@link #IPPROTO_VRRP}, {@link #IPPROTO_ICMP}). */
    public static LinuxSocket rawIpv4(int protocol) {
        return open(AF_INET, SOCK_RAW, protocol);
    }

    /** A raw IPv6 socket for {@code protocol} (e.g. {@link #IPPROTO_VRRP}, {@link #IPPROTO_ICMPV6}). */
    public static LinuxSocket rawIpv6(int protocol) {
        return open(AF_INET6, SOCK_RAW, protocol);
    }

    /** A {@code SOCK_RAW} AF_PACKET socket receiving {@code etherType} (host order, e.g. {@link #ETH_P_ALL}). */
    public static LinuxSocket packet(int etherType) {
        return open(AF_PACKET, SOCK_RAW, Short.toUnsignedInt(Short.reverseBytes((short) etherType)));
    }

    /** A netlink socket of {@code protocol} (e.g. {@link #NETLINK_ROUTE}). */
    public static LinuxSocket netlink(int protocol) {
        return open(AF_NETLINK, SOCK_RAW, protocol);
    }

    /** An AF_XDP socket. */
    public static LinuxSocket xdp() {
        return open(AF_XDP, SOCK_RAW, 0);
    }

    /** The file descriptor, for {@link PollSet}; -1 once closed. */
    public int fd() {
        return fd;
    }

    /** Whether the socket is still open. */
    public boolean isOpen() {
        return fd >= 0;
    }

    /** The address family this socket was opened with. */
    public int domain() {
        return domain;
    }

    private int checkedFd() {
        int f = fd;
        if (f < 0) {
            throw new IllegalStateException("socket is closed: " + this);
        }
        return f;
    }

    private static long nativeAddress(MemorySegment buf, long offset, int length) {
        if (!buf.isNative() && buf.byteSize() != 0) {
            throw new IllegalArgumentException("buffer must be a native segment");
        }
        Objects.checkFromIndexSize(offset, length, buf.byteSize());
        return buf.address() + offset;
    }

    /** Binds to {@code address}. */
    public void bind(SockAddr address) {
        if (Libc.bind(checkedFd(), address.address(), address.length()) != 0) {
            throw NativeException.last("bind", this + " to " + address);
        }
        Reference.reachabilityFence(address);
    }

    /** Connects (sets the default destination) to {@code address}. */
    public void connect(SockAddr address) {
        if (Libc.connect(checkedFd(), address.address(), address.length()) != 0) {
            throw NativeException.last("connect", this + " to " + address);
        }
        Reference.reachabilityFence(address);
    }

    /** Writes the socket's own address into {@code into} ({@code getsockname}); returns it. */
    public SockAddr localAddress(SockAddr into) {
        if (Libc.getsockname(checkedFd(), into.address(), into.prepareLengthCell()) != 0) {
            throw NativeException.last("getsockname", toString());
        }
        into.readLengthCell();
        return into;
    }

    /** Sets an int option ({@code setsockopt(fd, level, option, &value, 4)}). */
    public void setInt(int level, int option, int value) {
        scratch.set(I, 0, value);
        if (Libc.setsockopt(checkedFd(), level, option, scratch.address(), 4) != 0) {
            throw NativeException.last("setsockopt(" + optionName(level, option) + ")", this + " value " + value);
        }
    }

    /** Reads an int option. */
    public int getInt(int level, int option) {
        scratch.set(I, 0, 0);
        scratch.set(I, 8, 4);
        if (Libc.getsockopt(checkedFd(), level, option, scratch.address(), scratch.address() + 8) != 0) {
            throw NativeException.last("getsockopt(" + optionName(level, option) + ")", toString());
        }
        return scratch.get(I, 0);
    }

    /** Sets an option from raw native bytes ({@code value.byteSize()} bytes). */
    public void setOption(int level, int option, MemorySegment value) {
        long addr = nativeAddress(value, 0, (int) value.byteSize());
        if (Libc.setsockopt(checkedFd(), level, option, addr, (int) value.byteSize()) != 0) {
            throw NativeException.last("setsockopt(" + optionName(level, option) + ")", toString());
        }
        Reference.reachabilityFence(value);
    }

    /** Sets an option from a byte array (copied; at most 248 bytes). */
    public void setOption(int level, int option, byte[] value) {
        if (value.length > SCRATCH - 8) {
            throw new IllegalArgumentException("option value too long: " + value.length);
        }
        MemorySegment.copy(value, 0, scratch, ValueLayout.JAVA_BYTE, 0, value.length);
        if (Libc.setsockopt(checkedFd(), level, option, scratch.address(), value.length) != 0) {
            throw NativeException.last("setsockopt(" + optionName(level, option) + ")", toString());
        }
    }

    /** Reads an option into {@code out} (native); returns the length the kernel wrote. */
    public int getOption(int level, int option, MemorySegment out) {
        long addr = nativeAddress(out, 0, (int) out.byteSize());
        scratch.set(I, 0, (int) out.byteSize());
        if (Libc.getsockopt(checkedFd(), level, option, addr, scratch.address()) != 0) {
            throw NativeException.last("getsockopt(" + optionName(level, option) + ")", toString());
        }
        Reference.reachabilityFence(out);
        return scratch.get(I, 0);
    }

    /** Binds the socket to a device ({@code SO_BINDTODEVICE}); an empty name unbinds. */
    public void bindToDevice(String ifname) {
        byte[] name = ifname.getBytes(StandardCharsets.US_ASCII);
        if (name.length >= 16) {
            throw new IllegalArgumentException("interface name too long: " + ifname);
        }
        scratch.asSlice(0, 16).fill((byte) 0);
        MemorySegment.copy(name, 0, scratch, ValueLayout.JAVA_BYTE, 0, name.length);
        if (Libc.setsockopt(checkedFd(), SOL_SOCKET, SO_BINDTODEVICE, scratch.address(), name.length + 1) != 0) {
            throw NativeException.last("setsockopt(SO_BINDTODEVICE)", this + " device " + ifname);
        }
        device = ifname.isEmpty() ? null : ifname;
    }

    private void mreqn(int option, String what, int group, int ifindex) {
        scratch.set(BE32, 0, group);
        scratch.set(I, 4, 0);
        scratch.set(I, 8, ifindex);
        if (Libc.setsockopt(checkedFd(), IPPROTO_IP, option, scratch.address(), 12) != 0) {
            throw NativeException.last("setsockopt(" + what + ")",
                    this + " group " + ipv4(group) + " ifindex " + ifindex);
        }
    }

    /** Joins IPv4 multicast {@code group} (host-order int, 224.0.0.18 = 0xe0000012) on {@code ifindex}. */
    public void joinGroup4(int group, int ifindex) {
        mreqn(IP_ADD_MEMBERSHIP, "IP_ADD_MEMBERSHIP", group, ifindex);
    }

    /** Leaves IPv4 multicast {@code group} on {@code ifindex}. */
    public void leaveGroup4(int group, int ifindex) {
        mreqn(IP_DROP_MEMBERSHIP, "IP_DROP_MEMBERSHIP", group, ifindex);
    }

    /** Sends IPv4 multicast out of {@code ifindex} ({@code IP_MULTICAST_IF} with ip_mreqn). */
    public void multicastInterface4(int ifindex) {
        scratch.set(I, 0, 0);
        scratch.set(I, 4, 0);
        scratch.set(I, 8, ifindex);
        if (Libc.setsockopt(checkedFd(), IPPROTO_IP, IP_MULTICAST_IF, scratch.address(), 12) != 0) {
            throw NativeException.last("setsockopt(IP_MULTICAST_IF)", this + " ifindex " + ifindex);
        }
    }

    private void ipv6Mreq(int option, String what, byte[] group, int ifindex) {
        if (group.length != 16) {
            throw new IllegalArgumentException("IPv6 group must be 16 bytes");
        }
        MemorySegment.copy(group, 0, scratch, ValueLayout.JAVA_BYTE, 0, 16);
        scratch.set(I, 16, ifindex);
        if (Libc.setsockopt(checkedFd(), IPPROTO_IPV6, option, scratch.address(), 20) != 0) {
            throw NativeException.last("setsockopt(" + what + ")", this + " ifindex " + ifindex);
        }
    }

    /** Joins IPv6 multicast {@code group} (16 bytes, e.g. ff02::12) on {@code ifindex}. */
    public void joinGroup6(byte[] group, int ifindex) {
        ipv6Mreq(IPV6_JOIN_GROUP, "IPV6_JOIN_GROUP", group, ifindex);
    }

    /** Leaves IPv6 multicast {@code group} on {@code ifindex}. */
    public void leaveGroup6(byte[] group, int ifindex) {
        ipv6Mreq(IPV6_LEAVE_GROUP, "IPV6_LEAVE_GROUP", group, ifindex);
    }

    /**
     * Attaches a classic BPF filter ({@code SO_ATTACH_FILTER}): {@code instructions} holds {@code count} 8-byte
     * {@code struct sock_filter} entries (native memory, kept alive by the caller until this returns).
     */
    public void attachClassicFilter(MemorySegment instructions, int count) {
        long addr = nativeAddress(instructions, 0, count * 8);
        scratch.asSlice(0, 16).fill((byte) 0);
        scratch.set(ValueLayout.JAVA_SHORT_UNALIGNED, 0, (short) count);
        scratch.set(ValueLayout.JAVA_LONG_UNALIGNED, 8, addr);
        if (Libc.setsockopt(checkedFd(), SOL_SOCKET, SO_ATTACH_FILTER, scratch.address(), 16) != 0) {
            throw NativeException.last("setsockopt(SO_ATTACH_FILTER)", this + " " + count + " instructions");
        }
        Reference.reachabilityFence(instructions);
    }

    /**
     * Adds a packet-socket membership ({@code PACKET_ADD_MEMBERSHIP} with {@code struct packet_mreq}) on
     * {@code ifindex}, e.g. {@link #PACKET_MR_PROMISC}; dropped automatically when the socket closes.
     */
    public void addPacketMembership(int ifindex, int type) {
        scratch.asSlice(0, 16).fill((byte) 0);
        scratch.set(I, 0, ifindex);
        scratch.set(ValueLayout.JAVA_SHORT_UNALIGNED, 4, (short) type);
        if (Libc.setsockopt(checkedFd(), SOL_PACKET, PACKET_ADD_MEMBERSHIP, scratch.address(), 16) != 0) {
            throw NativeException.last("setsockopt(PACKET_ADD_MEMBERSHIP)", this + " ifindex " + ifindex);
        }
    }

    /**
     * Sets the receive buffer with {@code SO_RCVBUFFORCE} (beyond {@code rmem_max}; needs CAP_NET_ADMIN) and returns
     * the size the kernel granted (as {@code SO_RCVBUF} reports it, twice the request). Throws when forcing fails, so the
     * caller can fall back to {@link #SO_RCVBUF} and warn.
     */
    public int forceReceiveBuffer(int bytes) {
        setInt(SOL_SOCKET, SO_RCVBUFFORCE, bytes);
        return getInt(SOL_SOCKET, SO_RCVBUF);
    }

    /** Sets or clears {@code O_NONBLOCK}. */
    public void nonBlocking(boolean on) {
        int f = checkedFd();
        int flags = Libc.fcntl(f, F_GETFL, 0);
        if (flags < 0) {
            throw NativeException.last("fcntl(F_GETFL)", toString());
        }
        int next = on ? flags | O_NONBLOCK : flags & ~O_NONBLOCK;
        if (Libc.fcntl(f, F_SETFL, next) < 0) {
            throw NativeException.last("fcntl(F_SETFL)", toString());
        }
    }

    /**
     * Sends {@code length} bytes of {@code buf} at {@code offset} to {@code dest} ({@code null}: connected peer).
     * Returns bytes sent, or -1 when a non-blocking socket would block.
     */
    public int sendTo(MemorySegment buf, long offset, int length, SockAddr dest) {
        return sendTo(buf, offset, length, 0, dest);
    }

    /** Like {@link #sendTo(MemorySegment, long, int, SockAddr)} with {@code flags} ({@link #MSG_DONTWAIT}...). */
    public int sendTo(MemorySegment buf, long offset, int length, int flags, SockAddr dest) {
        long addr = nativeAddress(buf, offset, length);
        int f = checkedFd();
        long n;
        do {
            n = dest == null ? Libc.sendto(f, addr, length, flags, 0L, 0)
                    : Libc.sendto(f, addr, length, flags, dest.address(), dest.length());
        } while (n < 0 && Libc.errno() == Errno.EINTR);
        Reference.reachabilityFence(buf);
        Reference.reachabilityFence(dest);
        if (n < 0) {
            return failIo("sendto", dest);
        }
        return (int) n;
    }

    /**
     * Sends with {@code sendmsg}, adding the outgoing ancillary data set on {@code header} (pktinfo, hop limit).
     * Returns bytes sent, or -1 when a non-blocking socket would block.
     */
    public int sendMsg(MemorySegment buf, long offset, int length, SockAddr dest, MessageHeader header) {
        long addr = nativeAddress(buf, offset, length);
        int f = checkedFd();
        long msg = header.prepareSend(addr, length, dest);
        long n;
        do {
            n = Libc.sendmsg(f, msg, 0);
        } while (n < 0 && Libc.errno() == Errno.EINTR);
        Reference.reachabilityFence(buf);
        Reference.reachabilityFence(dest);
        Reference.reachabilityFence(header);
        if (n < 0) {
            return failIo("sendmsg", dest);
        }
        return (int) n;
    }

    /** Receives one datagram into {@code buf}; returns its length (cut to {@code length}) or -1 if it would block. */
    public int recv(MemorySegment buf, long offset, int length) {
        return recvFrom(buf, offset, length, null);
    }

    /**
     * Receives one datagram and writes the sender into {@code from} (may be {@code null}). Returns the datagram length
     * (cut to {@code length}) or -1 if it would block.
     */
    public int recvFrom(MemorySegment buf, long offset, int length, SockAddr from) {
        long addr = nativeAddress(buf, offset, length);
        int f = checkedFd();
        long n;
        do {
            n = from == null ? Libc.recvfrom(f, addr, length, 0, 0L, 0L)
                    : Libc.recvfrom(f, addr, length, 0, from.address(), from.prepareLengthCell());
        } while (n < 0 && Libc.errno() == Errno.EINTR);
        Reference.reachabilityFence(buf);
        if (n < 0) {
            return failIo("recvfrom", null);
        }
        if (from != null) {
            from.readLengthCell();
        }
        return (int) n;
    }

    /**
     * Receives one datagram with {@code recvmsg}; {@code header} gets the source address and the ancillary data (hop
     * limit, pktinfo ifindex and destination). Returns the length or -1 if it would block.
     */
    public int recvMsg(MemorySegment buf, long offset, int length, MessageHeader header) {
        long addr = nativeAddress(buf, offset, length);
        int f = checkedFd();
        long msg = header.prepareReceive(addr, length);
        long n;
        do {
            n = Libc.recvmsg(f, msg, 0);
        } while (n < 0 && Libc.errno() == Errno.EINTR);
        Reference.reachabilityFence(buf);
        if (n < 0) {
            return failIo("recvmsg", null);
        }
        header.completeReceive();
        return (int) n;
    }

    private int failIo(String call, SockAddr peer) {
        int errno = Libc.errno();
        if (errno == Errno.EAGAIN) {
            return -1;
        }
        throw new NativeException(call, errno, peer == null ? toString() : this + " to " + peer);
    }

    /**
     * Maps {@code length} bytes of this socket's kernel memory at {@code offset} (AF_XDP rings, PACKET_RX_RING)
     * shared, read-write and populated. Release with {@link Mmap#unmap(MemorySegment)}.
     */
    public MemorySegment mmap(long length, long offset) {
        return Mmap.map(length, Mmap.PROT_READ | Mmap.PROT_WRITE, Mmap.MAP_SHARED | Mmap.MAP_POPULATE,
                checkedFd(), offset, toString());
    }

    /** Calls {@code ioctl(fd, request, arg)} with a native argument; returns the non-negative result. */
    public int ioctl(long request, MemorySegment arg) {
        long addr = arg.byteSize() == 0 ? arg.address() : nativeAddress(arg, 0, (int) arg.byteSize());
        int r = Libc.ioctl(checkedFd(), request, addr);
        Reference.reachabilityFence(arg);
        if (r < 0) {
            throw NativeException.last("ioctl(0x" + Long.toHexString(request) + ")", toString());
        }
        return r;
    }

    /** Closes the descriptor (idempotent). */
    @Override
    public void close() {
        int f = fd;
        if (f < 0) {
            return;
        }
        fd = -1;
        Libc.close(f);
        arena.close();
    }

    @Override
    public String toString() {
        String s = describe(domain, type, protocol, fd);
        return device == null ? s : s + " on " + device;
    }

    private static String describe(int domain, int type, int protocol, int fd) {
        String fam = switch (domain) {
            case AF_INET -> "AF_INET";
            case AF_INET6 -> "AF_INET6";
            case AF_NETLINK -> "AF_NETLINK";
            case AF_PACKET -> "AF_PACKET";
            case AF_XDP -> "AF_XDP";
            default -> "family " + domain;
        };
        String ty = switch (type & 0xff) {
            case SOCK_STREAM -> "SOCK_STREAM";
            case SOCK_DGRAM -> "SOCK_DGRAM";
            case SOCK_RAW -> "SOCK_RAW";
            default -> "type " + type;
        };
        String proto = domain == AF_PACKET
                ? "0x" + Integer.toHexString(Short.toUnsignedInt(Short.reverseBytes((short) protocol)))
                : Integer.toString(protocol);
        return (fd >= 0 ? "socket fd " + fd + " (" : "socket (") + fam + " " + ty + " protocol " + proto + ")";
    }

    private static String ipv4(int a) {
        return (a >>> 24) + "." + ((a >>> 16) & 0xff) + "." + ((a >>> 8) & 0xff) + "." + (a & 0xff);
    }

    /** A readable name for a socket option, for error messages ({@code "IP_ADD_MEMBERSHIP"}). */
    static String optionName(int level, int option) {
        String n = switch (level) {
            case SOL_SOCKET -> switch (option) {
                case SO_REUSEADDR -> "SO_REUSEADDR";
                case SO_BROADCAST -> "SO_BROADCAST";
                case SO_SNDBUF -> "SO_SNDBUF";
                case SO_RCVBUF -> "SO_RCVBUF";
                case SO_PRIORITY -> "SO_PRIORITY";
                case SO_BINDTODEVICE -> "SO_BINDTODEVICE";
                case SO_ATTACH_FILTER -> "SO_ATTACH_FILTER";
                case SO_SNDBUFFORCE -> "SO_SNDBUFFORCE";
                case SO_RCVBUFFORCE -> "SO_RCVBUFFORCE";
                case SO_MARK -> "SO_MARK";
                case SO_BUSY_POLL -> "SO_BUSY_POLL";
                default -> null;
            };
            case IPPROTO_IP -> switch (option) {
                case IP_TOS -> "IP_TOS";
                case IP_TTL -> "IP_TTL";
                case IP_HDRINCL -> "IP_HDRINCL";
                case IP_PKTINFO -> "IP_PKTINFO";
                case IP_RECVTTL -> "IP_RECVTTL";
                case IP_FREEBIND -> "IP_FREEBIND";
                case IP_MULTICAST_IF -> "IP_MULTICAST_IF";
                case IP_MULTICAST_TTL -> "IP_MULTICAST_TTL";
                case IP_MULTICAST_LOOP -> "IP_MULTICAST_LOOP";
                case IP_ADD_MEMBERSHIP -> "IP_ADD_MEMBERSHIP";
                case IP_DROP_MEMBERSHIP -> "IP_DROP_MEMBERSHIP";
                case IP_MULTICAST_ALL -> "IP_MULTICAST_ALL";
                default -> null;
            };
            case IPPROTO_IPV6 -> switch (option) {
                case IPV6_CHECKSUM -> "IPV6_CHECKSUM";
                case IPV6_UNICAST_HOPS -> "IPV6_UNICAST_HOPS";
                case IPV6_MULTICAST_IF -> "IPV6_MULTICAST_IF";
                case IPV6_MULTICAST_HOPS -> "IPV6_MULTICAST_HOPS";
                case IPV6_MULTICAST_LOOP -> "IPV6_MULTICAST_LOOP";
                case IPV6_JOIN_GROUP -> "IPV6_JOIN_GROUP";
                case IPV6_LEAVE_GROUP -> "IPV6_LEAVE_GROUP";
                case IPV6_V6ONLY -> "IPV6_V6ONLY";
                case IPV6_MULTICAST_ALL -> "IPV6_MULTICAST_ALL";
                case IPV6_RECVPKTINFO -> "IPV6_RECVPKTINFO";
                case IPV6_RECVHOPLIMIT -> "IPV6_RECVHOPLIMIT";
                default -> null;
            };
            case SOL_PACKET -> switch (option) {
                case PACKET_ADD_MEMBERSHIP -> "PACKET_ADD_MEMBERSHIP";
                case PACKET_DROP_MEMBERSHIP -> "PACKET_DROP_MEMBERSHIP";
                case PACKET_RX_RING -> "PACKET_RX_RING";
                case PACKET_STATISTICS -> "PACKET_STATISTICS";
                case PACKET_VERSION -> "PACKET_VERSION";
                case PACKET_RESERVE -> "PACKET_RESERVE";
                case PACKET_TX_RING -> "PACKET_TX_RING";
                case PACKET_FANOUT -> "PACKET_FANOUT";
                case PACKET_QDISC_BYPASS -> "PACKET_QDISC_BYPASS";
                case PACKET_IGNORE_OUTGOING -> "PACKET_IGNORE_OUTGOING";
                default -> null;
            };
            case SOL_NETLINK -> switch (option) {
                case NETLINK_ADD_MEMBERSHIP -> "NETLINK_ADD_MEMBERSHIP";
                case NETLINK_DROP_MEMBERSHIP -> "NETLINK_DROP_MEMBERSHIP";
                case NETLINK_BROADCAST_ERROR -> "NETLINK_BROADCAST_ERROR";
                case NETLINK_NO_ENOBUFS -> "NETLINK_NO_ENOBUFS";
                case NETLINK_CAP_ACK -> "NETLINK_CAP_ACK";
                case NETLINK_EXT_ACK -> "NETLINK_EXT_ACK";
                case NETLINK_GET_STRICT_CHK -> "NETLINK_GET_STRICT_CHK";
                default -> null;
            };
            case SOL_XDP -> switch (option) {
                case XDP_MMAP_OFFSETS -> "XDP_MMAP_OFFSETS";
                case XDP_RX_RING -> "XDP_RX_RING";
                case XDP_TX_RING -> "XDP_TX_RING";
                case XDP_UMEM_REG -> "XDP_UMEM_REG";
                case XDP_UMEM_FILL_RING -> "XDP_UMEM_FILL_RING";
                case XDP_UMEM_COMPLETION_RING -> "XDP_UMEM_COMPLETION_RING";
                case XDP_STATISTICS -> "XDP_STATISTICS";
                case XDP_OPTIONS -> "XDP_OPTIONS";
                default -> null;
            };
            default -> null;
        };
        return n != null ? n : "level " + level + " option " + option;
    }
}

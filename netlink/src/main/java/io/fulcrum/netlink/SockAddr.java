package io.fulcrum.netlink;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;

/**
 * A reusable native socket address ({@code struct sockaddr_storage}, 128 bytes) for bind, sendto and recvfrom.
 *
 * <p>Builders make one for {@code sockaddr_in}, {@code sockaddr_in6}, {@code sockaddr_ll}, {@code sockaddr_nl} and
 * {@code sockaddr_xdp}; the {@code set*} methods rewrite it in place so a packet path can reuse one instance without
 * allocating. Not thread-safe: confine an instance to one thread. Memory is released when the instance is unreachable.
 */
public final class SockAddr {

    /** Capacity of the storage, {@code sizeof(struct sockaddr_storage)}. */
    public static final int CAPACITY = 128;

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final MemorySegment storage;
    /** Holds the address length as a {@code socklen_t} for calls that write it back. */
    private final MemorySegment lengthCell;
    private int length;

    /** Creates an empty (AF_UNSPEC) address. */
    public SockAddr() {
        Arena arena = Arena.ofAuto();
        this.storage = arena.allocate(CAPACITY, 8);
        this.lengthCell = arena.allocate(4, 4);
    }

    /** An IPv4 address and port ({@code sockaddr_in}); {@code address} is 4 bytes in network order. */
    public static SockAddr inet4(byte[] address, int port) {
        return new SockAddr().setInet4(address, port);
    }

    /** An IPv4 address in host int form ({@code 0xe0000012} = 224.0.0.18) and port. */
    public static SockAddr inet4(int address, int port) {
        return new SockAddr().setInet4(address, port);
    }

    /** An IPv6 address, port and scope id ({@code sockaddr_in6}); {@code address} is 16 bytes. */
    public static SockAddr inet6(byte[] address, int port, int scopeId) {
        return new SockAddr().setInet6(address, port, scopeId);
    }

    /** An IPv4 or IPv6 address from a Java address, port and (for IPv6) scope id. */
    public static SockAddr of(InetAddress address, int port, int scopeId) {
        return address instanceof Inet6Address
                ? inet6(address.getAddress(), port, scopeId) : inet4(address.getAddress(), port);
    }

    /**
     * A link-layer address ({@code sockaddr_ll}) for AF_PACKET bind/sendto: the EtherType in host order (e.g.
     * {@link LinuxSocket#ETH_P_ALL}), the interface index and an optional destination MAC ({@code null} for none).
     */
    public static SockAddr packet(int etherType, int ifindex, byte[] mac) {
        return new SockAddr().setPacket(etherType, ifindex, mac);
    }

    /** A netlink address ({@code sockaddr_nl}): port id (0 = kernel / let the kernel choose) and group bitmask. */
    public static SockAddr netlink(int portId, int groups) {
        return new SockAddr().setNetlink(portId, groups);
    }

    /** An AF_XDP address ({@code sockaddr_xdp}): bind flags, interface index, queue id and shared UMEM fd. */
    public static SockAddr xdp(int flags, int ifindex, int queueId, int sharedUmemFd) {
        return new SockAddr().setXdp(flags, ifindex, queueId, sharedUmemFd);
    }

    private void clear(int len) {
        for (long off = 0; off < 32; off += 8) { // covers every family's fields; no slice allocated
            storage.set(ValueLayout.JAVA_LONG_UNALIGNED, off, 0L);
        }
        length = len;
    }

    /** Rewrites this as {@code sockaddr_in}; returns this. */
    public SockAddr setInet4(byte[] address, int port) {
        if (address.length != 4) {
            throw new IllegalArgumentException("IPv4 address must be 4 bytes, got " + address.length);
        }
        clear(16);
        storage.set(U16, 0, (short) LinuxSocket.AF_INET);
        storage.set(BE16, 2, (short) port);
        MemorySegment.copy(address, 0, storage, ValueLayout.JAVA_BYTE, 4, 4);
        return this;
    }

    /** Rewrites this as {@code sockaddr_in} from an address in host int form ({@code 0x0a000001} = 10.0.0.1). */
    public SockAddr setInet4(int address, int port) {
        clear(16);
        storage.set(U16, 0, (short) LinuxSocket.AF_INET);
        storage.set(BE16, 2, (short) port);
        storage.set(BE32, 4, address);
        return this;
    }

    /** Rewrites this as {@code sockaddr_in6}; returns this. */
    public SockAddr setInet6(byte[] address, int port, int scopeId) {
        if (address.length != 16) {
            throw new IllegalArgumentException("IPv6 address must be 16 bytes, got " + address.length);
        }
        clear(28);
        storage.set(U16, 0, (short) LinuxSocket.AF_INET6);
        storage.set(BE16, 2, (short) port);
        MemorySegment.copy(address, 0, storage, ValueLayout.JAVA_BYTE, 8, 16);
        storage.set(U32, 24, scopeId);
        return this;
    }

    /** Rewrites this as {@code sockaddr_ll}; returns this. */
    public SockAddr setPacket(int etherType, int ifindex, byte[] mac) {
        clear(20);
        storage.set(U16, 0, (short) LinuxSocket.AF_PACKET);
        storage.set(BE16, 2, (short) etherType);
        storage.set(U32, 4, ifindex);
        if (mac != null) {
            if (mac.length > 8) {
                throw new IllegalArgumentException("hardware address longer than 8 bytes");
            }
            storage.set(ValueLayout.JAVA_BYTE, 11, (byte) mac.length);
            MemorySegment.copy(mac, 0, storage, ValueLayout.JAVA_BYTE, 12, mac.length);
        }
        return this;
    }

    /** Rewrites this as {@code sockaddr_nl}; returns this. */
    public SockAddr setNetlink(int portId, int groups) {
        clear(12);
        storage.set(U16, 0, (short) LinuxSocket.AF_NETLINK);
        storage.set(U32, 4, portId);
        storage.set(U32, 8, groups);
        return this;
    }

    /** Rewrites this as {@code sockaddr_xdp}; returns this. */
    public SockAddr setXdp(int flags, int ifindex, int queueId, int sharedUmemFd) {
        clear(16);
        storage.set(U16, 0, (short) LinuxSocket.AF_XDP);
        storage.set(U16, 2, (short) flags);
        storage.set(U32, 4, ifindex);
        storage.set(U32, 8, queueId);
        storage.set(U32, 12, sharedUmemFd);
        return this;
    }

    /** The native storage (128 bytes); fields can be read or written directly by advanced callers. */
    public MemorySegment segment() {
        return storage;
    }

    /** The address length in use ({@code socklen_t}). */
    public int length() {
        return length;
    }

    /** Sets the length after the storage was filled by a call. */
    void length(int len) {
        this.length = len;
    }

    /** Prepares the length cell for a call that writes an address back; returns its native address. */
    long prepareLengthCell() {
        lengthCell.set(U32, 0, CAPACITY);
        return lengthCell.address();
    }

    /** Reads back the length a call wrote into the length cell. */
    void readLengthCell() {
        length = Math.min(lengthCell.get(U32, 0), CAPACITY);
    }

    long address() {
        return storage.address();
    }

    /** The address family ({@code AF_INET}, {@code AF_INET6}, {@code AF_PACKET}, ...), 0 when empty. */
    public int family() {
        return length == 0 ? 0 : Short.toUnsignedInt(storage.get(U16, 0));
    }

    /** The port (inet/inet6) in host order; for AF_PACKET the EtherType. */
    public int port() {
        return Short.toUnsignedInt(storage.get(BE16, 2));
    }

    /** The IPv4 address as an int in host order ({@code 10.0.0.1 = 0x0a000001}); only for AF_INET. */
    public int inet4() {
        return storage.get(BE32, 4);
    }

    /** Copies the raw IP address (4 or 16 bytes) into {@code dst} at {@code offset}; returns its length. */
    public int copyIp(byte[] dst, int offset) {
        int fam = family();
        if (fam == LinuxSocket.AF_INET) {
            MemorySegment.copy(storage, ValueLayout.JAVA_BYTE, 4, dst, offset, 4);
            return 4;
        }
        if (fam == LinuxSocket.AF_INET6) {
            MemorySegment.copy(storage, ValueLayout.JAVA_BYTE, 8, dst, offset, 16);
            return 16;
        }
        throw new IllegalStateException("not an IP address: family " + fam);
    }

    /** The IPv6 scope id; only for AF_INET6. */
    public int scopeId() {
        return storage.get(U32, 24);
    }

    /** The interface index (AF_PACKET {@code sll_ifindex}, AF_XDP {@code sxdp_ifindex}). */
    public int ifindex() {
        return storage.get(U32, 4);
    }

    /** The netlink port id (AF_NETLINK {@code nl_pid}). */
    public int netlinkPortId() {
        return storage.get(U32, 4);
    }

    /** The IP address as a Java address (allocates; not for packet paths). */
    public InetAddress toInetAddress() {
        int fam = family();
        byte[] raw = new byte[fam == LinuxSocket.AF_INET6 ? 16 : 4];
        copyIp(raw, 0);
        try {
            if (fam == LinuxSocket.AF_INET6 && scopeId() != 0) {
                return Inet6Address.getByAddress(null, raw, scopeId());
            }
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        int fam = family();
        return switch (fam) {
            case LinuxSocket.AF_INET, LinuxSocket.AF_INET6 -> {
                String ip = toInetAddress().getHostAddress();
                yield fam == LinuxSocket.AF_INET6 ? "[" + ip + "]:" + port() : ip + ":" + port();
            }
            case LinuxSocket.AF_PACKET -> "ll(ifindex " + ifindex() + ", proto 0x" + Integer.toHexString(port()) + ")";
            case LinuxSocket.AF_NETLINK -> "nl(pid " + netlinkPortId() + ")";
            case LinuxSocket.AF_XDP -> "xdp(ifindex " + ifindex() + ", queue " + storage.get(U32, 8) + ")";
            default -> "sockaddr(family " + fam + ")";
        };
    }
}

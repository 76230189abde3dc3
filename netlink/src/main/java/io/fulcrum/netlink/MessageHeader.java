package io.fulcrum.netlink;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A reusable native {@code struct msghdr} for {@link LinuxSocket#recvMsg} and {@link LinuxSocket#sendMsg}: the peer
 * address, the control (ancillary data) buffer and, after a receive, the parsed ancillary values.
 *
 * <p>After {@code recvMsg} this holds the source address ({@link #source()}), the hop limit / TTL
 * ({@code IPV6_HOPLIMIT} with {@code IPV6_RECVHOPLIMIT}, {@code IP_TTL} with {@code IP_RECVTTL}), the arrival interface
 * and destination address ({@code IPV6_PKTINFO} / {@code IP_PKTINFO}) and the {@code msg_flags}. Nothing is allocated
 * per call. Not thread-safe: confine an instance to one thread.
 */
public final class MessageHeader {

    /** Size of the control buffer in bytes. */
    public static final int CONTROL_CAPACITY = 256;

    private static final ValueLayout.OfLong J = ValueLayout.JAVA_LONG;
    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT_UNALIGNED;

    private static final int MSG_NAME = 0;
    private static final int MSG_NAMELEN = 8;
    private static final int MSG_IOV = 16;
    private static final int MSG_IOVLEN = 24;
    private static final int MSG_CONTROL = 32;
    private static final int MSG_CONTROLLEN = 40;
    private static final int MSG_FLAGS = 48;
    private static final int IOV = 64;
    private static final int CONTROL = 128;
    private static final int CMSG_HDR = 16;

    private final MemorySegment mem;
    private final SockAddr source = new SockAddr();
    private final byte[] destination = new byte[16];
    private int destinationLength;
    private int hopLimit = -1;
    private int ifindex = -1;
    private int flags;
    private int outgoingControlLength;

    /** Creates a header with its own native memory, released when unreachable. */
    public MessageHeader() {
        mem = Arena.ofAuto().allocate(CONTROL + CONTROL_CAPACITY, 8);
    }

    long prepareReceive(long buf, int len) {
        mem.set(J, MSG_NAME, source.address());
        mem.set(I, MSG_NAMELEN, SockAddr.CAPACITY);
        mem.set(J, MSG_IOV, mem.address() + IOV);
        mem.set(J, MSG_IOVLEN, 1L);
        mem.set(J, MSG_CONTROL, mem.address() + CONTROL);
        mem.set(J, MSG_CONTROLLEN, CONTROL_CAPACITY);
        mem.set(I, MSG_FLAGS, 0);
        mem.set(J, IOV, buf);
        mem.set(J, IOV + 8, len);
        return mem.address();
    }

    long prepareSend(long buf, int len, SockAddr dest) {
        mem.set(J, MSG_NAME, dest == null ? 0L : dest.address());
        mem.set(I, MSG_NAMELEN, dest == null ? 0 : dest.length());
        mem.set(J, MSG_IOV, mem.address() + IOV);
        mem.set(J, MSG_IOVLEN, 1L);
        mem.set(J, MSG_CONTROL, outgoingControlLength == 0 ? 0L : mem.address() + CONTROL);
        mem.set(J, MSG_CONTROLLEN, outgoingControlLength);
        mem.set(I, MSG_FLAGS, 0);
        mem.set(J, IOV, buf);
        mem.set(J, IOV + 8, len);
        return mem.address();
    }

    /** Parses what the kernel wrote after a successful receive. */
    void completeReceive() {
        source.length(mem.get(I, MSG_NAMELEN));
        flags = mem.get(I, MSG_FLAGS);
        hopLimit = -1;
        ifindex = -1;
        destinationLength = 0;
        long controlLen = mem.get(J, MSG_CONTROLLEN);
        long off = 0;
        while (off + CMSG_HDR <= controlLen) {
            long cmsgLen = mem.get(J, CONTROL + off);
            if (cmsgLen < CMSG_HDR || off + cmsgLen > controlLen) {
                break;
            }
            int level = mem.get(I, CONTROL + off + 8);
            int type = mem.get(I, CONTROL + off + 12);
            long data = CONTROL + off + CMSG_HDR;
            if (level == LinuxSocket.IPPROTO_IPV6 && type == LinuxSocket.IPV6_HOPLIMIT) {
                hopLimit = mem.get(I, data);
            } else if (level == LinuxSocket.IPPROTO_IPV6 && type == LinuxSocket.IPV6_PKTINFO) {
                MemorySegment.copy(mem, ValueLayout.JAVA_BYTE, data, destination, 0, 16);
                destinationLength = 16;
                ifindex = mem.get(I, data + 16);
            } else if (level == LinuxSocket.IPPROTO_IP && type == LinuxSocket.IP_TTL) {
                hopLimit = mem.get(I, data);
            } else if (level == LinuxSocket.IPPROTO_IP && type == LinuxSocket.IP_PKTINFO) {
                ifindex = mem.get(I, data);
                MemorySegment.copy(mem, ValueLayout.JAVA_BYTE, data + 8, destination, 0, 4);
                destinationLength = 4;
            }
            off += (cmsgLen + 7) & ~7L;
        }
    }

    /** The sender's address from the last receive. */
    public SockAddr source() {
        return source;
    }

    /** The hop limit (IPv6) or TTL (IPv4) of the last received packet, or -1 when the socket did not ask for it. */
    public int hopLimit() {
        return hopLimit;
    }

    /** The arrival interface index of the last received packet (from pktinfo), or -1 when not asked for. */
    public int ifindex() {
        return ifindex;
    }

    /** Length (4 or 16) of the destination address copied by {@link #copyDestination}, or 0 when unknown. */
    public int destinationLength() {
        return destinationLength;
    }

    /** Copies the packet's destination address (from pktinfo) to {@code dst}; returns its length (0 if unknown). */
    public int copyDestination(byte[] dst, int offset) {
        System.arraycopy(destination, 0, dst, offset, destinationLength);
        return destinationLength;
    }

    /** The {@code msg_flags} of the last receive ({@link LinuxSocket#MSG_TRUNC}, {@link LinuxSocket#MSG_CTRUNC}). */
    public int flags() {
        return flags;
    }

    /** Whether the last received datagram was longer than the buffer and was cut. */
    public boolean truncated() {
        return (flags & LinuxSocket.MSG_TRUNC) != 0;
    }

    /** Removes all outgoing ancillary data. */
    public MessageHeader clearOutgoing() {
        outgoingControlLength = 0;
        return this;
    }

    /**
     * Adds an outgoing {@code IP_PKTINFO}: send out of {@code ifindex} with source {@code source} (host-order int,
     * 0 for the kernel's choice).
     */
    public MessageHeader outgoingIpv4PacketInfo(int ifindex, int source) {
        long data = addCmsg(LinuxSocket.IPPROTO_IP, LinuxSocket.IP_PKTINFO, 12);
        mem.set(I, data, ifindex);
        mem.set(I, data + 4, Integer.reverseBytes(source));
        mem.set(I, data + 8, 0);
        return this;
    }

    /** Adds an outgoing {@code IPV6_PKTINFO}: send out of {@code ifindex} with {@code source} (16 bytes or null). */
    public MessageHeader outgoingIpv6PacketInfo(int ifindex, byte[] source) {
        long data = addCmsg(LinuxSocket.IPPROTO_IPV6, LinuxSocket.IPV6_PKTINFO, 20);
        if (source != null) {
            MemorySegment.copy(source, 0, mem, ValueLayout.JAVA_BYTE, data, 16);
        }
        mem.set(I, data + 16, ifindex);
        return this;
    }

    /** Adds an outgoing {@code IPV6_HOPLIMIT} for this message only. */
    public MessageHeader outgoingHopLimit(int hops) {
        long data = addCmsg(LinuxSocket.IPPROTO_IPV6, LinuxSocket.IPV6_HOPLIMIT, 4);
        mem.set(I, data, hops);
        return this;
    }

    private long addCmsg(int level, int type, int dataLen) {
        int space = (CMSG_HDR + dataLen + 7) & ~7;
        if (outgoingControlLength + space > CONTROL_CAPACITY) {
            throw new IllegalStateException("control buffer full");
        }
        long off = CONTROL + outgoingControlLength;
        for (long z = 0; z < space; z += 8) {
            mem.set(J, off + z, 0L);
        }
        mem.set(J, off, CMSG_HDR + dataLen);
        mem.set(I, off + 8, level);
        mem.set(I, off + 12, type);
        outgoingControlLength += space;
        return off + CMSG_HDR;
    }
}

package io.fulcrum.dataplane.io.arp;

import io.fulcrum.dataplane.packet.EthernetFlyweight;
import io.fulcrum.dataplane.packet.InternetChecksum;
import io.fulcrum.dataplane.packet.Ipv4Flyweight;
import io.fulcrum.dataplane.packet.NetworkByteOrder;
import java.lang.foreign.MemorySegment;

/**
 * Answers ICMP echo requests (RFC 792) and ICMPv6 echo requests (RFC 4443 §4.1) addressed to an owned VIP or, while any
 * VIP is owned, a FullNAT local address, as DPVS answers ping for its addresses: the request is turned into the reply
 * in place (Ethernet addresses swapped with the port's MAC as source, IP addresses swapped, TTL / hop limit 64, type
 * 0 / 129, checksums updated incrementally; an 802.1Q tag is kept) and sent back out of the port it came in on.
 *
 * <p>Used where the kernel never sees the frame (AF_XDP: the XDP program steers owned addresses to the dataplane).
 * With AF_PACKET the kernel receives its own copy and answers for the addresses it holds, so the I/O layer does not
 * call this there (two answers would be seen as duplicates). Ownership is the {@link ArpNdResponder}'s (the snapshot's
 * owned VIPs), so a BACKUP stays silent. IPv4 fragments, IPv6 with extension headers, IP options aside from the
 * header length, and multicast or broadcast destinations are left alone.
 *
 * <p>Owned by one worker thread; nothing is allocated.
 */
public final class EchoResponder {

    private static final int ICMP = 1;
    private static final int ICMPV6 = 58;
    private static final int ECHO_REQUEST = 8;
    private static final int ECHO_REPLY = 0;
    private static final int V6_ECHO_REQUEST = 128;
    private static final int V6_ECHO_REPLY = 129;
    private static final int TTL = 64;

    private final long[] portMacs;
    private final ArpNdResponder owner;
    private long replies;

    /** A responder for ports with these MACs, answering for what {@code owner} owns. */
    public EchoResponder(long[] portMacs, ArpNdResponder owner) {
        this.portMacs = portMacs.clone();
        this.owner = owner;
    }

    /**
     * Turns an echo request to an owned address at {@code off} ({@code length} bytes, received on {@code port}) into
     * its reply, in place. Returns true when it did (send the frame back out of {@code port}; its length is
     * unchanged), false when the frame is not such a request (left untouched).
     */
    public boolean answer(MemorySegment s, long off, int length, int port) {
        if (length < EthernetFlyweight.HEADER_LENGTH + 28 || port < 0 || port >= portMacs.length) {
            return false;
        }
        long l3 = off + EthernetFlyweight.HEADER_LENGTH;
        int type = NetworkByteOrder.u16(s, off + EthernetFlyweight.TYPE_OFFSET);
        if (type == EthernetFlyweight.TYPE_VLAN) {
            type = NetworkByteOrder.u16(s, l3 + 2);
            l3 += EthernetFlyweight.VLAN_TAG_LENGTH;
        }
        long end = off + length;
        boolean answered;
        if (type == EthernetFlyweight.TYPE_IPV4) {
            answered = answerV4(s, l3, end);
        } else if (type == EthernetFlyweight.TYPE_IPV6) {
            answered = answerV6(s, l3, end);
        } else {
            return false;
        }
        if (!answered) {
            return false;
        }
        long src = EthernetFlyweight.mac(s, off + EthernetFlyweight.SRC_OFFSET);
        EthernetFlyweight.mac(s, off + EthernetFlyweight.DST_OFFSET, src);
        EthernetFlyweight.mac(s, off + EthernetFlyweight.SRC_OFFSET, portMacs[port]);
        replies++;
        return true;
    }

    private boolean answerV4(MemorySegment s, long l3, long end) {
        if (l3 + 20 + 8 > end) {
            return false;
        }
        int verIhl = NetworkByteOrder.u8(s, l3);
        int ihl = (verIhl & 0x0F) * 4;
        int total = NetworkByteOrder.u16(s, l3 + Ipv4Flyweight.TOTAL_LENGTH_OFFSET);
        if ((verIhl >>> 4) != 4 || ihl < 20 || total < ihl + 8 || l3 + total > end
                || NetworkByteOrder.u8(s, l3 + 9) != ICMP
                || (NetworkByteOrder.u16(s, l3 + Ipv4Flyweight.FRAG_OFFSET) & 0x3FFF) != 0) {
            return false;
        }
        long icmp = l3 + ihl;
        if (NetworkByteOrder.u8(s, icmp) != ECHO_REQUEST || NetworkByteOrder.u8(s, icmp + 1) != 0) {
            return false;
        }
        int src = NetworkByteOrder.u32(s, l3 + 12);
        int dst = NetworkByteOrder.u32(s, l3 + 16);
        if (!owner.owns(NetworkByteOrder.V4_MAPPED_HI, NetworkByteOrder.mappedLo(dst))
                || (src >>> 28) == 0xE || src == -1 || src == 0) {
            return false; // not ours, or a multicast/broadcast/unspecified source we cannot answer
        }
        // Addresses swapped: the header sum is unchanged by the swap; TTL and the ICMP type change.
        NetworkByteOrder.u32(s, l3 + 12, dst);
        NetworkByteOrder.u32(s, l3 + 16, src);
        int ttlProto = NetworkByteOrder.u16(s, l3 + 8);
        int newTtlProto = (TTL << 8) | (ttlProto & 0xFF);
        NetworkByteOrder.u16(s, l3 + 8, newTtlProto);
        NetworkByteOrder.u16(s, l3 + 10, InternetChecksum.update16(NetworkByteOrder.u16(s, l3 + 10), ttlProto,
                newTtlProto));
        NetworkByteOrder.u16(s, icmp, ECHO_REPLY << 8);
        NetworkByteOrder.u16(s, icmp + 2, InternetChecksum.update16(NetworkByteOrder.u16(s, icmp + 2),
                ECHO_REQUEST << 8, ECHO_REPLY << 8));
        return true;
    }

    private boolean answerV6(MemorySegment s, long l3, long end) {
        if (l3 + 40 + 8 > end) {
            return false;
        }
        int payload = NetworkByteOrder.u16(s, l3 + 4);
        if ((NetworkByteOrder.u8(s, l3) >>> 4) != 6 || NetworkByteOrder.u8(s, l3 + 6) != ICMPV6 || payload < 8
                || l3 + 40 + payload > end) {
            return false;
        }
        long icmp = l3 + 40;
        if (NetworkByteOrder.u8(s, icmp) != V6_ECHO_REQUEST || NetworkByteOrder.u8(s, icmp + 1) != 0) {
            return false;
        }
        long srcHi = s.get(NetworkByteOrder.U64, l3 + 8);
        long srcLo = s.get(NetworkByteOrder.U64, l3 + 16);
        long dstHi = s.get(NetworkByteOrder.U64, l3 + 24);
        long dstLo = s.get(NetworkByteOrder.U64, l3 + 32);
        if (!owner.owns(dstHi, dstLo) || (srcHi >>> 56) == 0xFF || (srcHi == 0 && srcLo == 0)) {
            return false;
        }
        // The pseudo-header sums the same with the addresses swapped; only the type changes the checksum.
        s.set(NetworkByteOrder.U64, l3 + 8, dstHi);
        s.set(NetworkByteOrder.U64, l3 + 16, dstLo);
        s.set(NetworkByteOrder.U64, l3 + 24, srcHi);
        s.set(NetworkByteOrder.U64, l3 + 32, srcLo);
        s.set(NetworkByteOrder.U8, l3 + 7, (byte) TTL);
        NetworkByteOrder.u16(s, icmp, V6_ECHO_REPLY << 8);
        NetworkByteOrder.u16(s, icmp + 2, InternetChecksum.update16(NetworkByteOrder.u16(s, icmp + 2),
                V6_ECHO_REQUEST << 8, V6_ECHO_REPLY << 8));
        return true;
    }

    /** Echo replies sent. */
    public long replies() {
        return replies;
    }
}

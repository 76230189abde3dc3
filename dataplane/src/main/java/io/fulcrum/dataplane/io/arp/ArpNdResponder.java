package io.fulcrum.dataplane.io.arp;

import io.fulcrum.dataplane.packet.ArpFlyweight;
import io.fulcrum.dataplane.packet.EthernetFlyweight;
import io.fulcrum.dataplane.packet.InternetChecksum;
import io.fulcrum.dataplane.packet.Ipv6Flyweight;
import io.fulcrum.dataplane.packet.NetworkByteOrder;
import io.fulcrum.dataplane.service.ServiceTable;
import java.lang.foreign.MemorySegment;

/**
 * Answers ARP requests (RFC 826) and IPv6 neighbour solicitations (RFC 4861 §7.2.4) for the addresses this node owns
 * now — VIPs while MASTER and the FullNAT local addresses of owned services — by rewriting the request into the reply
 * in place, and learns neighbours from every ARP message and neighbour advertisement it sees. Requests for any other
 * address (the node's own kernel addresses included) are left to the kernel, so a BACKUP, or a node whose dataplane
 * died, stays silent for the VIPs. Also builds ARP requests, neighbour solicitations, gratuitous ARP and unsolicited
 * neighbour advertisements.
 *
 * <p>One instance per worker, used only on that worker's thread; allocation-free.
 */
public final class ArpNdResponder {

    /** What {@link #handle} did. */
    public enum Outcome {
        /** Not ARP/ND for us: hand the frame on (the forwarding core, or the kernel). */
        PASS,
        /** The frame was rewritten into a reply: transmit it on the port it came from. */
        REPLY
    }

    private static final int ETH = EthernetFlyweight.HEADER_LENGTH;
    private static final int ICMPV6 = 58;
    private static final int NS = 135;
    private static final int NA = 136;
    private static final long BROADCAST = 0xFFFF_FFFF_FFFFL;

    private final long[] portMacs;
    private final KernelNeighbourTable neighbours;
    private ServiceTable table;
    private boolean ownsAny;
    private int replyLength;
    private long requestsAnswered;
    private long requestsIgnored;

    /** Creates a responder for ports with these MACs, learning into {@code neighbours} (may be null). */
    public ArpNdResponder(long[] portMacs, KernelNeighbourTable neighbours) {
        this.portMacs = portMacs.clone();
        this.neighbours = neighbours;
    }

    /** Uses this snapshot's owned addresses from now on (call between batches). */
    public void serviceTable(ServiceTable t) {
        if (t != table) {
            table = t;
            ownsAny = t != null && !t.spec().ownedAddresses().isEmpty();
        }
    }

    /** Whether this node answers for {@code hi:lo} now. */
    public boolean owns(long hi, long lo) {
        if (table == null) {
            return false;
        }
        int kind = table.addressKind(hi, lo);
        return (kind & ServiceTable.KIND_OWNED_VIP) != 0
                || (ownsAny && (kind & ServiceTable.KIND_LOCAL_ADDRESS) != 0);
    }

    /**
     * Looks at one frame of {@code length} bytes at {@code off} received on {@code port}; answers ARP requests and
     * neighbour solicitations for owned addresses in place and learns senders. A neighbour advertisement reply needs
     * 86 bytes of room at {@code off}; its length is {@link #replyLength()}.
     */
    public Outcome handle(MemorySegment s, long off, int length, int port) {
        if (length < ETH + 8) {
            return Outcome.PASS;
        }
        int type = NetworkByteOrder.u16(s, off + EthernetFlyweight.TYPE_OFFSET);
        if (type == EthernetFlyweight.TYPE_ARP) {
            return arp(s, off, length, port);
        }
        if (type == EthernetFlyweight.TYPE_IPV6) {
            return nd(s, off, length, port);
        }
        return Outcome.PASS;
    }

    private Outcome arp(MemorySegment s, long off, int length, int port) {
        long a = off + ETH;
        if (length < ETH + ArpFlyweight.LENGTH || NetworkByteOrder.u16(s, a) != 1
                || NetworkByteOrder.u16(s, a + ArpFlyweight.PTYPE_OFFSET) != EthernetFlyweight.TYPE_IPV4
                || NetworkByteOrder.u8(s, a + ArpFlyweight.HLEN_OFFSET) != 6
                || NetworkByteOrder.u8(s, a + ArpFlyweight.PLEN_OFFSET) != 4) {
            return Outcome.PASS;
        }
        int op = NetworkByteOrder.u16(s, a + ArpFlyweight.OPER_OFFSET);
        long sha = EthernetFlyweight.mac(s, a + ArpFlyweight.SHA_OFFSET);
        int spa = NetworkByteOrder.u32(s, a + ArpFlyweight.SPA_OFFSET);
        int tpa = NetworkByteOrder.u32(s, a + ArpFlyweight.TPA_OFFSET);
        if (neighbours != null && spa != 0) {
            neighbours.learn(port, 0, NetworkByteOrder.mappedLo(spa), sha);
        }
        if (op != ArpFlyweight.OP_REQUEST || spa == tpa) {
            return Outcome.PASS; // replies and gratuitous announcements are only learned from
        }
        if (!owns(0, NetworkByteOrder.mappedLo(tpa))) {
            requestsIgnored++;
            return Outcome.PASS;
        }
        long mine = portMacs[port];
        // rfc826: swap sender and target, put our hardware address as sender, opcode reply.
        EthernetFlyweight.mac(s, off + EthernetFlyweight.DST_OFFSET, sha);
        EthernetFlyweight.mac(s, off + EthernetFlyweight.SRC_OFFSET, mine);
        NetworkByteOrder.u16(s, a + ArpFlyweight.OPER_OFFSET, ArpFlyweight.OP_REPLY);
        EthernetFlyweight.mac(s, a + ArpFlyweight.THA_OFFSET, sha);
        NetworkByteOrder.u32(s, a + ArpFlyweight.TPA_OFFSET, spa);
        EthernetFlyweight.mac(s, a + ArpFlyweight.SHA_OFFSET, mine);
        NetworkByteOrder.u32(s, a + ArpFlyweight.SPA_OFFSET, tpa);
        replyLength = length;
        requestsAnswered++;
        return Outcome.REPLY;
    }

    private Outcome nd(MemorySegment s, long off, int length, int port) {
        long ip = off + ETH;
        if (length < ETH + Ipv6Flyweight.HEADER_LENGTH + 24
                || NetworkByteOrder.u8(s, ip + Ipv6Flyweight.NEXT_HEADER_OFFSET) != ICMPV6
                || NetworkByteOrder.u8(s, ip + Ipv6Flyweight.HOP_LIMIT_OFFSET) != 255) {
            return Outcome.PASS; // rfc4861.7.1.1: ND messages carry hop limit 255
        }
        long icmp = ip + Ipv6Flyweight.HEADER_LENGTH;
        int payload = NetworkByteOrder.u16(s, ip + Ipv6Flyweight.PAYLOAD_LENGTH_OFFSET);
        if (payload < 24 || ETH + Ipv6Flyweight.HEADER_LENGTH + payload > length) {
            return Outcome.PASS;
        }
        int icmpType = NetworkByteOrder.u8(s, icmp);
        if (icmpType != NS && icmpType != NA) {
            return Outcome.PASS;
        }
        long tHi = s.get(NetworkByteOrder.U64, icmp + 8);
        long tLo = s.get(NetworkByteOrder.U64, icmp + 16);
        long llOption = option(s, icmp + 24, payload - 24, icmpType == NS ? 1 : 2);
        long srcHi = s.get(NetworkByteOrder.U64, ip + Ipv6Flyweight.SRC_OFFSET);
        long srcLo = s.get(NetworkByteOrder.U64, ip + Ipv6Flyweight.SRC_OFFSET + 8);
        if (icmpType == NA) {
            if (neighbours != null && llOption >= 0) {
                neighbours.learn(port, tHi, tLo, llOption);
            }
            return Outcome.PASS;
        }
        boolean unspecified = srcHi == 0 && srcLo == 0;
        if (neighbours != null && llOption >= 0 && !unspecified) {
            neighbours.learn(port, srcHi, srcLo, llOption);
        }
        if (!owns(tHi, tLo)) {
            requestsIgnored++;
            return Outcome.PASS;
        }
        long mine = portMacs[port];
        long peerMac = llOption >= 0 ? llOption : EthernetFlyweight.mac(s, off + EthernetFlyweight.SRC_OFFSET);
        // rfc4861.7.2.4: solicited advertisement to the soliciting node (all-nodes when it had no address yet).
        long dHi = unspecified ? 0xff02_0000_0000_0000L : srcHi;
        long dLo = unspecified ? 1L : srcLo;
        long dMac = unspecified ? 0x3333_0000_0001L : peerMac;
        replyLength = writeAdvertisement(s, off, mine, dMac, tHi, tLo, dHi, dLo, !unspecified);
        requestsAnswered++;
        return Outcome.REPLY;
    }

    /** The link-layer address in the first option of {@code wanted} type, or -1. */
    private static long option(MemorySegment s, long at, int len, int wanted) {
        long end = at + len;
        while (at + 8 <= end) {
            int t = NetworkByteOrder.u8(s, at);
            int l = NetworkByteOrder.u8(s, at + 1) * 8;
            if (l == 0) {
                return -1;
            }
            if (t == wanted && l >= 8) {
                return EthernetFlyweight.mac(s, at + 2);
            }
            at += l;
        }
        return -1;
    }

    /**
     * Writes a neighbour advertisement frame (86 bytes) at {@code off}: from {@code target} (also the IPv6 source)
     * to {@code dHi:dLo}, with the target link-layer address option; flags Solicited (when {@code solicited}) and
     * Override. Returns the frame length.
     */
    public static int writeAdvertisement(MemorySegment s, long off, long mac, long dstMac, long tHi, long tLo,
                                         long dHi, long dLo, boolean solicited) {
        long icmp = writeNdHeaders(s, off, dstMac, mac, tHi, tLo, dHi, dLo);
        s.set(NetworkByteOrder.U8, icmp, (byte) NA);
        s.set(NetworkByteOrder.U8, icmp + 1, (byte) 0);
        NetworkByteOrder.u16(s, icmp + 2, 0);
        NetworkByteOrder.u32(s, icmp + 4, solicited ? 0x6000_0000 : 0x2000_0000);
        s.set(NetworkByteOrder.U64, icmp + 8, tHi);
        s.set(NetworkByteOrder.U64, icmp + 16, tLo);
        s.set(NetworkByteOrder.U8, icmp + 24, (byte) 2);
        s.set(NetworkByteOrder.U8, icmp + 25, (byte) 1);
        EthernetFlyweight.mac(s, icmp + 26, mac);
        long pseudo = InternetChecksum.pseudoHeaderV6(tHi, tLo, dHi, dLo, ICMPV6, 32);
        NetworkByteOrder.u16(s, icmp + 2, InternetChecksum.compute(s, icmp, 32, pseudo));
        return ETH + 40 + 32;
    }

    /**
     * Writes the Ethernet and IPv6 headers of a 32-byte neighbour-discovery message (hop limit 255, RFC 4861 §7.1.2)
     * at {@code off}, and returns the offset of the ICMPv6 header that follows.
     */
    private static long writeNdHeaders(MemorySegment s, long off, long dstMac, long mac, long srcHi, long srcLo,
                                       long dHi, long dLo) {
        long ip = off + ETH;
        EthernetFlyweight.mac(s, off, dstMac);
        EthernetFlyweight.mac(s, off + 6, mac);
        NetworkByteOrder.u16(s, off + 12, EthernetFlyweight.TYPE_IPV6);
        NetworkByteOrder.u32(s, ip, 0x6000_0000);
        NetworkByteOrder.u16(s, ip + 4, 32);
        s.set(NetworkByteOrder.U8, ip + 6, (byte) ICMPV6);
        s.set(NetworkByteOrder.U8, ip + 7, (byte) 255);
        s.set(NetworkByteOrder.U64, ip + 8, srcHi);
        s.set(NetworkByteOrder.U64, ip + 16, srcLo);
        s.set(NetworkByteOrder.U64, ip + 24, dHi);
        s.set(NetworkByteOrder.U64, ip + 32, dLo);
        return ip + Ipv6Flyweight.HEADER_LENGTH;
    }

    /**
     * Writes an ARP request frame (60 bytes, padded) at {@code off}: who has {@code target}, tell {@code sender}
     * (a gratuitous ARP when they are equal), broadcast. Returns the frame length.
     */
    public static int writeArpRequest(MemorySegment s, long off, long mac, int sender, int target) {
        s.asSlice(off, 60).fill((byte) 0);
        EthernetFlyweight.mac(s, off, BROADCAST);
        EthernetFlyweight.mac(s, off + 6, mac);
        NetworkByteOrder.u16(s, off + 12, EthernetFlyweight.TYPE_ARP);
        long a = off + ETH;
        NetworkByteOrder.u16(s, a, 1);
        NetworkByteOrder.u16(s, a + 2, EthernetFlyweight.TYPE_IPV4);
        s.set(NetworkByteOrder.U8, a + 4, (byte) 6);
        s.set(NetworkByteOrder.U8, a + 5, (byte) 4);
        NetworkByteOrder.u16(s, a + ArpFlyweight.OPER_OFFSET, ArpFlyweight.OP_REQUEST);
        EthernetFlyweight.mac(s, a + ArpFlyweight.SHA_OFFSET, mac);
        NetworkByteOrder.u32(s, a + ArpFlyweight.SPA_OFFSET, sender);
        NetworkByteOrder.u32(s, a + ArpFlyweight.TPA_OFFSET, target);
        return 60;
    }

    /**
     * Writes a neighbour solicitation frame (86 bytes) at {@code off} for {@code tHi:tLo} from {@code srcHi:srcLo} to
     * the target's solicited-node multicast group, with the source link-layer address option. Returns its length.
     */
    public static int writeSolicitation(MemorySegment s, long off, long mac, long srcHi, long srcLo, long tHi,
                                        long tLo) {
        long low24 = tLo & 0xFF_FFFFL;
        long dHi = 0xff02_0000_0000_0000L;
        long dLo = 0x0000_0001_ff00_0000L | low24;
        long icmp = writeNdHeaders(s, off, 0x3333_ff00_0000L | low24, mac, srcHi, srcLo, dHi, dLo);
        s.set(NetworkByteOrder.U8, icmp, (byte) NS);
        s.set(NetworkByteOrder.U8, icmp + 1, (byte) 0);
        NetworkByteOrder.u16(s, icmp + 2, 0);
        NetworkByteOrder.u32(s, icmp + 4, 0);
        s.set(NetworkByteOrder.U64, icmp + 8, tHi);
        s.set(NetworkByteOrder.U64, icmp + 16, tLo);
        s.set(NetworkByteOrder.U8, icmp + 24, (byte) 1);
        s.set(NetworkByteOrder.U8, icmp + 25, (byte) 1);
        EthernetFlyweight.mac(s, icmp + 26, mac);
        long pseudo = InternetChecksum.pseudoHeaderV6(srcHi, srcLo, dHi, dLo, ICMPV6, 32);
        NetworkByteOrder.u16(s, icmp + 2, InternetChecksum.compute(s, icmp, 32, pseudo));
        return ETH + 40 + 32;
    }

    /** Length of the reply written by the last {@link #handle} that returned {@link Outcome#REPLY}. */
    public int replyLength() {
        return replyLength;
    }

    /** ARP requests and solicitations answered. */
    public long requestsAnswered() {
        return requestsAnswered;
    }

    /** Requests for addresses not owned (left to the kernel). */
    public long requestsIgnored() {
        return requestsIgnored;
    }
}

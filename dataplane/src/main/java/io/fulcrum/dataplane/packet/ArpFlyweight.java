package io.fulcrum.dataplane.packet;

import java.lang.foreign.MemorySegment;

/**
 * A flyweight over an ARP packet for IPv4 over Ethernet (RFC 826).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Hardware type (1)         |     Protocol type (0x0800)    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  HLEN (6)     |   PLEN (4)    |          Operation            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Sender hardware address (6) | Sender protocol address (4) |
 * |     Target hardware address (6) | Target protocol address (4) |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Not thread-safe: owned by one worker.
 */
public final class ArpFlyweight {

    /** Offset of the hardware type. */
    public static final int HTYPE_OFFSET = 0;
    /** Offset of the protocol type. */
    public static final int PTYPE_OFFSET = 2;
    /** Offset of the hardware address length. */
    public static final int HLEN_OFFSET = 4;
    /** Offset of the protocol address length. */
    public static final int PLEN_OFFSET = 5;
    /** Offset of the operation. */
    public static final int OPER_OFFSET = 6;
    /** Offset of the sender hardware address. */
    public static final int SHA_OFFSET = 8;
    /** Offset of the sender protocol address. */
    public static final int SPA_OFFSET = 14;
    /** Offset of the target hardware address. */
    public static final int THA_OFFSET = 18;
    /** Offset of the target protocol address. */
    public static final int TPA_OFFSET = 24;
    /** Length of an Ethernet/IPv4 ARP packet. */
    public static final int LENGTH = 28;
    /** Operation: request. */
    public static final int OP_REQUEST = 1;
    /** Operation: reply. */
    public static final int OP_REPLY = 2;

    private MemorySegment segment;
    private long offset;

    /** Wraps the ARP packet at {@code offset}. Returns this. */
    public ArpFlyweight wrap(MemorySegment segment, long offset) {
        this.segment = segment;
        this.offset = offset;
        return this;
    }

    /** Whether this is Ethernet/IPv4 ARP (htype 1, ptype 0x0800, hlen 6, plen 4). */
    public boolean isEthernetIpv4() {
        return NetworkByteOrder.u16(segment, offset + HTYPE_OFFSET) == 1
                && NetworkByteOrder.u16(segment, offset + PTYPE_OFFSET) == EthernetFlyweight.TYPE_IPV4
                && NetworkByteOrder.u8(segment, offset + HLEN_OFFSET) == 6
                && NetworkByteOrder.u8(segment, offset + PLEN_OFFSET) == 4;
    }

    /** The operation. */
    public int operation() {
        return NetworkByteOrder.u16(segment, offset + OPER_OFFSET);
    }

    /** The sender MAC. */
    public long senderHardware() {
        return EthernetFlyweight.mac(segment, offset + SHA_OFFSET);
    }

    /** The sender IPv4 address. */
    public int senderProtocol() {
        return NetworkByteOrder.u32(segment, offset + SPA_OFFSET);
    }

    /** The target MAC. */
    public long targetHardware() {
        return EthernetFlyweight.mac(segment, offset + THA_OFFSET);
    }

    /** The target IPv4 address. */
    public int targetProtocol() {
        return NetworkByteOrder.u32(segment, offset + TPA_OFFSET);
    }
}

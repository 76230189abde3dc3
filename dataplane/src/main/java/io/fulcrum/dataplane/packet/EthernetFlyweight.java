package io.fulcrum.dataplane.packet;

import java.lang.foreign.MemorySegment;

/**
 * A flyweight over an Ethernet II header, with an optional IEEE 802.1Q (or 802.1ad) tag.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Destination MAC (48)                       |
 * +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                               |                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+         Source MAC (48)       +
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  TPID 0x8100 (if tagged)      | PCP |D|      VLAN id (12)     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          EtherType            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Not thread-safe: each worker owns its flyweights and re-wraps them per frame.
 */
public final class EthernetFlyweight {

    /** Offset of the destination MAC. */
    public static final int DST_OFFSET = 0;
    /** Offset of the source MAC. */
    public static final int SRC_OFFSET = 6;
    /** Offset of the EtherType (or the TPID when tagged). */
    public static final int TYPE_OFFSET = 12;
    /** Length of an untagged header. */
    public static final int HEADER_LENGTH = 14;
    /** Length of an 802.1Q tag. */
    public static final int VLAN_TAG_LENGTH = 4;
    /** EtherType IPv4. */
    public static final int TYPE_IPV4 = 0x0800;
    /** EtherType ARP. */
    public static final int TYPE_ARP = 0x0806;
    /** EtherType IPv6. */
    public static final int TYPE_IPV6 = 0x86DD;
    /** TPID of an 802.1Q tag. */
    public static final int TYPE_VLAN = 0x8100;
    /** TPID of an 802.1ad (QinQ) service tag. */
    public static final int TYPE_QINQ = 0x88A8;

    private MemorySegment segment;
    private long offset;
    private int headerLength;
    private int etherType;
    private int vlanTci;

    /** Wraps the header at {@code offset}; walks up to two VLAN tags. Returns this. */
    public EthernetFlyweight wrap(MemorySegment segment, long offset) {
        this.segment = segment;
        this.offset = offset;
        int type = NetworkByteOrder.u16(segment, offset + TYPE_OFFSET);
        int len = HEADER_LENGTH;
        int tci = -1;
        if (type == TYPE_VLAN || type == TYPE_QINQ) {
            tci = NetworkByteOrder.u16(segment, offset + TYPE_OFFSET + 2);
            type = NetworkByteOrder.u16(segment, offset + TYPE_OFFSET + 4);
            len += VLAN_TAG_LENGTH;
            if (type == TYPE_VLAN) {
                tci = NetworkByteOrder.u16(segment, offset + TYPE_OFFSET + 6);
                type = NetworkByteOrder.u16(segment, offset + TYPE_OFFSET + 8);
                len += VLAN_TAG_LENGTH;
            }
        }
        this.headerLength = len;
        this.etherType = type;
        this.vlanTci = tci;
        return this;
    }

    /** The EtherType after any VLAN tags. */
    public int etherType() {
        return etherType;
    }

    /** Header length including VLAN tags: the offset of the payload from the frame start. */
    public int headerLength() {
        return headerLength;
    }

    /** Whether a VLAN tag is present. */
    public boolean vlanTagged() {
        return vlanTci >= 0;
    }

    /** The (innermost) VLAN id, or -1 when untagged. */
    public int vlanId() {
        return vlanTci < 0 ? -1 : vlanTci & 0x0FFF;
    }

    /** The destination MAC as a 48-bit value. */
    public long destination() {
        return mac(segment, offset + DST_OFFSET);
    }

    /** The source MAC as a 48-bit value. */
    public long source() {
        return mac(segment, offset + SRC_OFFSET);
    }

    /** Writes the destination MAC. */
    public void destination(long mac) {
        mac(segment, offset + DST_OFFSET, mac);
    }

    /** Writes the source MAC. */
    public void source(long mac) {
        mac(segment, offset + SRC_OFFSET, mac);
    }

    /** Reads a 48-bit MAC at an absolute offset. */
    public static long mac(MemorySegment s, long off) {
        return ((long) NetworkByteOrder.u16(s, off) << 32) | (NetworkByteOrder.u32(s, off + 2) & 0xFFFF_FFFFL);
    }

    /** Writes a 48-bit MAC at an absolute offset. */
    public static void mac(MemorySegment s, long off, long mac) {
        NetworkByteOrder.u16(s, off, (int) (mac >>> 32));
        NetworkByteOrder.u32(s, off + 2, (int) mac);
    }

    /** Writes the EtherType field that precedes the payload (after tags). */
    public void etherType(int type) {
        NetworkByteOrder.u16(segment, offset + headerLength - 2, type);
        etherType = type;
    }
}

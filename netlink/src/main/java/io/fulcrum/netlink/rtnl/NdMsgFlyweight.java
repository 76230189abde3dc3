package io.fulcrum.netlink.rtnl;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Flyweight over {@code struct ndmsg} (12 bytes), the fixed part of RTM_NEWNEIGH/RTM_DELNEIGH/RTM_GETNEIGH, followed by
 * {@code NDA_*} attributes.
 *
 * <pre>
 * +--------+--------+-----------------+---------------------------------+
 * | family | pad1(0)|    pad2 (0)     |         ifindex (s32)           |
 * +--------+--------+-----------------+---------------------------------+
 * |  state (u16, NUD_*)      | flags  |  type  |
 * +--------------------------+--------+--------+
 * </pre>
 *
 * <p>Not thread-safe; reused by re-wrapping.
 */
public final class NdMsgFlyweight {

    /** Length of the fixed part. */
    public static final int LENGTH = 12;
    /** Destination (IP) address. */
    public static final int NDA_DST = 1;
    /** Link-layer address. */
    public static final int NDA_LLADDR = 2;
    /** Resolving. */
    public static final int NUD_INCOMPLETE = 0x01;
    /** Confirmed reachable. */
    public static final int NUD_REACHABLE = 0x02;
    /** Stale. */
    public static final int NUD_STALE = 0x04;
    /** Resolution failed. */
    public static final int NUD_FAILED = 0x20;
    /** No ARP needed. */
    public static final int NUD_NOARP = 0x40;
    /** Static entry. */
    public static final int NUD_PERMANENT = 0x80;

    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED;

    private MemorySegment segment;
    private long offset;

    /** Wraps the struct at {@code offset}; returns this. */
    public NdMsgFlyweight wrap(MemorySegment segment, long offset) {
        this.segment = segment;
        this.offset = offset;
        return this;
    }

    /** {@code ndm_family}. */
    public int family() {
        return Byte.toUnsignedInt(segment.get(ValueLayout.JAVA_BYTE, offset));
    }

    /** {@code ndm_ifindex}. */
    public int ifindex() {
        return segment.get(U32, offset + 4);
    }

    /** {@code ndm_state} (NUD_*). */
    public int state() {
        return Short.toUnsignedInt(segment.get(U16, offset + 8));
    }

    /** {@code ndm_flags}. */
    public int flags() {
        return Byte.toUnsignedInt(segment.get(ValueLayout.JAVA_BYTE, offset + 10));
    }

    /** {@code ndm_type}. */
    public int type() {
        return Byte.toUnsignedInt(segment.get(ValueLayout.JAVA_BYTE, offset + 11));
    }

    /** Writes all 12 bytes (padding zeroed); returns this. */
    public NdMsgFlyweight set(int family, int ifindex, int state, int flags, int type) {
        segment.set(ValueLayout.JAVA_BYTE, offset, (byte) family);
        segment.set(ValueLayout.JAVA_BYTE, offset + 1, (byte) 0);
        segment.set(U16, offset + 2, (short) 0);
        segment.set(U32, offset + 4, ifindex);
        segment.set(U16, offset + 8, (short) state);
        segment.set(ValueLayout.JAVA_BYTE, offset + 10, (byte) flags);
        segment.set(ValueLayout.JAVA_BYTE, offset + 11, (byte) type);
        return this;
    }

    /** Offset of the first attribute. */
    public long attributesOffset() {
        return offset + LENGTH;
    }
}

package io.fulcrum.netlink.rtnl;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Flyweight over {@code struct ifaddrmsg} (8 bytes), the fixed part of RTM_NEWADDR/RTM_DELADDR/RTM_GETADDR, followed
 * by {@code IFA_*} attributes.
 *
 * <pre>
 * +--------+-----------+--------+--------+----------------------------+
 * | family | prefixlen | flags  | scope  |        index (u32)         |
 * +--------+-----------+--------+--------+----------------------------+
 * </pre>
 *
 * <p>Not thread-safe; reused by re-wrapping.
 */
public final class IfAddrMsgFlyweight {

    /** Length of the fixed part. */
    public static final int LENGTH = 8;
    /** Prefix (peer) address. */
    public static final int IFA_ADDRESS = 1;
    /** Local address. */
    public static final int IFA_LOCAL = 2;
    /** IPv4 label. */
    public static final int IFA_LABEL = 3;
    /** Broadcast address. */
    public static final int IFA_BROADCAST = 4;
    /** Lifetimes. */
    public static final int IFA_CACHEINFO = 6;
    /** 32-bit flags (supersede the 8-bit field). */
    public static final int IFA_FLAGS = 8;
    /** Address flag: no duplicate address detection. */
    public static final int IFA_F_NODAD = 0x02;
    /** Address flag: tentative (DAD running). */
    public static final int IFA_F_TENTATIVE = 0x40;
    /** Address flag: permanent. */
    public static final int IFA_F_PERMANENT = 0x80;

    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED;

    private MemorySegment segment;
    private long offset;

    /** Wraps the struct at {@code offset}; returns this. */
    public IfAddrMsgFlyweight wrap(MemorySegment segment, long offset) {
        this.segment = segment;
        this.offset = offset;
        return this;
    }

    private int u8(int at) {
        return Byte.toUnsignedInt(segment.get(ValueLayout.JAVA_BYTE, offset + at));
    }

    /** {@code ifa_family}. */
    public int family() {
        return u8(0);
    }

    /** {@code ifa_prefixlen}. */
    public int prefixLength() {
        return u8(1);
    }

    /** {@code ifa_flags} (8-bit; see IFA_FLAGS). */
    public int flags() {
        return u8(2);
    }

    /** {@code ifa_scope}. */
    public int scope() {
        return u8(3);
    }

    /** {@code ifa_index}. */
    public int index() {
        return segment.get(U32, offset + 4);
    }

    /** Writes all 8 bytes; returns this. */
    public IfAddrMsgFlyweight set(int family, int prefixLength, int flags, int scope, int index) {
        segment.set(ValueLayout.JAVA_BYTE, offset, (byte) family);
        segment.set(ValueLayout.JAVA_BYTE, offset + 1, (byte) prefixLength);
        segment.set(ValueLayout.JAVA_BYTE, offset + 2, (byte) flags);
        segment.set(ValueLayout.JAVA_BYTE, offset + 3, (byte) scope);
        segment.set(U32, offset + 4, index);
        return this;
    }

    /** Offset of the first attribute. */
    public long attributesOffset() {
        return offset + LENGTH;
    }
}

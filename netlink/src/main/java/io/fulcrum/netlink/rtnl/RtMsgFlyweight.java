package io.fulcrum.netlink.rtnl;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Flyweight over {@code struct rtmsg} (12 bytes), the fixed part of RTM_NEWROUTE/RTM_DELROUTE/RTM_GETROUTE, followed by
 * {@code RTA_*} attributes.
 *
 * <pre>
 * +--------+---------+---------+--------+--------+----------+--------+--------+
 * | family | dst_len | src_len |  tos   | table  | protocol | scope  |  type  |
 * +--------+---------+---------+--------+--------+----------+--------+--------+
 * |                         flags (u32, RTM_F_*)                              |
 * +---------------------------------------------------------------------------+
 * </pre>
 *
 * <p>Not thread-safe; reused by re-wrapping.
 */
public final class RtMsgFlyweight {

    /** Length of the fixed part. */
    public static final int LENGTH = 12;
    /** Destination prefix. */
    public static final int RTA_DST = 1;
    /** Source prefix. */
    public static final int RTA_SRC = 2;
    /** Output interface. */
    public static final int RTA_OIF = 4;
    /** Gateway. */
    public static final int RTA_GATEWAY = 5;
    /** Metric (priority). */
    public static final int RTA_PRIORITY = 6;
    /** Preferred source. */
    public static final int RTA_PREFSRC = 7;
    /** 32-bit table id. */
    public static final int RTA_TABLE = 15;
    /** Main table. */
    public static final int RT_TABLE_MAIN = 254;
    /** Local table. */
    public static final int RT_TABLE_LOCAL = 255;
    /** Protocol: installed by the kernel. */
    public static final int RTPROT_KERNEL = 2;
    /** Protocol: installed at boot / by an admin. */
    public static final int RTPROT_BOOT = 3;
    /** Protocol: static. */
    public static final int RTPROT_STATIC = 4;
    /** Scope: global. */
    public static final int RT_SCOPE_UNIVERSE = 0;
    /** Scope: link. */
    public static final int RT_SCOPE_LINK = 253;
    /** Scope: host. */
    public static final int RT_SCOPE_HOST = 254;
    /** Route type: unicast. */
    public static final int RTN_UNICAST = 1;
    /** Route type: local. */
    public static final int RTN_LOCAL = 2;

    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED;

    private MemorySegment segment;
    private long offset;

    /** Wraps the struct at {@code offset}; returns this. */
    public RtMsgFlyweight wrap(MemorySegment segment, long offset) {
        this.segment = segment;
        this.offset = offset;
        return this;
    }

    private int u8(int at) {
        return Byte.toUnsignedInt(segment.get(ValueLayout.JAVA_BYTE, offset + at));
    }

    /** {@code rtm_family}. */
    public int family() {
        return u8(0);
    }

    /** {@code rtm_dst_len}. */
    public int dstLength() {
        return u8(1);
    }

    /** {@code rtm_src_len}. */
    public int srcLength() {
        return u8(2);
    }

    /** {@code rtm_tos}. */
    public int tos() {
        return u8(3);
    }

    /** {@code rtm_table} (8-bit; RTA_TABLE carries the full id). */
    public int table() {
        return u8(4);
    }

    /** {@code rtm_protocol}. */
    public int protocol() {
        return u8(5);
    }

    /** {@code rtm_scope}. */
    public int scope() {
        return u8(6);
    }

    /** {@code rtm_type}. */
    public int type() {
        return u8(7);
    }

    /** {@code rtm_flags}. */
    public int flags() {
        return segment.get(U32, offset + 8);
    }

    /** Writes all 12 bytes; returns this. */
    public RtMsgFlyweight set(int family, int dstLength, int srcLength, int tos, int table, int protocol, int scope,
            int type, int flags) {
        segment.set(ValueLayout.JAVA_BYTE, offset, (byte) family);
        segment.set(ValueLayout.JAVA_BYTE, offset + 1, (byte) dstLength);
        segment.set(ValueLayout.JAVA_BYTE, offset + 2, (byte) srcLength);
        segment.set(ValueLayout.JAVA_BYTE, offset + 3, (byte) tos);
        segment.set(ValueLayout.JAVA_BYTE, offset + 4, (byte) table);
        segment.set(ValueLayout.JAVA_BYTE, offset + 5, (byte) protocol);
        segment.set(ValueLayout.JAVA_BYTE, offset + 6, (byte) scope);
        segment.set(ValueLayout.JAVA_BYTE, offset + 7, (byte) type);
        segment.set(U32, offset + 8, flags);
        return this;
    }

    /** Offset of the first attribute. */
    public long attributesOffset() {
        return offset + LENGTH;
    }
}

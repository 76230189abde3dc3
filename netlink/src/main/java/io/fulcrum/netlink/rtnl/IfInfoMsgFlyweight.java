package io.fulcrum.netlink.rtnl;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Flyweight over {@code struct ifinfomsg} (16 bytes), the fixed part of RTM_NEWLINK/RTM_DELLINK/RTM_GETLINK, followed
 * by {@code IFLA_*} attributes.
 *
 * <pre>
 * +--------+--------+----------------+--------------------------------+
 * | family | pad(0) |   type (u16)   |          index (s32)           |
 * +--------+--------+----------------+--------------------------------+
 * |          flags (u32, IFF_*)      |      change (u32, mask)        |
 * +----------------------------------+--------------------------------+
 * </pre>
 *
 * <p>Writers set every byte including the padding. Not thread-safe; reused by re-wrapping.
 */
public final class IfInfoMsgFlyweight {

    /** Length of the fixed part. */
    public static final int LENGTH = 16;
    /** Hardware address. */
    public static final int IFLA_ADDRESS = 1;
    /** Broadcast address. */
    public static final int IFLA_BROADCAST = 2;
    /** Interface name. */
    public static final int IFLA_IFNAME = 3;
    /** MTU. */
    public static final int IFLA_MTU = 4;
    /** Link (peer ifindex for veth). */
    public static final int IFLA_LINK = 5;
    /** Master (bridge/bond) ifindex. */
    public static final int IFLA_MASTER = 10;
    /** Operational state (RFC 2863 IF_OPER_*). */
    public static final int IFLA_OPERSTATE = 16;
    /** Nested link info. */
    public static final int IFLA_LINKINFO = 18;
    /** Extended filter mask for dumps. */
    public static final int IFLA_EXT_MASK = 29;
    /** Inside IFLA_LINKINFO: the kind ("veth", "bridge", ...). */
    public static final int IFLA_INFO_KIND = 1;
    /** IFLA_EXT_MASK value: do not send statistics. */
    public static final int RTEXT_FILTER_SKIP_STATS = 1 << 3;

    /** Administratively up. */
    public static final int IFF_UP = 0x1;
    /** Broadcast capable. */
    public static final int IFF_BROADCAST = 0x2;
    /** Loopback. */
    public static final int IFF_LOOPBACK = 0x8;
    /** Point-to-point. */
    public static final int IFF_POINTOPOINT = 0x10;
    /** Operationally running (carrier). */
    public static final int IFF_RUNNING = 0x40;
    /** No ARP. */
    public static final int IFF_NOARP = 0x80;
    /** Promiscuous. */
    public static final int IFF_PROMISC = 0x100;
    /** Master of a bond. */
    public static final int IFF_MASTER = 0x400;
    /** Slave of a bond. */
    public static final int IFF_SLAVE = 0x800;
    /** Multicast capable. */
    public static final int IFF_MULTICAST = 0x1000;
    /** Lower layer up (carrier). */
    public static final int IFF_LOWER_UP = 0x10000;
    /** Dormant. */
    public static final int IFF_DORMANT = 0x20000;

    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED;

    private MemorySegment segment;
    private long offset;

    /** Wraps the struct at {@code offset} (the payload offset of the netlink message); returns this. */
    public IfInfoMsgFlyweight wrap(MemorySegment segment, long offset) {
        this.segment = segment;
        this.offset = offset;
        return this;
    }

    /** {@code ifi_family}. */
    public int family() {
        return Byte.toUnsignedInt(segment.get(ValueLayout.JAVA_BYTE, offset));
    }

    /** {@code ifi_type} (ARPHRD_*). */
    public int type() {
        return Short.toUnsignedInt(segment.get(U16, offset + 2));
    }

    /** {@code ifi_index}. */
    public int index() {
        return segment.get(U32, offset + 4);
    }

    /** {@code ifi_flags} (IFF_*). */
    public int flags() {
        return segment.get(U32, offset + 8);
    }

    /** {@code ifi_change}. */
    public int change() {
        return segment.get(U32, offset + 12);
    }

    /** Writes all 16 bytes (padding zeroed); returns this. */
    public IfInfoMsgFlyweight set(int family, int type, int index, int flags, int change) {
        segment.set(ValueLayout.JAVA_BYTE, offset, (byte) family);
        segment.set(ValueLayout.JAVA_BYTE, offset + 1, (byte) 0);
        segment.set(U16, offset + 2, (short) type);
        segment.set(U32, offset + 4, index);
        segment.set(U32, offset + 8, flags);
        segment.set(U32, offset + 12, change);
        return this;
    }

    /** Offset of the first attribute. */
    public long attributesOffset() {
        return offset + LENGTH;
    }
}

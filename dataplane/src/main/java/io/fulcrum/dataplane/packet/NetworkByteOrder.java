package io.fulcrum.dataplane.packet;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The big-endian, unaligned value layouts every packet flyweight reads and writes through, and small accessors.
 *
 * <p>Stateless; any thread may call it.
 */
public final class NetworkByteOrder {

    /** Unsigned 8-bit field. */
    public static final ValueLayout.OfByte U8 = ValueLayout.JAVA_BYTE;
    /** 16-bit big-endian field at any alignment. */
    public static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    /** 32-bit big-endian field at any alignment. */
    public static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    /** 64-bit big-endian field at any alignment (half of an IPv6 address). */
    public static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    /** The high half of an IPv4-mapped IPv6 address (::ffff:a.b.c.d), which is how IPv4 addresses are held. */
    public static final long V4_MAPPED_HI = 0L;
    /** The constant part of the low half of an IPv4-mapped address. */
    public static final long V4_MAPPED_LO_PREFIX = 0x0000_FFFF_0000_0000L;

    private NetworkByteOrder() {
    }

    /** Reads an unsigned byte. */
    public static int u8(MemorySegment s, long off) {
        return s.get(U8, off) & 0xFF;
    }

    /** Reads an unsigned 16-bit big-endian value. */
    public static int u16(MemorySegment s, long off) {
        return s.get(U16, off) & 0xFFFF;
    }

    /** Writes a 16-bit big-endian value. */
    public static void u16(MemorySegment s, long off, int v) {
        s.set(U16, off, (short) v);
    }

    /** Reads a 32-bit big-endian value. */
    public static int u32(MemorySegment s, long off) {
        return s.get(U32, off);
    }

    /** Writes a 32-bit big-endian value. */
    public static void u32(MemorySegment s, long off, int v) {
        s.set(U32, off, v);
    }

    /** The low half of the IPv4-mapped form of an IPv4 address. */
    public static long mappedLo(int ipv4) {
        return V4_MAPPED_LO_PREFIX | (ipv4 & 0xFFFF_FFFFL);
    }

    /** Whether (hi, lo) is an IPv4-mapped address. */
    public static boolean isV4Mapped(long hi, long lo) {
        return hi == 0 && (lo & 0xFFFF_FFFF_0000_0000L) == V4_MAPPED_LO_PREFIX;
    }
}

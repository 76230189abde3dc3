package io.fulcrum.netlink.rtnl;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Cursor flyweight over a run of routing attributes ({@code struct rtattr} / {@code nlattr}: u16 length including the
 * 4-byte header, u16 type, payload padded to 4 bytes).
 *
 * <pre>
 * +---------------+---------------+----------------------------+-----+
 * | rta_len (u16) | rta_type (u16)| payload (rta_len - 4 bytes)| pad |
 * +---------------+---------------+----------------------------+-----+
 * </pre>
 *
 * <p>{@link #wrap} a range, then call {@link #next()} until it returns false. 64-bit attributes are only 4-byte aligned,
 * so every read uses unaligned layouts. A truncated attribute ends the walk ({@link #malformed()} tells). Nothing is
 * allocated except by {@link #string()}. Not thread-safe: one flyweight per thread.
 */
public final class RtAttrFlyweight {

    /** Attribute header length. */
    public static final int HEADER_LENGTH = 4;
    /** Mask removing the NLA_F_NESTED and NLA_F_NET_BYTEORDER bits from the type. */
    public static final int TYPE_MASK = 0x3fff;

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private MemorySegment segment;
    private long cursor;
    private long end;
    private long current = -1;
    private int length;
    private boolean malformed;

    /** Wraps the attributes in {@code [start, end)} of {@code segment}; returns this. */
    public RtAttrFlyweight wrap(MemorySegment segment, long start, long end) {
        this.segment = segment;
        this.cursor = start;
        this.end = end;
        this.current = -1;
        this.malformed = false;
        return this;
    }

    /** Moves to the next attribute; false at the end of the range or at a malformed attribute. */
    public boolean next() {
        if (current >= 0) {
            cursor = current + NetlinkHeaderFlyweight.align(length);
            current = -1;
        }
        if (cursor + HEADER_LENGTH > end) {
            return false;
        }
        int len = Short.toUnsignedInt(segment.get(U16, cursor));
        if (len < HEADER_LENGTH || cursor + len > end) {
            malformed = true;
            return false;
        }
        current = cursor;
        length = len;
        return true;
    }

    /** Whether the walk stopped at a truncated or impossible attribute. */
    public boolean malformed() {
        return malformed;
    }

    /** The current attribute's type (flags masked off). */
    public int type() {
        return Short.toUnsignedInt(segment.get(U16, current + 2)) & TYPE_MASK;
    }

    /** The current attribute's payload length in bytes. */
    public int payloadLength() {
        return length - HEADER_LENGTH;
    }

    /** The offset of the current attribute's payload. */
    public long payloadOffset() {
        return current + HEADER_LENGTH;
    }

    /** The offset just after the current attribute's payload (for nested walks). */
    public long payloadEnd() {
        return current + length;
    }

    /** The first payload byte, unsigned. */
    public int u8() {
        return Byte.toUnsignedInt(segment.get(ValueLayout.JAVA_BYTE, payloadOffset()));
    }

    /** The payload as a host-order u16. */
    public int u16() {
        return Short.toUnsignedInt(segment.get(U16, payloadOffset()));
    }

    /** The payload as a network-order u16. */
    public int be16() {
        return Short.toUnsignedInt(segment.get(BE16, payloadOffset()));
    }

    /** The payload as a host-order u32. */
    public int u32() {
        return segment.get(U32, payloadOffset());
    }

    /** The payload as a network-order u32 (an IPv4 address as a host int). */
    public int be32() {
        return segment.get(BE32, payloadOffset());
    }

    /** The payload as a host-order u64 (only 4-byte aligned on the wire). */
    public long u64() {
        return segment.get(U64, payloadOffset());
    }

    /** The payload as a NUL-terminated string (allocates). */
    public String string() {
        int n = payloadLength();
        long p = payloadOffset();
        int len = 0;
        while (len < n && segment.get(ValueLayout.JAVA_BYTE, p + len) != 0) {
            len++;
        }
        byte[] b = new byte[len];
        MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, p, b, 0, len);
        return new String(b, StandardCharsets.UTF_8);
    }

    /** Copies up to {@code dst.length - offset} payload bytes to {@code dst}; returns the number copied. */
    public int copyPayload(byte[] dst, int offset) {
        int n = Math.min(payloadLength(), dst.length - offset);
        MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, payloadOffset(), dst, offset, n);
        return n;
    }

    /** The payload bytes as a new array (allocates). */
    public byte[] bytes() {
        byte[] b = new byte[payloadLength()];
        copyPayload(b, 0);
        return b;
    }
}

package io.fulcrum.vrrp.packet;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The Internet checksum (RFC 1071): the ones' complement of the ones' complement sum of 16-bit words.
 *
 * <p>Stateless; safe from any thread. Nothing is allocated.
 */
public final class InternetChecksum {

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private InternetChecksum() {
    }

    /**
     * Adds {@code length} bytes at {@code offset} to a running 32-bit sum (an odd last byte is padded with zero).
     *
     * @return the new running sum, not yet folded
     */
    public static long add(long sum, MemorySegment segment, long offset, int length) {
        long s = sum;
        int i = 0;
        for (; i + 1 < length; i += 2) {
            s += Short.toUnsignedInt(segment.get(U16, offset + i));
        }
        if (i < length) {
            s += (Byte.toUnsignedInt(segment.get(ValueLayout.JAVA_BYTE, offset + i))) << 8;
        }
        return s;
    }

    /** Adds the bytes of {@code bytes[0..length)} to a running sum (an odd last byte is padded with zero). */
    public static long add(long sum, byte[] bytes, int length) {
        long s = sum;
        int i = 0;
        for (; i + 1 < length; i += 2) {
            s += ((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff);
        }
        if (i < length) {
            s += (bytes[i] & 0xff) << 8;
        }
        return s;
    }

    /** Folds a running sum to 16 bits and complements it: the value to store in a checksum field. */
    public static int finish(long sum) {
        long s = sum;
        while ((s >>> 16) != 0) {
            s = (s & 0xffff) + (s >>> 16);
        }
        return (int) (~s & 0xffff);
    }
}

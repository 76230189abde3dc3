package io.fulcrum.dataplane.packet;

import java.lang.foreign.MemorySegment;

/**
 * The Internet checksum: full computation (RFC 1071) where a header changes length, and incremental updates
 * (RFC 1624 eqn. 3: {@code HC' = ~(~HC + ~m + m')}) where fields are rewritten in place.
 *
 * <p>Stateless; any thread may call it. Nothing here allocates.
 */
public final class InternetChecksum {

    private InternetChecksum() {
    }

    /** Folds a 64-bit accumulator of 16-bit words to 16 bits with end-around carry. */
    public static int fold(long sum) {
        long s = (sum & 0xFFFF_FFFFL) + (sum >>> 32);
        s = (s & 0xFFFF) + (s >>> 16);
        s = (s & 0xFFFF) + (s >>> 16);
        s = (s & 0xFFFF) + (s >>> 16);
        return (int) s;
    }

    /** Adds {@code len} bytes at {@code off} (big-endian 16-bit words, odd byte padded) to {@code sum}. */
    public static long add(MemorySegment s, long off, int len, long sum) {
        long acc = sum;
        long i = off;
        long end = off + len;
        for (; i + 4 <= end; i += 4) {
            acc += s.get(NetworkByteOrder.U32, i) & 0xFFFF_FFFFL;
        }
        for (; i + 2 <= end; i += 2) {
            acc += s.get(NetworkByteOrder.U16, i) & 0xFFFF;
        }
        if (i < end) {
            acc += (s.get(NetworkByteOrder.U8, i) & 0xFF) << 8;
        }
        return acc;
    }

    /** The checksum (complement of the folded sum) of a range, starting from a pseudo-header sum. */
    public static int compute(MemorySegment s, long off, int len, long initial) {
        return ~fold(add(s, off, len, initial)) & 0xFFFF;
    }

    /** RFC 1624 eqn. 3 for one 16-bit word changing from {@code oldWord} to {@code newWord}. */
    public static int update16(int checksum, int oldWord, int newWord) {
        long s = (~checksum & 0xFFFF) + (~oldWord & 0xFFFF) + (newWord & 0xFFFF);
        return ~fold(s) & 0xFFFF;
    }

    /** RFC 1624 eqn. 3 for a 32-bit field (e.g. an IPv4 address). */
    public static int update32(int checksum, int oldValue, int newValue) {
        long s = (~checksum & 0xFFFF)
                + (~(oldValue >>> 16) & 0xFFFF) + (~oldValue & 0xFFFF)
                + ((newValue >>> 16) & 0xFFFF) + (newValue & 0xFFFF);
        return ~fold(s) & 0xFFFF;
    }

    /** RFC 1624 eqn. 3 for a 64-bit field (half of an IPv6 address). */
    public static int update64(int checksum, long oldValue, long newValue) {
        long s = (~checksum & 0xFFFF) + complementWords(oldValue) + words(newValue);
        return ~fold(s) & 0xFFFF;
    }

    /** RFC 1624 eqn. 3 for a 128-bit field (an IPv6 address). */
    public static int update128(int checksum, long oldHi, long oldLo, long newHi, long newLo) {
        long s = (~checksum & 0xFFFF) + complementWords(oldHi) + complementWords(oldLo) + words(newHi) + words(newLo);
        return ~fold(s) & 0xFFFF;
    }

    private static long words(long v) {
        return ((v >>> 48) & 0xFFFF) + ((v >>> 32) & 0xFFFF) + ((v >>> 16) & 0xFFFF) + (v & 0xFFFF);
    }

    private static long complementWords(long v) {
        return words(~v);
    }

    /** The (unfolded) IPv4 pseudo-header sum (RFC 793 §3.1). */
    public static long pseudoHeaderV4(int src, int dst, int protocol, int length) {
        return ((src >>> 16) & 0xFFFF) + (src & 0xFFFF) + ((dst >>> 16) & 0xFFFF) + (dst & 0xFFFF) + protocol + length;
    }

    /** The (unfolded) IPv6 pseudo-header sum (RFC 8200 §8.1). */
    public static long pseudoHeaderV6(long srcHi, long srcLo, long dstHi, long dstLo, int protocol, int length) {
        return words(srcHi) + words(srcLo) + words(dstHi) + words(dstLo) + protocol + (length >>> 16) + (length & 0xFFFF);
    }

    /** The RFC 1624 term {@code ~m + m'} for a 16-bit word, to accumulate several changes before one fold. */
    public static long delta16(int oldWord, int newWord) {
        return (~oldWord & 0xFFFF) + (newWord & 0xFFFF);
    }

    /** The RFC 1624 term for a 32-bit field. */
    public static long delta32(int oldValue, int newValue) {
        return (~(oldValue >>> 16) & 0xFFFF) + (~oldValue & 0xFFFF) + ((newValue >>> 16) & 0xFFFF)
                + (newValue & 0xFFFF);
    }

    /** The RFC 1624 term for a 64-bit field. */
    public static long delta64(long oldValue, long newValue) {
        return complementWords(oldValue) + words(newValue);
    }

    /** Applies accumulated terms to a checksum: {@code ~(~HC + sum of (~m + m'))}. */
    public static int apply(int checksum, long delta) {
        return ~fold((~checksum & 0xFFFF) + delta) & 0xFFFF;
    }
}

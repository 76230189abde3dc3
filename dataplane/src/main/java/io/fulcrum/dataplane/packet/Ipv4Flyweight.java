package io.fulcrum.dataplane.packet;

import java.lang.foreign.MemorySegment;

/**
 * A flyweight over an IPv4 header with options (RFC 791 §3.1).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version|  IHL  |Type of Service|          Total Length         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Identification        |Flags|      Fragment Offset    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Time to Live |    Protocol   |         Header Checksum       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       Source Address                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Destination Address                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Options                    |    Padding    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Not thread-safe: owned by one worker.
 */
public final class Ipv4Flyweight {

    /** Offset of version and IHL. */
    public static final int VERSION_IHL_OFFSET = 0;
    /** Offset of the type of service. */
    public static final int TOS_OFFSET = 1;
    /** Offset of the total length. */
    public static final int TOTAL_LENGTH_OFFSET = 2;
    /** Offset of the identification. */
    public static final int ID_OFFSET = 4;
    /** Offset of flags and fragment offset. */
    public static final int FRAG_OFFSET = 6;
    /** Offset of the TTL. */
    public static final int TTL_OFFSET = 8;
    /** Offset of the protocol. */
    public static final int PROTOCOL_OFFSET = 9;
    /** Offset of the header checksum. */
    public static final int CHECKSUM_OFFSET = 10;
    /** Offset of the source address. */
    public static final int SRC_OFFSET = 12;
    /** Offset of the destination address. */
    public static final int DST_OFFSET = 16;
    /** Length of a header without options. */
    public static final int MIN_HEADER_LENGTH = 20;
    /** Don't-fragment flag in the flags/fragment word. */
    public static final int FLAG_DF = 0x4000;
    /** More-fragments flag in the flags/fragment word. */
    public static final int FLAG_MF = 0x2000;

    private MemorySegment segment;
    private long offset;

    /** Wraps the header at {@code offset}. Returns this. */
    public Ipv4Flyweight wrap(MemorySegment segment, long offset) {
        this.segment = segment;
        this.offset = offset;
        return this;
    }

    /** Absolute offset of the header in the segment. */
    public long offset() {
        return offset;
    }

    /** The version field (4 for a valid header). */
    public int version() {
        return NetworkByteOrder.u8(segment, offset) >>> 4;
    }

    /** Header length in bytes (IHL × 4). */
    public int headerLength() {
        return (NetworkByteOrder.u8(segment, offset) & 0x0F) * 4;
    }

    /** Total length. */
    public int totalLength() {
        return NetworkByteOrder.u16(segment, offset + TOTAL_LENGTH_OFFSET);
    }

    /** Writes the total length (the header checksum is not updated). */
    public void totalLength(int length) {
        NetworkByteOrder.u16(segment, offset + TOTAL_LENGTH_OFFSET, length);
    }

    /** The flags/fragment-offset word. */
    public int fragmentWord() {
        return NetworkByteOrder.u16(segment, offset + FRAG_OFFSET);
    }

    /** Whether this is a fragment other than the first (its transport header is elsewhere). */
    public boolean isLaterFragment() {
        return (fragmentWord() & 0x1FFF) != 0;
    }

    /** Whether this is any fragment (MF set or non-zero offset). */
    public boolean isFragment() {
        return (fragmentWord() & 0x3FFF) != 0;
    }

    /** The TTL. */
    public int ttl() {
        return NetworkByteOrder.u8(segment, offset + TTL_OFFSET);
    }

    /** The protocol. */
    public int protocol() {
        return NetworkByteOrder.u8(segment, offset + PROTOCOL_OFFSET);
    }

    /** The header checksum. */
    public int checksum() {
        return NetworkByteOrder.u16(segment, offset + CHECKSUM_OFFSET);
    }

    /** Writes the header checksum. */
    public void checksum(int checksum) {
        NetworkByteOrder.u16(segment, offset + CHECKSUM_OFFSET, checksum);
    }

    /** The source address. */
    public int source() {
        return NetworkByteOrder.u32(segment, offset + SRC_OFFSET);
    }

    /** The destination address. */
    public int destination() {
        return NetworkByteOrder.u32(segment, offset + DST_OFFSET);
    }

    /** Rewrites the source address and updates the header checksum incrementally. */
    public void rewriteSource(int address) {
        int old = source();
        NetworkByteOrder.u32(segment, offset + SRC_OFFSET, address);
        checksum(InternetChecksum.update32(checksum(), old, address));
    }

    /** Rewrites the destination address and updates the header checksum incrementally. */
    public void rewriteDestination(int address) {
        int old = destination();
        NetworkByteOrder.u32(segment, offset + DST_OFFSET, address);
        checksum(InternetChecksum.update32(checksum(), old, address));
    }

    /** Decrements the TTL and updates the header checksum incrementally (RFC 1624 §4). */
    public void decrementTtl() {
        int word = NetworkByteOrder.u16(segment, offset + TTL_OFFSET);
        int next = word - 0x0100;
        NetworkByteOrder.u16(segment, offset + TTL_OFFSET, next);
        checksum(InternetChecksum.update16(checksum(), word, next));
    }

    /** Sets the total length and updates the header checksum incrementally. */
    public void rewriteTotalLength(int length) {
        int old = totalLength();
        totalLength(length);
        checksum(InternetChecksum.update16(checksum(), old, length));
    }

    /** Computes the header checksum in full and writes it. */
    public void computeChecksum() {
        checksum(0);
        checksum(InternetChecksum.compute(segment, offset, headerLength(), 0));
    }

    /** Whether the header checksum verifies. */
    public boolean checksumValid() {
        return InternetChecksum.compute(segment, offset, headerLength(), 0) == 0;
    }

    /** Writes a complete option-less header (used for IPIP encapsulation); computes its checksum. */
    public void writeHeader(int tos, int totalLength, int id, int fragmentWord, int ttl, int protocol, int src, int dst) {
        NetworkByteOrder.u16(segment, offset, 0x4500 | (tos & 0xFF));
        NetworkByteOrder.u16(segment, offset + TOTAL_LENGTH_OFFSET, totalLength);
        NetworkByteOrder.u16(segment, offset + ID_OFFSET, id);
        NetworkByteOrder.u16(segment, offset + FRAG_OFFSET, fragmentWord);
        NetworkByteOrder.u16(segment, offset + TTL_OFFSET, (ttl << 8) | protocol);
        NetworkByteOrder.u32(segment, offset + SRC_OFFSET, src);
        NetworkByteOrder.u32(segment, offset + DST_OFFSET, dst);
        computeChecksum();
    }

    /** The type of service. */
    public int tos() {
        return NetworkByteOrder.u8(segment, offset + TOS_OFFSET);
    }
}

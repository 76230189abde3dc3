package io.fulcrum.dataplane.packet;

import java.lang.foreign.MemorySegment;

/**
 * A flyweight over an ICMP (RFC 792) or ICMPv6 (RFC 4443) message header; both share this layout.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Type      |     Code      |          Checksum             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Rest of header (identifier/sequence, unused/next-hop MTU) |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Body (for errors: as much of the invoking packet as fits)   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Not thread-safe: owned by one worker.
 */
public class IcmpFlyweight {

    /** Offset of the type. */
    public static final int TYPE_OFFSET = 0;
    /** Offset of the code. */
    public static final int CODE_OFFSET = 1;
    /** Offset of the checksum. */
    public static final int CHECKSUM_OFFSET = 2;
    /** Offset of the rest of the header. */
    public static final int REST_OFFSET = 4;
    /** Offset of the body (the quoted packet of an error). */
    public static final int BODY_OFFSET = 8;
    /** ICMP type: echo reply. */
    public static final int ECHO_REPLY = 0;
    /** ICMP type: destination unreachable (code 3 port unreachable, code 4 fragmentation needed). */
    public static final int DEST_UNREACHABLE = 3;
    /** ICMP type: echo request. */
    public static final int ECHO_REQUEST = 8;
    /** ICMP type: time exceeded. */
    public static final int TIME_EXCEEDED = 11;
    /** ICMP type: parameter problem. */
    public static final int PARAMETER_PROBLEM = 12;

    /** The segment wrapped. */
    protected MemorySegment segment;
    /** The absolute offset wrapped. */
    protected long offset;

    /** Creates an unwrapped flyweight. */
    public IcmpFlyweight() {
    }

    /** Wraps the message at {@code offset}. Returns this. */
    public IcmpFlyweight wrap(MemorySegment segment, long offset) {
        this.segment = segment;
        this.offset = offset;
        return this;
    }

    /** The type. */
    public int type() {
        return NetworkByteOrder.u8(segment, offset + TYPE_OFFSET);
    }

    /** The code. */
    public int code() {
        return NetworkByteOrder.u8(segment, offset + CODE_OFFSET);
    }

    /** The checksum. */
    public int checksum() {
        return NetworkByteOrder.u16(segment, offset + CHECKSUM_OFFSET);
    }

    /** Writes the checksum. */
    public void checksum(int checksum) {
        NetworkByteOrder.u16(segment, offset + CHECKSUM_OFFSET, checksum);
    }

    /** The 32-bit rest of header. */
    public int rest() {
        return NetworkByteOrder.u32(segment, offset + REST_OFFSET);
    }

    /** Absolute offset of the body. */
    public long bodyOffset() {
        return offset + BODY_OFFSET;
    }

    /** Whether this ICMP (IPv4) type is an error that quotes an invoking packet (RFC 1122 §3.2.2). */
    public boolean isError() {
        int t = type();
        return t == DEST_UNREACHABLE || t == TIME_EXCEEDED || t == PARAMETER_PROBLEM;
    }
}

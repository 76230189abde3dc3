package io.fulcrum.dataplane.packet;

import java.lang.foreign.MemorySegment;

/**
 * A flyweight over a UDP header (RFC 768).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            Length             |           Checksum            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Not thread-safe: owned by one worker.
 */
public final class UdpFlyweight {

    /** Offset of the source port. */
    public static final int SRC_PORT_OFFSET = 0;
    /** Offset of the destination port. */
    public static final int DST_PORT_OFFSET = 2;
    /** Offset of the length. */
    public static final int LENGTH_OFFSET = 4;
    /** Offset of the checksum. */
    public static final int CHECKSUM_OFFSET = 6;
    /** Header length. */
    public static final int HEADER_LENGTH = 8;

    private MemorySegment segment;
    private long offset;

    /** Wraps the header at {@code offset}. Returns this. */
    public UdpFlyweight wrap(MemorySegment segment, long offset) {
        this.segment = segment;
        this.offset = offset;
        return this;
    }

    /** The source port. */
    public int sourcePort() {
        return NetworkByteOrder.u16(segment, offset + SRC_PORT_OFFSET);
    }

    /** The destination port. */
    public int destinationPort() {
        return NetworkByteOrder.u16(segment, offset + DST_PORT_OFFSET);
    }

    /** Writes the source port (checksum not updated). */
    public void sourcePort(int port) {
        NetworkByteOrder.u16(segment, offset + SRC_PORT_OFFSET, port);
    }

    /** Writes the destination port (checksum not updated). */
    public void destinationPort(int port) {
        NetworkByteOrder.u16(segment, offset + DST_PORT_OFFSET, port);
    }

    /** The length field. */
    public int length() {
        return NetworkByteOrder.u16(segment, offset + LENGTH_OFFSET);
    }

    /** The checksum (0 = none, IPv4 only). */
    public int checksum() {
        return NetworkByteOrder.u16(segment, offset + CHECKSUM_OFFSET);
    }

    /** Writes the checksum; a computed 0 is sent as 0xFFFF (RFC 768). */
    public void checksum(int checksum) {
        NetworkByteOrder.u16(segment, offset + CHECKSUM_OFFSET, checksum == 0 ? 0xFFFF : checksum);
    }
}

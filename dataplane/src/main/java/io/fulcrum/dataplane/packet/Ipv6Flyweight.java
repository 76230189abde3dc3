package io.fulcrum.dataplane.packet;

import java.lang.foreign.MemorySegment;

/**
 * A flyweight over an IPv6 header (RFC 8200 §3) that can skip extension headers to find the upper-layer header.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version| Traffic Class |           Flow Label                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Payload Length        |  Next Header  |   Hop Limit   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     Source Address (128)                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  Destination Address (128)                    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Not thread-safe: owned by one worker.
 */
public final class Ipv6Flyweight {

    /** Offset of the payload length. */
    public static final int PAYLOAD_LENGTH_OFFSET = 4;
    /** Offset of the next header. */
    public static final int NEXT_HEADER_OFFSET = 6;
    /** Offset of the hop limit. */
    public static final int HOP_LIMIT_OFFSET = 7;
    /** Offset of the source address. */
    public static final int SRC_OFFSET = 8;
    /** Offset of the destination address. */
    public static final int DST_OFFSET = 24;
    /** Length of the fixed header. */
    public static final int HEADER_LENGTH = 40;
    /** Next header: hop-by-hop options. */
    public static final int NH_HOP_BY_HOP = 0;
    /** Next header: routing. */
    public static final int NH_ROUTING = 43;
    /** Next header: fragment. */
    public static final int NH_FRAGMENT = 44;
    /** Next header: destination options. */
    public static final int NH_DEST_OPTS = 60;
    /** Next header: no next header. */
    public static final int NH_NONE = 59;
    /** Marker returned by {@link #upperLayerProtocol()} for a non-first fragment. */
    public static final int LATER_FRAGMENT = -2;
    /** Marker returned by {@link #upperLayerProtocol()} for malformed extension headers. */
    public static final int MALFORMED = -1;

    private MemorySegment segment;
    private long offset;
    private long upperOffset;
    private int upperProtocol;

    /**
     * Wraps the header at {@code offset} and walks the extension headers within {@code available} bytes so that
     * {@link #upperLayerOffset()} and {@link #upperLayerProtocol()} are ready. Returns this.
     */
    public Ipv6Flyweight wrap(MemorySegment segment, long offset, int available) {
        this.segment = segment;
        this.offset = offset;
        long end = offset + available;
        long at = offset + HEADER_LENGTH;
        int nh = nextHeader();
        int guard = 0;
        while (true) {
            if (nh == NH_HOP_BY_HOP || nh == NH_ROUTING || nh == NH_DEST_OPTS) {
                if (at + 8 > end || ++guard > 8) {
                    nh = MALFORMED;
                    break;
                }
                int next = NetworkByteOrder.u8(segment, at);
                at += (NetworkByteOrder.u8(segment, at + 1) + 1) * 8L;
                nh = next;
            } else if (nh == NH_FRAGMENT) {
                if (at + 8 > end) {
                    nh = MALFORMED;
                    break;
                }
                int next = NetworkByteOrder.u8(segment, at);
                if ((NetworkByteOrder.u16(segment, at + 2) & 0xFFF8) != 0) {
                    nh = LATER_FRAGMENT;
                    break;
                }
                at += 8;
                nh = next;
            } else {
                break;
            }
        }
        if (at > end) {
            nh = MALFORMED;
        }
        this.upperOffset = at;
        this.upperProtocol = nh;
        return this;
    }

    /** Absolute offset of the header in the segment. */
    public long offset() {
        return offset;
    }

    /** The version field (6 for a valid header). */
    public int version() {
        return NetworkByteOrder.u8(segment, offset) >>> 4;
    }

    /** The traffic class. */
    public int trafficClass() {
        return (NetworkByteOrder.u16(segment, offset) >>> 4) & 0xFF;
    }

    /** The payload length. */
    public int payloadLength() {
        return NetworkByteOrder.u16(segment, offset + PAYLOAD_LENGTH_OFFSET);
    }

    /** Writes the payload length. */
    public void payloadLength(int length) {
        NetworkByteOrder.u16(segment, offset + PAYLOAD_LENGTH_OFFSET, length);
    }

    /** The next header of the fixed header. */
    public int nextHeader() {
        return NetworkByteOrder.u8(segment, offset + NEXT_HEADER_OFFSET);
    }

    /** The hop limit. */
    public int hopLimit() {
        return NetworkByteOrder.u8(segment, offset + HOP_LIMIT_OFFSET);
    }

    /** Decrements the hop limit (IPv6 has no header checksum). */
    public void decrementHopLimit() {
        segment.set(NetworkByteOrder.U8, offset + HOP_LIMIT_OFFSET, (byte) (hopLimit() - 1));
    }

    /** The upper-layer protocol after extension headers, or {@link #LATER_FRAGMENT} / {@link #MALFORMED}. */
    public int upperLayerProtocol() {
        return upperProtocol;
    }

    /** Absolute offset of the upper-layer header. */
    public long upperLayerOffset() {
        return upperOffset;
    }

    /** High 64 bits of the source address. */
    public long sourceHi() {
        return segment.get(NetworkByteOrder.U64, offset + SRC_OFFSET);
    }

    /** Low 64 bits of the source address. */
    public long sourceLo() {
        return segment.get(NetworkByteOrder.U64, offset + SRC_OFFSET + 8);
    }

    /** High 64 bits of the destination address. */
    public long destinationHi() {
        return segment.get(NetworkByteOrder.U64, offset + DST_OFFSET);
    }

    /** Low 64 bits of the destination address. */
    public long destinationLo() {
        return segment.get(NetworkByteOrder.U64, offset + DST_OFFSET + 8);
    }

    /** Writes the source address. */
    public void source(long hi, long lo) {
        segment.set(NetworkByteOrder.U64, offset + SRC_OFFSET, hi);
        segment.set(NetworkByteOrder.U64, offset + SRC_OFFSET + 8, lo);
    }

    /** Writes the destination address. */
    public void destination(long hi, long lo) {
        segment.set(NetworkByteOrder.U64, offset + DST_OFFSET, hi);
        segment.set(NetworkByteOrder.U64, offset + DST_OFFSET + 8, lo);
    }

    /** Writes a complete fixed header (used for IPv6-in-IPv6 encapsulation). */
    public void writeHeader(int trafficClass, int payloadLength, int nextHeader, int hopLimit,
                            long srcHi, long srcLo, long dstHi, long dstLo) {
        NetworkByteOrder.u32(segment, offset, 0x6000_0000 | ((trafficClass & 0xFF) << 20));
        NetworkByteOrder.u16(segment, offset + PAYLOAD_LENGTH_OFFSET, payloadLength);
        NetworkByteOrder.u16(segment, offset + NEXT_HEADER_OFFSET, (nextHeader << 8) | hopLimit);
        source(srcHi, srcLo);
        destination(dstHi, dstLo);
    }

    /** Wraps {@code offset} (without walking extension headers) and writes a complete fixed header there. */
    public Ipv6Flyweight writeHeaderAt(MemorySegment segment, long offset, int trafficClass, int payloadLength,
                                       int nextHeader, int hopLimit, long srcHi, long srcLo, long dstHi, long dstLo) {
        this.segment = segment;
        this.offset = offset;
        writeHeader(trafficClass, payloadLength, nextHeader, hopLimit, srcHi, srcLo, dstHi, dstLo);
        return this;
    }
}

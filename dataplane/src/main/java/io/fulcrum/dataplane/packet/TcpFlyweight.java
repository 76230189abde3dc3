package io.fulcrum.dataplane.packet;

import java.lang.foreign.MemorySegment;

/**
 * A flyweight over a TCP header with options (RFC 9293 §3.1).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        Sequence Number                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Acknowledgment Number                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Data |       |C|E|U|A|P|R|S|F|                               |
 * | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Checksum            |         Urgent Pointer        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           [Options]                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Not thread-safe: owned by one worker.
 */
public final class TcpFlyweight {

    /** Offset of the source port. */
    public static final int SRC_PORT_OFFSET = 0;
    /** Offset of the destination port. */
    public static final int DST_PORT_OFFSET = 2;
    /** Offset of the sequence number. */
    public static final int SEQ_OFFSET = 4;
    /** Offset of the acknowledgement number. */
    public static final int ACK_OFFSET = 8;
    /** Offset of data offset (high nibble). */
    public static final int DATA_OFFSET_OFFSET = 12;
    /** Offset of the flags. */
    public static final int FLAGS_OFFSET = 13;
    /** Offset of the window. */
    public static final int WINDOW_OFFSET = 14;
    /** Offset of the checksum. */
    public static final int CHECKSUM_OFFSET = 16;
    /** Offset of the urgent pointer. */
    public static final int URGENT_OFFSET = 18;
    /** Length of a header without options. */
    public static final int MIN_HEADER_LENGTH = 20;
    /** Largest header (data offset 15). */
    public static final int MAX_HEADER_LENGTH = 60;
    /** Flag FIN. */
    public static final int FIN = 0x01;
    /** Flag SYN. */
    public static final int SYN = 0x02;
    /** Flag RST. */
    public static final int RST = 0x04;
    /** Flag PSH. */
    public static final int PSH = 0x08;
    /** Flag ACK. */
    public static final int ACK = 0x10;
    /** Option kind: end of options. */
    public static final int OPT_EOL = 0;
    /** Option kind: no-operation. */
    public static final int OPT_NOP = 1;
    /** Option kind: maximum segment size. */
    public static final int OPT_MSS = 2;

    private MemorySegment segment;
    private long offset;

    /** Wraps the header at {@code offset}. Returns this. */
    public TcpFlyweight wrap(MemorySegment segment, long offset) {
        this.segment = segment;
        this.offset = offset;
        return this;
    }

    /** Absolute offset of the header. */
    public long offset() {
        return offset;
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

    /** The sequence number. */
    public int sequence() {
        return NetworkByteOrder.u32(segment, offset + SEQ_OFFSET);
    }

    /** The acknowledgement number. */
    public int acknowledgement() {
        return NetworkByteOrder.u32(segment, offset + ACK_OFFSET);
    }

    /** Header length in bytes (data offset × 4). */
    public int headerLength() {
        return (NetworkByteOrder.u8(segment, offset + DATA_OFFSET_OFFSET) >>> 4) * 4;
    }

    /** Writes the header length (a multiple of 4), keeping the reserved bits. */
    public void headerLength(int length) {
        int b = NetworkByteOrder.u8(segment, offset + DATA_OFFSET_OFFSET);
        segment.set(NetworkByteOrder.U8, offset + DATA_OFFSET_OFFSET, (byte) (((length / 4) << 4) | (b & 0x0F)));
    }

    /** The flags byte. */
    public int flags() {
        return NetworkByteOrder.u8(segment, offset + FLAGS_OFFSET);
    }

    /** The checksum. */
    public int checksum() {
        return NetworkByteOrder.u16(segment, offset + CHECKSUM_OFFSET);
    }

    /** Writes the checksum. */
    public void checksum(int checksum) {
        NetworkByteOrder.u16(segment, offset + CHECKSUM_OFFSET, checksum);
    }

    /**
     * Returns the absolute offset of the first option of this kind, or -1. Walks the options with bounds checks
     * (a malformed length stops the walk).
     */
    public long findOption(int kind) {
        long end = offset + headerLength();
        long at = offset + MIN_HEADER_LENGTH;
        while (at < end) {
            int k = NetworkByteOrder.u8(segment, at);
            if (k == OPT_EOL) {
                return -1;
            }
            if (k == OPT_NOP) {
                at++;
                continue;
            }
            if (at + 1 >= end) {
                return -1;
            }
            int len = NetworkByteOrder.u8(segment, at + 1);
            if (len < 2 || at + len > end) {
                return -1;
            }
            if (k == kind) {
                return at;
            }
            at += len;
        }
        return -1;
    }

    /** The MSS option value, or -1 when absent. */
    public int mss() {
        long at = findOption(OPT_MSS);
        return at < 0 || NetworkByteOrder.u8(segment, at + 1) != 4 ? -1 : NetworkByteOrder.u16(segment, at + 2);
    }
}

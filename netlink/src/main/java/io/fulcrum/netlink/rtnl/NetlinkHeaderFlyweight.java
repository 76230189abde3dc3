package io.fulcrum.netlink.rtnl;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Flyweight over a netlink message header ({@code struct nlmsghdr}, 16 bytes, host byte order).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      nlmsg_len (incl. header)                 |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          nlmsg_type           |          nlmsg_flags          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           nlmsg_seq                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           nlmsg_pid                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Messages in a datagram follow each other at 4-byte aligned offsets ({@link #align(int)}). Layouts are unaligned so
 * a wrapped offset may be anything. Reused by re-wrapping; nothing is allocated. Not thread-safe: one flyweight per
 * thread.
 */
public final class NetlinkHeaderFlyweight {

    /** Header length. */
    public static final int LENGTH = 16;
    /** No-op message. */
    public static final int NLMSG_NOOP = 1;
    /** Error or ACK ({@code struct nlmsgerr}). */
    public static final int NLMSG_ERROR = 2;
    /** End of a multipart (dump) reply. */
    public static final int NLMSG_DONE = 3;
    /** Data lost. */
    public static final int NLMSG_OVERRUN = 4;

    /** A request. */
    public static final int NLM_F_REQUEST = 0x1;
    /** Part of a multipart reply. */
    public static final int NLM_F_MULTI = 0x2;
    /** Ask for an ACK. */
    public static final int NLM_F_ACK = 0x4;
    /** The dump was interrupted by a change and may be inconsistent: dump again. */
    public static final int NLM_F_DUMP_INTR = 0x10;
    /** Dump everything ({@code NLM_F_ROOT | NLM_F_MATCH}). */
    public static final int NLM_F_DUMP = 0x300;
    /** Replace an existing object. */
    public static final int NLM_F_REPLACE = 0x100;
    /** Fail if the object exists. */
    public static final int NLM_F_EXCL = 0x200;
    /** Create if missing. */
    public static final int NLM_F_CREATE = 0x400;
    /** In an error message: the request was capped to its header. */
    public static final int NLM_F_CAPPED = 0x100;
    /** In an error message: extended-ACK attributes follow. */
    public static final int NLM_F_ACK_TLVS = 0x200;

    /** New link / link changed. */
    public static final int RTM_NEWLINK = 16;
    /** Link removed. */
    public static final int RTM_DELLINK = 17;
    /** Get/dump links. */
    public static final int RTM_GETLINK = 18;
    /** Set link attributes. */
    public static final int RTM_SETLINK = 19;
    /** New address. */
    public static final int RTM_NEWADDR = 20;
    /** Address removed. */
    public static final int RTM_DELADDR = 21;
    /** Get/dump addresses. */
    public static final int RTM_GETADDR = 22;
    /** New route. */
    public static final int RTM_NEWROUTE = 24;
    /** Route removed. */
    public static final int RTM_DELROUTE = 25;
    /** Get/dump routes. */
    public static final int RTM_GETROUTE = 26;
    /** New/changed neighbour. */
    public static final int RTM_NEWNEIGH = 28;
    /** Neighbour removed. */
    public static final int RTM_DELNEIGH = 29;
    /** Get/dump neighbours. */
    public static final int RTM_GETNEIGH = 30;

    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final int LEN_OFFSET = 0;
    private static final int TYPE_OFFSET = 4;
    private static final int FLAGS_OFFSET = 6;
    private static final int SEQ_OFFSET = 8;
    private static final int PID_OFFSET = 12;

    private MemorySegment segment;
    private long offset;

    /** Wraps the header at {@code offset}; returns this. */
    public NetlinkHeaderFlyweight wrap(MemorySegment segment, long offset) {
        this.segment = segment;
        this.offset = offset;
        return this;
    }

    /** The wrapped offset. */
    public long offset() {
        return offset;
    }

    /** {@code nlmsg_len}: the whole message length including this header. */
    public int length() {
        return segment.get(U32, offset + LEN_OFFSET);
    }

    /** Sets {@code nlmsg_len}. */
    public NetlinkHeaderFlyweight length(int v) {
        segment.set(U32, offset + LEN_OFFSET, v);
        return this;
    }

    /** {@code nlmsg_type}. */
    public int type() {
        return Short.toUnsignedInt(segment.get(U16, offset + TYPE_OFFSET));
    }

    /** Sets {@code nlmsg_type}. */
    public NetlinkHeaderFlyweight type(int v) {
        segment.set(U16, offset + TYPE_OFFSET, (short) v);
        return this;
    }

    /** {@code nlmsg_flags}. */
    public int flags() {
        return Short.toUnsignedInt(segment.get(U16, offset + FLAGS_OFFSET));
    }

    /** Sets {@code nlmsg_flags}. */
    public NetlinkHeaderFlyweight flags(int v) {
        segment.set(U16, offset + FLAGS_OFFSET, (short) v);
        return this;
    }

    /** {@code nlmsg_seq}. */
    public int sequence() {
        return segment.get(U32, offset + SEQ_OFFSET);
    }

    /** Sets {@code nlmsg_seq}. */
    public NetlinkHeaderFlyweight sequence(int v) {
        segment.set(U32, offset + SEQ_OFFSET, v);
        return this;
    }

    /** {@code nlmsg_pid}: the sender's port id (0 = kernel). */
    public int portId() {
        return segment.get(U32, offset + PID_OFFSET);
    }

    /** Sets {@code nlmsg_pid}. */
    public NetlinkHeaderFlyweight portId(int v) {
        segment.set(U32, offset + PID_OFFSET, v);
        return this;
    }

    /** The offset of the payload (after the header). */
    public long payloadOffset() {
        return offset + LENGTH;
    }

    /** For {@link #NLMSG_ERROR}: the error code (0 = ACK, else a negative errno). */
    public int error() {
        return segment.get(U32, offset + LENGTH);
    }

    /** Rounds {@code len} up to netlink's 4-byte alignment ({@code NLMSG_ALIGN}). */
    public static int align(int len) {
        return (len + 3) & ~3;
    }
}

package io.fulcrum.dataplane;

import io.fulcrum.dataplane.counters.DataplaneCounter;
import java.lang.foreign.MemorySegment;

/**
 * A mutable descriptor of one frame in a {@link MemorySegment}: where it starts, how long it is, how far it may grow
 * (headroom before {@code offset}, tailroom up to {@code limit}), and after processing the output port or drop reason.
 * The core rewrites the frame in place and may move {@code offset} back (encapsulation) or grow {@code length} (TOA).
 *
 * <p>Reused for every frame by one worker; not thread-safe.
 */
public final class Frame {

    private MemorySegment segment;
    private long headroomStart;
    private long offset;
    private int length;
    private long limit;
    private int ingressPort;
    private int txPort;
    private DataplaneCounter dropReason;
    private long nextHopHi;
    private long nextHopLo;

    /** Creates an empty descriptor. */
    public Frame() {
    }

    /**
     * Points at a frame of {@code length} bytes at {@code offset}; it may grow back to {@code headroomStart} and
     * forward to {@code limit} (exclusive). Returns this.
     */
    public Frame wrap(MemorySegment segment, long headroomStart, long offset, int length, long limit, int ingressPort) {
        this.segment = segment;
        this.headroomStart = headroomStart;
        this.offset = offset;
        this.length = length;
        this.limit = limit;
        this.ingressPort = ingressPort;
        this.txPort = -1;
        this.dropReason = null;
        return this;
    }

    /** Points at a frame that fills {@code segment} from {@code offset} with no headroom; the rest is tailroom. */
    public Frame wrap(MemorySegment segment, long offset, int length) {
        return wrap(segment, offset, offset, length, segment.byteSize(), 0);
    }

    /** The segment. */
    public MemorySegment segment() {
        return segment;
    }

    /** Lowest offset the frame may start at. */
    public long headroomStart() {
        return headroomStart;
    }

    /** Current start of the frame. */
    public long offset() {
        return offset;
    }

    /** Current length. */
    public int length() {
        return length;
    }

    /** Exclusive end of the buffer. */
    public long limit() {
        return limit;
    }

    /** Port the frame arrived on. */
    public int ingressPort() {
        return ingressPort;
    }

    /** Port to transmit on after {@link Verdict#TX}. */
    public int txPort() {
        return txPort;
    }

    /** Why it was dropped after {@link Verdict#DROP}. */
    public DataplaneCounter dropReason() {
        return dropReason;
    }

    void offset(long offset) {
        this.offset = offset;
    }

    void length(int length) {
        this.length = length;
    }

    void txPort(int port) {
        this.txPort = port;
    }

    void dropReason(DataplaneCounter reason) {
        this.dropReason = reason;
    }

    /** High word of the next hop a {@link DataplaneCounter#DROP_NO_NEIGHBOUR} drop could not resolve. */
    public long nextHopHi() {
        return nextHopHi;
    }

    /** Low word of the next hop a {@link DataplaneCounter#DROP_NO_NEIGHBOUR} drop could not resolve. */
    public long nextHopLo() {
        return nextHopLo;
    }

    void nextHop(long hi, long lo) {
        this.nextHopHi = hi;
        this.nextHopLo = lo;
    }
}

package io.fulcrum.dataplane.io.arp;

import io.fulcrum.dataplane.NeighbourTable;
import io.fulcrum.dataplane.packet.EthernetFlyweight;
import io.fulcrum.dataplane.packet.NetworkByteOrder;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.agrona.concurrent.NanoClock;

/**
 * A worker's small, preallocated queue of frames that are ready to go but whose next hop has no MAC yet: instead of
 * dropping the first packets to a fresh neighbour while ARP / neighbour discovery resolves it (as the kernel's
 * {@code unres_qlen} queue does), the I/O layer {@link #hold holds} up to {@code capacity} frames (full: the frame is
 * refused and the caller counts the overflow), {@link #release releases} each once its next hop resolves (the
 * Ethernet addresses written as the forwarding core would have), and drops those still waiting after the time limit.
 *
 * <p>Owned by one worker thread; nothing is allocated after construction.
 */
public final class NeighbourWaitQueue implements AutoCloseable {

    /** Sends a released frame out of a port. */
    @FunctionalInterface
    public interface Sender {
        /** Sends {@code length} bytes at {@code offset} of {@code segment} out of {@code port}. */
        void send(int port, MemorySegment segment, long offset, int length);
    }

    private final int capacity;
    private final int slotSize;
    private final long timeoutNs;
    private final NanoClock clock;
    private final long[] portMacs;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment frames;
    private final long[] hi;
    private final long[] lo;
    private final long[] deadline;
    private final int[] length;
    private final boolean[] used;
    private int count;
    private long held;
    private long sent;
    private long overflowed;
    private long expired;

    /**
     * A queue for {@code capacity} frames of at most {@code slotSize} bytes each, held at most {@code timeoutNs} on
     * {@code clock}, sent with the source MAC of the port they leave by ({@code portMacs}).
     */
    public NeighbourWaitQueue(int capacity, int slotSize, long timeoutNs, NanoClock clock, long[] portMacs) {
        if (capacity < 0 || slotSize < EthernetFlyweight.HEADER_LENGTH || timeoutNs < 0) {
            throw new IllegalArgumentException("neighbour wait queue: capacity " + capacity + ", slot " + slotSize
                    + " bytes, timeout " + timeoutNs + " ns");
        }
        this.capacity = capacity;
        this.slotSize = slotSize;
        this.timeoutNs = timeoutNs;
        this.clock = clock;
        this.portMacs = portMacs.clone();
        this.frames = arena.allocate((long) Math.max(1, capacity) * slotSize, 64);
        this.hi = new long[capacity];
        this.lo = new long[capacity];
        this.deadline = new long[capacity];
        this.length = new int[capacity];
        this.used = new boolean[capacity];
    }

    /**
     * Copies a frame waiting for next hop {@code nhHi:nhLo} into a free slot. Returns false when the queue is full or
     * the frame too long (the caller drops and counts it).
     */
    public boolean hold(MemorySegment segment, long offset, int len, long nhHi, long nhLo) {
        if (count == capacity || len > slotSize || len < EthernetFlyweight.HEADER_LENGTH) {
            overflowed++;
            return false;
        }
        for (int i = 0; i < capacity; i++) {
            if (!used[i]) {
                MemorySegment.copy(segment, offset, frames, (long) i * slotSize, len);
                hi[i] = nhHi;
                lo[i] = nhLo;
                length[i] = len;
                deadline[i] = clock.nanoTime() + timeoutNs;
                used[i] = true;
                count++;
                held++;
                return true;
            }
        }
        overflowed++;
        return false;
    }

    /**
     * Sends every held frame whose next hop now resolves in {@code neighbours} (via {@link KernelNeighbourTable#peek})
     * through {@code sender}, and drops those past their time limit. Returns how many were dropped for the timeout
     * (the caller counts them); sent frames are counted by {@link #sent()}.
     */
    public int release(KernelNeighbourTable neighbours, Sender sender) {
        if (count == 0) {
            return 0;
        }
        long now = clock.nanoTime();
        int timedOut = 0;
        for (int i = 0; i < capacity; i++) {
            if (!used[i]) {
                continue;
            }
            long nb = neighbours.peek(hi[i], lo[i]);
            if (nb != NeighbourTable.MISS) {
                int port = (int) (nb >>> 48) & 0x7FFF;
                used[i] = false;
                count--;
                if (port < portMacs.length) {
                    long at = (long) i * slotSize;
                    long src = portMacs[port];
                    frames.set(NetworkByteOrder.U64, at, (nb << 16) | ((src >>> 32) & 0xFFFF));
                    NetworkByteOrder.u32(frames, at + EthernetFlyweight.SRC_OFFSET + 2, (int) src);
                    sender.send(port, frames, at, length[i]);
                    sent++;
                } else {
                    expired++;
                    timedOut++;
                }
            } else if (now - deadline[i] >= 0) {
                used[i] = false;
                count--;
                expired++;
                timedOut++;
            }
        }
        return timedOut;
    }

    /** Frames waiting now. */
    public int size() {
        return count;
    }

    /** Frames held since start. */
    public long held() {
        return held;
    }

    /** Held frames sent once their next hop resolved. */
    public long sent() {
        return sent;
    }

    /** Frames refused because the queue was full. */
    public long overflowed() {
        return overflowed;
    }

    /** Held frames dropped because their next hop did not resolve in time. */
    public long expired() {
        return expired;
    }

    @Override
    public void close() {
        arena.close();
    }
}

package io.fulcrum.dataplane.io;

import java.util.List;

/**
 * Settings of the dataplane's packet I/O: the interfaces (port number = position in the list), the port mode, the
 * number of workers (one receive queue each), ring sizes and idle behaviour. Validated by {@link #conclude()}; errors
 * name the key, the value and the limit.
 *
 * <p>Mutable while being built on one thread; treat it as immutable after {@link #conclude()}.
 */
public final class IoContext {

    private List<String> interfaces = List.of();
    private PortMode mode = PortMode.AUTO;
    private int workers = 1;
    private int blockSize = 1 << 16;
    private int blockCount = 32;
    private int retireMs = 1;
    private int txFrameSize = 2048;
    private int txBlockCount = 16;
    private int xdpFrames = 4096;
    private int xdpRingSize = 2048;
    private int spinsBeforePoll = 200;
    private int pollTimeoutMs = 10;
    private int neighbourCapacity = 4096;
    private boolean xdpNativeFirst = true;
    private boolean concluded;

    /** Creates a context with the defaults. */
    public IoContext() {
    }

    /** Validates every setting. */
    public IoContext conclude() {
        if (interfaces.isEmpty()) {
            throw new IllegalArgumentException("dataplane.interfaces must list at least one interface");
        }
        for (String i : interfaces) {
            if (i.isEmpty() || i.length() > 15) {
                throw new IllegalArgumentException("dataplane.interfaces: interface name \"" + i
                        + "\" must be 1..15 characters");
            }
        }
        range("dataplane.workers", workers, 1, 64);
        if (Integer.bitCount(blockSize) != 1 || blockSize < 4096) {
            throw new IllegalArgumentException("dataplane.packet_block_size " + blockSize
                    + " must be a power of two of at least 4096");
        }
        range("dataplane.packet_block_count", blockCount, 2, 4096);
        range("dataplane.packet_retire_ms", retireMs, 1, 1000);
        if (txFrameSize % 16 != 0 || txFrameSize < 128 || txFrameSize > blockSize) {
            throw new IllegalArgumentException("dataplane.packet_tx_frame_size " + txFrameSize
                    + " must be a multiple of 16 in 128.." + blockSize);
        }
        range("dataplane.packet_tx_block_count", txBlockCount, 1, 4096);
        if (Integer.bitCount(xdpFrames) != 1) {
            throw new IllegalArgumentException("dataplane.xdp_frames " + xdpFrames + " must be a power of two");
        }
        range("dataplane.xdp_frames", xdpFrames, 64, 1 << 20);
        if (Integer.bitCount(xdpRingSize) != 1 || xdpRingSize * 2 > xdpFrames) {
            throw new IllegalArgumentException("dataplane.xdp_ring_size " + xdpRingSize
                    + " must be a power of two of at most half of dataplane.xdp_frames " + xdpFrames);
        }
        range("dataplane.idle_spins", spinsBeforePoll, 0, 1_000_000);
        range("dataplane.idle_poll_ms", pollTimeoutMs, 1, 1000);
        range("dataplane.neighbour_capacity", neighbourCapacity, 16, 1 << 22);
        concluded = true;
        return this;
    }

    private static void range(String key, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(key + " " + value + " out of range " + min + ".." + max);
        }
    }

    /** Whether {@link #conclude()} passed. */
    public boolean isConcluded() {
        return concluded;
    }

    /** The interfaces; port {@code i} is {@code interfaces().get(i)}. */
    public List<String> interfaces() {
        return interfaces;
    }

    /** Sets the interfaces. */
    public IoContext interfaces(String... names) {
        this.interfaces = List.of(names);
        return this;
    }

    /** The port mode. */
    public PortMode mode() {
        return mode;
    }

    /** Sets the port mode. */
    public IoContext mode(PortMode mode) {
        this.mode = mode;
        return this;
    }

    /** Workers (one receive queue each). */
    public int workers() {
        return workers;
    }

    /** Sets the workers. */
    public IoContext workers(int n) {
        this.workers = n;
        return this;
    }

    /** AF_PACKET block size. */
    public int blockSize() {
        return blockSize;
    }

    /** AF_PACKET RX blocks. */
    public int blockCount() {
        return blockCount;
    }

    /** Sets the AF_PACKET RX ring geometry. */
    public IoContext packetRing(int blockSize, int blockCount) {
        this.blockSize = blockSize;
        this.blockCount = blockCount;
        return this;
    }

    /** AF_PACKET RX block retire timeout (ms). */
    public int retireMs() {
        return retireMs;
    }

    /** Sets the AF_PACKET block retire timeout. */
    public IoContext retireMs(int ms) {
        this.retireMs = ms;
        return this;
    }

    /** AF_PACKET TX frame size. */
    public int txFrameSize() {
        return txFrameSize;
    }

    /** AF_PACKET TX blocks. */
    public int txBlockCount() {
        return txBlockCount;
    }

    /** Sets the AF_PACKET TX ring geometry. */
    public IoContext packetTxRing(int frameSize, int blockCount) {
        this.txFrameSize = frameSize;
        this.txBlockCount = blockCount;
        return this;
    }

    /** AF_XDP UMEM frames per socket. */
    public int xdpFrames() {
        return xdpFrames;
    }

    /** AF_XDP ring size (fill, completion, rx, tx). */
    public int xdpRingSize() {
        return xdpRingSize;
    }

    /** Sets the AF_XDP UMEM frames and ring size. */
    public IoContext xdp(int frames, int ringSize) {
        this.xdpFrames = frames;
        this.xdpRingSize = ringSize;
        return this;
    }

    /** Whether native XDP is tried before generic (SKB) mode. */
    public boolean xdpNativeFirst() {
        return xdpNativeFirst;
    }

    /** Sets whether native XDP is tried first (false: generic mode only). */
    public IoContext xdpNativeFirst(boolean on) {
        this.xdpNativeFirst = on;
        return this;
    }

    /** Empty duty cycles spun before the worker blocks in poll(). */
    public int spinsBeforePoll() {
        return spinsBeforePoll;
    }

    /** poll() timeout while idle (ms). */
    public int pollTimeoutMs() {
        return pollTimeoutMs;
    }

    /** Sets the idle behaviour. */
    public IoContext idle(int spins, int pollTimeoutMs) {
        this.spinsBeforePoll = spins;
        this.pollTimeoutMs = pollTimeoutMs;
        return this;
    }

    /** Neighbour table capacity. */
    public int neighbourCapacity() {
        return neighbourCapacity;
    }

    /** Sets the neighbour table capacity. */
    public IoContext neighbourCapacity(int n) {
        this.neighbourCapacity = n;
        return this;
    }
}

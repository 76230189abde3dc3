package io.fulcrum.dataplane.io.xdp;

import io.fulcrum.dataplane.io.IoPort;
import io.fulcrum.netlink.Errno;
import io.fulcrum.netlink.LinuxSocket;
import io.fulcrum.netlink.Mmap;
import io.fulcrum.netlink.NativeException;
import io.fulcrum.netlink.SockAddr;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * One AF_XDP socket on one interface queue, driven from Java through FFM (no libxdp): a UMEM of fixed-size chunks in
 * anonymous memory registered with {@code XDP_UMEM_REG}; the fill, completion, RX and TX rings mapped at their
 * {@code XDP_*_RING} page offsets with the layout {@code XDP_MMAP_OFFSETS} reports. Producer and consumer indexes are
 * 32-bit counters read with acquire and published with release ordering (the kernel's {@code smp_load_acquire} /
 * {@code smp_store_release} pairs in {@code net/xdp/xsk_queue.h}); entries are handled in batches. Bound in copy mode
 * ({@code XDP_COPY}, which veth needs) with {@code XDP_USE_NEED_WAKEUP}: TX is kicked with {@code sendto} when the
 * kernel asks (copy mode always processes TX in the kick), RX is waited for with {@code poll}.
 *
 * <p>Frame accounting: every chunk is either in the free stack, in the fill ring, in the RX ring, or in the TX ring
 * until the completion ring returns it. Owned by one worker thread; nothing is allocated per frame.
 */
public final class XskPort implements IoPort {

    /** {@code XDP_MAX_TX_SKB_BUDGET} (Linux 6.17+): descriptors one copy-mode kick may transmit. */
    static final int XDP_MAX_TX_SKB_BUDGET = 9;
    /** {@code TX_BATCH_SIZE} in net/xdp/xsk.c: descriptors per copy-mode kick without that option. */
    static final int COPY_MODE_TX_BATCH = 32;
    /** {@code XDP_RING_NEED_WAKEUP}. */
    static final int NEED_WAKEUP = 1;
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;

    /** One mapped ring. */
    private static final class Ring {
        final MemorySegment map;
        final long producer;
        final long consumer;
        final long desc;
        final long flags;
        final int mask;
        final int size;

        Ring(MemorySegment map, MemorySegment offsets, long base, int size) {
            this.map = map;
            this.producer = offsets.get(LONG, base);
            this.consumer = offsets.get(LONG, base + 8);
            this.desc = offsets.get(LONG, base + 16);
            this.flags = offsets.get(LONG, base + 24);
            this.size = size;
            this.mask = size - 1;
        }

        int acquire(long field) {
            return (int) INT.getAcquire(map, field);
        }

        void release(long field, int value) {
            INT.setRelease(map, field, value);
        }

        boolean needsWakeup() {
            return ((int) INT.getAcquire(map, flags) & NEED_WAKEUP) != 0;
        }
    }

    private final String ifName;
    private final int queue;
    private final LinuxSocket socket;
    private final MemorySegment umem;
    private final int chunk;
    private final long chunkMask;
    private final Ring fill;
    private final Ring comp;
    private final Ring rx;
    private final Ring tx;
    private final long[] free;
    private int freeCount;
    private final int txReserve;
    private final int maxKicks;
    private final int txBudget;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment empty = arena.allocate(8);

    private int fillProd;
    private int compCons;
    private int rxCons;
    private int txProd;
    private int txPending;
    private long rxPackets;
    private long txDropped;
    private long kicks;
    private long kickErrors;

    private XskPort(String ifName, int queue, LinuxSocket socket, MemorySegment umem, int chunk, int frames,
                    Ring fill, Ring comp, Ring rx, Ring tx, int txBudget) {
        this.ifName = ifName;
        this.queue = queue;
        this.socket = socket;
        this.umem = umem;
        this.chunk = chunk;
        this.chunkMask = -(long) chunk;
        this.fill = fill;
        this.comp = comp;
        this.rx = rx;
        this.tx = tx;
        this.free = new long[frames];
        for (int i = frames - 1; i >= 0; i--) {
            free[freeCount++] = (long) i * chunk;
        }
        this.txReserve = tx.size;
        this.txBudget = txBudget;
        this.maxKicks = tx.size / txBudget + 1;
        this.fillProd = fill.acquire(fill.producer);
        this.compCons = comp.acquire(comp.consumer);
        this.rxCons = rx.acquire(rx.consumer);
        this.txProd = tx.acquire(tx.producer);
        refill();
    }

    /**
     * Opens an AF_XDP socket in the calling thread's namespace on {@code ifindex} queue {@code queue} with a UMEM of
     * {@code frames} chunks of {@code chunk} bytes and rings of {@code ringSize} entries, bound in copy mode.
     *
     * @throws NativeException naming the step, errno and interface (a queue the device does not have: EINVAL)
     */
    public static XskPort open(String ifName, int ifindex, int queue, int frames, int chunk, int ringSize) {
        if (Integer.bitCount(chunk) != 1) {
            throw new IllegalArgumentException("AF_XDP chunk size " + chunk + " must be a power of two (aligned UMEM)");
        }
        LinuxSocket s = LinuxSocket.xdp();
        MemorySegment umem = null;
        MemorySegment[] maps = new MemorySegment[4];
        try (Arena a = Arena.ofConfined()) {
            umem = Mmap.anonymous((long) frames * chunk);
            MemorySegment reg = a.allocate(32, 8);
            reg.set(LONG, 0, umem.address());
            reg.set(LONG, 8, umem.byteSize());
            reg.set(I, 16, chunk);
            reg.set(I, 20, 0);
            s.setOption(LinuxSocket.SOL_XDP, LinuxSocket.XDP_UMEM_REG, reg);
            s.setInt(LinuxSocket.SOL_XDP, LinuxSocket.XDP_UMEM_FILL_RING, ringSize);
            s.setInt(LinuxSocket.SOL_XDP, LinuxSocket.XDP_UMEM_COMPLETION_RING, ringSize);
            s.setInt(LinuxSocket.SOL_XDP, LinuxSocket.XDP_RX_RING, ringSize);
            s.setInt(LinuxSocket.SOL_XDP, LinuxSocket.XDP_TX_RING, ringSize);
            int txBudget = COPY_MODE_TX_BATCH;
            try {
                // Linux 6.17+: let one kick transmit a whole ring instead of 32 descriptors (copy mode)
                s.setInt(LinuxSocket.SOL_XDP, XDP_MAX_TX_SKB_BUDGET, ringSize);
                txBudget = ringSize;
            } catch (NativeException e) {
                // ENOPROTOOPT before 6.17: 32 per kick, flush() kicks again while descriptors remain
            }
            MemorySegment off = a.allocate(128, 8);
            s.getOption(LinuxSocket.SOL_XDP, LinuxSocket.XDP_MMAP_OFFSETS, off);
            // struct xdp_mmap_offsets { rx, tx, fr, cr } of struct xdp_ring_offset { producer, consumer, desc, flags }
            maps[0] = s.mmap(off.get(LONG, 16) + 16L * ringSize, LinuxSocket.XDP_PGOFF_RX_RING);
            maps[1] = s.mmap(off.get(LONG, 48) + 16L * ringSize, LinuxSocket.XDP_PGOFF_TX_RING);
            maps[2] = s.mmap(off.get(LONG, 80) + 8L * ringSize, LinuxSocket.XDP_UMEM_PGOFF_FILL_RING);
            maps[3] = s.mmap(off.get(LONG, 112) + 8L * ringSize, LinuxSocket.XDP_UMEM_PGOFF_COMPLETION_RING);
            Ring rx = new Ring(maps[0], off, 0, ringSize);
            Ring tx = new Ring(maps[1], off, 32, ringSize);
            Ring fill = new Ring(maps[2], off, 64, ringSize);
            Ring comp = new Ring(maps[3], off, 96, ringSize);
            XskPort port = new XskPort(ifName, queue, s, umem, chunk, frames, fill, comp, rx, tx, txBudget);
            try {
                s.bind(SockAddr.xdp(LinuxSocket.XDP_COPY | LinuxSocket.XDP_USE_NEED_WAKEUP, ifindex, queue, 0));
            } catch (NativeException e) {
                if (e.errno() == Errno.EINVAL) {
                    throw new NativeException("bind(AF_XDP)", e.errno(), ifName + " queue " + queue,
                            "the interface has no such receive queue (fewer queues than dataplane.workers?)");
                }
                throw e;
            }
            return port;
        } catch (RuntimeException e) {
            for (MemorySegment m : maps) {
                if (m != null) {
                    Mmap.unmap(m);
                }
            }
            if (umem != null) {
                Mmap.unmap(umem);
            }
            s.close();
            throw e;
        }
    }

    /** The receive queue. */
    public int queue() {
        return queue;
    }

    @Override
    public int fd() {
        return socket.fd();
    }

    @Override
    public String ifName() {
        return ifName;
    }

    /** Keeps the fill ring stocked from the free stack, leaving {@code txReserve} chunks for transmission. */
    private void refill() {
        int cons = fill.acquire(fill.consumer);
        int space = fill.size - (fillProd - cons);
        int n = Math.min(space, freeCount - txReserve);
        if (n <= 0) {
            return;
        }
        for (int i = 0; i < n; i++) {
            fill.map.set(LONG, fill.desc + 8L * ((fillProd + i) & fill.mask), free[--freeCount]);
        }
        fillProd += n;
        fill.release(fill.producer, fillProd);
    }

    private void reclaim() {
        int prod = comp.acquire(comp.producer);
        int n = prod - compCons;
        if (n <= 0) {
            return;
        }
        for (int i = 0; i < n; i++) {
            free[freeCount++] = comp.map.get(LONG, comp.desc + 8L * ((compCons + i) & comp.mask));
        }
        compCons += n;
        comp.release(comp.consumer, compCons);
    }

    @Override
    public int receive(FrameHandler handler, int limit) {
        int prod = rx.acquire(rx.producer);
        int n = Math.min(prod - rxCons, limit);
        for (int i = 0; i < n; i++) {
            long d = rx.desc + 16L * ((rxCons + i) & rx.mask);
            long addr = rx.map.get(LONG, d);
            int len = rx.map.get(I, d + 8);
            handler.onFrame(umem, addr, len);
            free[freeCount++] = addr & chunkMask; // the chunk's start (aligned mode: chunk is a power of two)
        }
        if (n > 0) {
            rxCons += n;
            rx.release(rx.consumer, rxCons);
            rxPackets += n;
        }
        reclaim();
        refill();
        return n;
    }

    @Override
    public boolean transmit(MemorySegment src, long offset, int length) {
        if (length > chunk) {
            txDropped++;
            return false;
        }
        if (freeCount == 0) {
            reclaim();
        }
        if (freeCount == 0 || txProd - tx.acquire(tx.consumer) >= tx.size) {
            flush();
            reclaim();
            if (freeCount == 0 || txProd - tx.acquire(tx.consumer) >= tx.size) {
                txDropped++;
                return false;
            }
        }
        long addr = free[--freeCount];
        MemorySegment.copy(src, offset, umem, addr, length);
        long d = tx.desc + 16L * (txProd & tx.mask);
        tx.map.set(LONG, d, addr);
        tx.map.set(I, d + 8, length);
        tx.map.set(I, d + 12, 0);
        txProd++;
        txPending++;
        return true;
    }

    @Override
    public int flush() {
        int pending = txPending;
        if (pending != 0) {
            txPending = 0;
            tx.release(tx.producer, txProd);
        }
        // Copy mode transmits at most txBudget descriptors per kick (32 before Linux 6.17): kick until the
        // kernel has consumed everything queued, also what an earlier flush left (a full ring would otherwise never
        // be kicked again), and stop when a kick makes no progress (the device is busy: the next flush retries).
        int cons = tx.acquire(tx.consumer);
        for (int k = 0; k < maxKicks && cons != txProd && tx.needsWakeup(); k++) {
            kicks++;
            try {
                socket.sendTo(empty, 0, 0, LinuxSocket.MSG_DONTWAIT, null);
            } catch (NativeException e) {
                kickErrors++; // EBUSY/ENOBUFS/ENETDOWN: the descriptors stay queued for the next kick
                break;
            }
            int now = tx.acquire(tx.consumer);
            if (now == cons) {
                break;
            }
            cons = now;
        }
        reclaim();
        return pending;
    }

    @Override
    public long rxPackets() {
        return rxPackets;
    }

    @Override
    public long txDropped() {
        return txDropped;
    }

    /** Descriptors one TX kick may transmit (the ring size where the kernel allows it, else 32). */
    public int txBudget() {
        return txBudget;
    }

    /** TX kicks ({@code sendto}) issued. */
    public long kicks() {
        return kicks;
    }

    /** TX kicks the kernel refused (EBUSY, ENOBUFS...; the descriptors went with a later kick). */
    public long kickErrors() {
        return kickErrors;
    }

    /**
     * The kernel's counters of this socket ({@code XDP_STATISTICS}, {@code struct xdp_statistics}): frames dropped on
     * receive, invalid RX/TX descriptors, RX ring full, fill ring empty, TX ring empty; as many as the kernel reports.
     * Allocates; not for the packet path.
     */
    public long[] statistics() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(48, 8);
            int n = socket.getOption(LinuxSocket.SOL_XDP, LinuxSocket.XDP_STATISTICS, out);
            long[] v = new long[Math.min(6, n / 8)];
            for (int i = 0; i < v.length; i++) {
                v[i] = out.get(LONG, 8L * i);
            }
            return v;
        }
    }

    @Override
    public void close() {
        if (!socket.isOpen()) {
            return;
        }
        socket.close();
        for (Ring r : new Ring[] {rx, tx, fill, comp}) {
            Mmap.unmap(r.map);
        }
        Mmap.unmap(umem);
        arena.close();
    }

    @Override
    public String toString() {
        return "AF_XDP port on " + ifName + " queue " + queue;
    }
}

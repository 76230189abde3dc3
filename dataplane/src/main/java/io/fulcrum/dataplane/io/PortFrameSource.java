package io.fulcrum.dataplane.io;

import io.fulcrum.dataplane.Frame;
import io.fulcrum.dataplane.FrameProcessor;
import io.fulcrum.dataplane.FrameSource;
import io.fulcrum.dataplane.Verdict;
import io.fulcrum.dataplane.io.arp.ArpNdResponder;
import io.fulcrum.dataplane.io.arp.EchoResponder;
import io.fulcrum.dataplane.io.arp.KernelNeighbourTable;
import io.fulcrum.dataplane.io.arp.NeighbourWaitQueue;
import io.fulcrum.dataplane.counters.DataplaneCounter;
import io.fulcrum.dataplane.counters.DataplaneCounters;
import io.fulcrum.dataplane.io.arp.NeighbourAdvertisementListener;
import io.fulcrum.dataplane.packet.NetworkByteOrder;
import io.fulcrum.dataplane.service.ServiceTable;
import io.fulcrum.netlink.LinuxSocket;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.function.Supplier;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

/**
 * A worker's {@link FrameSource} over its packet ports (one per interface): each received frame is copied into a
 * buffer with headroom and tailroom (so the core may encapsulate or insert TOA), offered to the ARP/ND responder,
 * then to the forwarding core, and the verdict is carried out: {@link Verdict#TX} copies the frame into the transmit
 * ring of the port the core chose. {@link Verdict#LOCAL} needs nothing more on AF_PACKET (the kernel received its own
 * copy of the frame) and is counted as passed to the kernel; on AF_XDP (the kernel never sees a steered frame) an ICMP
 * echo request to an owned address is answered ({@link EchoResponder}) and anything else left to the kernel is lost
 * and counted. After a batch the transmit rings are kicked and, on the
 * worker that solicits, ARP requests / neighbour solicitations go out for unresolved next hops.
 *
 * <p>Owned by one worker thread. Nothing is allocated per frame.
 */
public final class PortFrameSource implements FrameSource, IoPort.FrameHandler, KernelNeighbourTable.Solicitor,
        AutoCloseable {

    /** Told about each new service-table snapshot, on the worker thread, before the batch that first uses it. */
    @FunctionalInterface
    public interface TableListener {
        /** A new snapshot is in use. */
        void onTable(ServiceTable table);
    }

    /** Headroom before each frame in the work buffer. */
    public static final int HEADROOM = 256;
    /** Size of the work buffer. */
    public static final int BUFFER_SIZE = 4096;
    /** Frames each worker holds while their next hop resolves. */
    public static final int NEIGHBOUR_WAIT_FRAMES = 32;
    /** How long a frame waits for its next hop to resolve before it is dropped. */
    public static final long NEIGHBOUR_WAIT_NS = 1_000_000_000L;

    private final IoPort[] ports;
    private final long[] portMacs;
    private final int[] portIpv4;
    private final long[] portIpv6Hi;
    private final long[] portIpv6Lo;
    private final ArpNdResponder responder;
    private final EchoResponder echo;
    private final KernelNeighbourTable neighbours;
    private final boolean solicits;
    private final Supplier<ServiceTable> tables;
    private final boolean kernelSeesFrames;
    private final LinuxSocket[] arpListeners;
    private final TableListener listener;
    private NeighbourAdvertisementListener ndListener;
    private static final int LISTENER_PERIOD_MASK = 63;
    /** At most one look at the learning listeners per this many nanoseconds (each look is 2-3 syscalls). */
    private static final long LISTENER_PERIOD_NS = 10_000_000L;
    private final NanoClock nanoClock = SystemNanoClock.INSTANCE;
    private long nextListenerDrainNs;
    private ServiceTable lastTable;
    private long cycle;
    private long lost;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment work = arena.allocate(BUFFER_SIZE, 64);
    private final MemorySegment control = arena.allocate(256, 64);
    private final Frame frame = new Frame();
    private final NeighbourWaitQueue waiting;
    private final NeighbourWaitQueue.Sender releaser = this::sendHeld;
    private DataplaneCounters counters;
    private int worker = -1;

    private FrameProcessor processor;
    private int port;
    private long txFrames;
    private long txFailed;
    private long passed;
    private long dropped;
    private long replies;
    private long solicitations;

    /**
     * Creates the source of one worker. {@code portIpv4} and {@code portIpv6Hi/Lo} are each port's kernel address
     * used as the sender of ARP requests and solicitations (0 when none); {@code solicits} makes this worker the one
     * that sends them. {@code kernelSeesFrames} is true for AF_PACKET (the kernel got its own copy of every frame, so
     * {@link Verdict#LOCAL} needs nothing) and false for AF_XDP (a redirected frame the core leaves to the kernel is
     * lost and counted). {@code arpListeners} (per port, may be null) are plain packet sockets that see the ARP frames
     * the XDP program passed to the kernel, so replies to our own requests are learned; {@code listener} (may be
     * null) hears of each new snapshot.
     */
    public PortFrameSource(IoPort[] ports, long[] portMacs, int[] portIpv4, long[] portIpv6Hi, long[] portIpv6Lo,
                           KernelNeighbourTable neighbours, boolean solicits, Supplier<ServiceTable> tables,
                           boolean kernelSeesFrames, LinuxSocket[] arpListeners, TableListener listener) {
        this.ports = ports.clone();
        this.portMacs = portMacs.clone();
        this.portIpv4 = portIpv4.clone();
        this.portIpv6Hi = portIpv6Hi.clone();
        this.portIpv6Lo = portIpv6Lo.clone();
        this.neighbours = neighbours;
        this.responder = new ArpNdResponder(portMacs, neighbours);
        this.echo = new EchoResponder(portMacs, responder);
        this.waiting = new NeighbourWaitQueue(neighbours == null ? 0 : NEIGHBOUR_WAIT_FRAMES, BUFFER_SIZE,
                NEIGHBOUR_WAIT_NS, nanoClock, portMacs);
        this.solicits = solicits;
        this.tables = tables;
        this.kernelSeesFrames = kernelSeesFrames;
        this.arpListeners = arpListeners == null ? null : arpListeners.clone();
        this.listener = listener;
    }

    @Override
    public int poll(FrameProcessor processor, int limit) {
        this.processor = processor;
        ServiceTable t = tables.get();
        if (t != lastTable) {
            lastTable = t;
            if (listener != null) {
                listener.onTable(t);
            }
        }
        responder.serviceTable(t);
        int n = 0;
        if ((cycle++ & LISTENER_PERIOD_MASK) == 0 && (arpListeners != null || ndListener != null)
                && nanoClock.nanoTime() - nextListenerDrainNs >= 0) {
            // ARP replies and advertisements for the kernel's addresses are rare: look every 64 duty cycles and at
            // most every 10 ms (the idle strategy also wakes for them); the syscalls of a look that finds nothing
            // were most of what the worker allocated per frame on AF_XDP (FFM call state in rarely compiled paths)
            nextListenerDrainNs = nanoClock.nanoTime() + LISTENER_PERIOD_NS;
            if (arpListeners != null) {
                drainArpListeners();
            }
            if (ndListener != null && neighbours != null) {
                ndListener.drain(neighbours, work, HEADROOM, 16);
            }
        }
        for (int p = 0; p < ports.length && n < limit; p++) {
            port = p;
            n += ports[p].receive(this, limit - n);
        }
        if (waiting.size() > 0) {
            int timedOut = waiting.release(neighbours, releaser);
            if (timedOut > 0) {
                count(DataplaneCounter.DROP_NEIGHBOUR_TIMEOUT, timedOut);
                dropped += timedOut;
            }
        }
        for (IoPort io : ports) {
            io.flush();
        }
        if (solicits && neighbours != null && neighbours.drainMisses(this) > 0) {
            for (IoPort io : ports) {
                io.flush();
            }
        }
        return n;
    }

    @Override
    public void onFrame(MemorySegment segment, long offset, int length) {
        if (length > BUFFER_SIZE - HEADROOM - 64) {
            dropped++;
            return;
        }
        MemorySegment.copy(segment, offset, work, HEADROOM, length);
        if (responder.handle(work, HEADROOM, length, port) == ArpNdResponder.Outcome.REPLY) {
            replies++;
            send(port, HEADROOM, responder.replyLength());
            return;
        }
        frame.wrap(work, 0, HEADROOM, length, BUFFER_SIZE, port);
        Verdict v = processor.process(frame);
        switch (v) {
            case TX -> send(frame.txPort(), frame.offset(), frame.length());
            case LOCAL -> {
                if (kernelSeesFrames) {
                    passed++;
                } else if (echo.answer(work, frame.offset(), frame.length(), port)) {
                    // ping of an owned VIP or local address: the kernel never sees it on AF_XDP
                    send(port, frame.offset(), frame.length());
                } else {
                    lost++;
                }
            }
            default -> {
                if (frame.dropReason() == DataplaneCounter.DROP_NO_NEIGHBOUR && neighbours != null
                        && neighbours.routed(frame.nextHopHi(), frame.nextHopLo())) {
                    // the next hop is being solicited: hold the frame rather than lose it (the core counted a drop)
                    count(DataplaneCounter.DROP_NO_NEIGHBOUR, -1);
                    if (waiting.hold(work, frame.offset(), frame.length(), frame.nextHopHi(), frame.nextHopLo())) {
                        count(DataplaneCounter.NEIGHBOUR_HELD, 1);
                        return;
                    }
                    count(DataplaneCounter.DROP_NEIGHBOUR_QUEUE_FULL, 1);
                }
                dropped++;
            }
        }
    }

    private void count(DataplaneCounter c, long delta) {
        if (counters != null) {
            counters.add(worker, c, delta);
        }
    }

    /** Sends a frame the wait queue released (its next hop resolved). */
    private void sendHeld(int p, MemorySegment seg, long offset, int length) {
        int len = length;
        for (; len < 60; len++) {
            seg.set(java.lang.foreign.ValueLayout.JAVA_BYTE, offset + len, (byte) 0); // Ethernet minimum
        }
        if (p >= 0 && p < ports.length && ports[p].transmit(seg, offset, len)) {
            txFrames++;
            count(DataplaneCounter.TX_PACKETS, 1);
            count(DataplaneCounter.TX_BYTES, length);
        } else {
            txFailed++;
        }
    }

    /**
     * Counts into {@code worker}'s dataplane counters what this source decides (frames held for a neighbour, their
     * overflow and timeout drops). Call before the worker starts.
     */
    public void counters(DataplaneCounters counters, int worker) {
        this.counters = counters;
        this.worker = worker;
    }

    /** The frames waiting for their next hop (counters). */
    public NeighbourWaitQueue neighbourWaitQueue() {
        return waiting;
    }

    private void send(int p, long offset, int length) {
        if (p < 0 || p >= ports.length) {
            txFailed++;
            return;
        }
        int len = length;
        if (len < 60) {
            for (; len < 60; len++) {
                work.set(java.lang.foreign.ValueLayout.JAVA_BYTE, offset + len, (byte) 0); // Ethernet minimum
            }
        }
        if (ports[p].transmit(work, offset, len)) {
            txFrames++;
        } else {
            txFailed++;
        }
    }

    private void drainArpListeners() {
        for (int p = 0; p < arpListeners.length; p++) {
            LinuxSocket l = arpListeners[p];
            if (l == null) {
                continue;
            }
            for (int i = 0; i < 64; i++) {
                int n = l.recv(work, HEADROOM, BUFFER_SIZE - HEADROOM);
                if (n < 0) {
                    break;
                }
                responder.handle(work, HEADROOM, n, p); // learn only: owned targets never reach the kernel
            }
        }
    }

    @Override
    public void solicit(int p, long hi, long lo) {
        int len;
        if (NetworkByteOrder.isV4Mapped(hi, lo)) {
            len = ArpNdResponder.writeArpRequest(control, 0, portMacs[p], portIpv4[p], (int) lo);
        } else {
            len = ArpNdResponder.writeSolicitation(control, 0, portMacs[p], portIpv6Hi[p], portIpv6Lo[p], hi, lo);
        }
        if (ports[p].transmit(control, 0, len)) {
            solicitations++;
        }
    }

    /** The descriptors an idle worker should wake for besides its ports (the learning listeners). */
    public int[] listenerFds() {
        int n = (arpListeners == null ? 0 : arpListeners.length) + (ndListener == null ? 0 : 1);
        int[] fds = new int[n];
        int i = 0;
        if (arpListeners != null) {
            for (LinuxSocket l : arpListeners) {
                fds[i++] = l == null ? -1 : l.fd();
            }
        }
        if (ndListener != null) {
            fds[i] = ndListener.fd();
        }
        return fds;
    }

    /** Also learns IPv6 next hops from advertisements the kernel received (AF_XDP); closed with this source. */
    public void neighbourAdvertisements(NeighbourAdvertisementListener listener) {
        this.ndListener = listener;
    }

    /** The responder (counters). */
    public ArpNdResponder responder() {
        return responder;
    }

    /** Frames transmitted (forwarded and replies). */
    public long txFrames() {
        return txFrames;
    }

    /** Frames that could not be queued for transmission. */
    public long txFailed() {
        return txFailed;
    }

    /** Frames left to the kernel. */
    public long passed() {
        return passed;
    }

    /** Frames dropped (by the core or too long). */
    public long dropped() {
        return dropped;
    }

    /** Frames the core left to the kernel that the kernel never saw (AF_XDP). */
    public long lost() {
        return lost;
    }

    /** ICMP/ICMPv6 echo replies sent for owned addresses (AF_XDP). */
    public long echoReplies() {
        return echo.replies();
    }

    /** ARP/ND replies sent. */
    public long replies() {
        return replies;
    }

    /** ARP requests / solicitations sent for unresolved next hops. */
    public long solicitations() {
        return solicitations;
    }

    /** The ports. */
    public IoPort[] ports() {
        return ports.clone();
    }

    /** Closes the ports. Call after the worker stopped. */
    @Override
    public void close() {
        for (IoPort p : ports) {
            p.close();
        }
        if (ndListener != null) {
            ndListener.close();
        }
        if (arpListeners != null) {
            for (LinuxSocket l : arpListeners) {
                if (l != null) {
                    l.close();
                }
            }
        }
        waiting.close();
        arena.close();
    }
}

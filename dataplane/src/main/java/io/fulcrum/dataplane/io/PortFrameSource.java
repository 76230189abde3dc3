package io.fulcrum.dataplane.io;

import io.fulcrum.dataplane.Frame;
import io.fulcrum.dataplane.FrameProcessor;
import io.fulcrum.dataplane.FrameSource;
import io.fulcrum.dataplane.Verdict;
import io.fulcrum.dataplane.io.arp.ArpNdResponder;
import io.fulcrum.dataplane.io.arp.KernelNeighbourTable;
import io.fulcrum.dataplane.packet.NetworkByteOrder;
import io.fulcrum.dataplane.service.ServiceTable;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.function.Supplier;

/**
 * A worker's {@link FrameSource} over its packet ports (one per interface): each received frame is copied into a
 * buffer with headroom and tailroom (so the core may encapsulate or insert TOA), offered to the ARP/ND responder,
 * then to the forwarding core, and the verdict is carried out: {@link Verdict#TX} copies the frame into the transmit
 * ring of the port the core chose. {@link Verdict#LOCAL} needs nothing more on AF_PACKET (the kernel received its own
 * copy of the frame) and is counted as passed to the kernel. After a batch the transmit rings are kicked and, on the
 * worker that solicits, ARP requests / neighbour solicitations go out for unresolved next hops.
 *
 * <p>Owned by one worker thread. Nothing is allocated per frame.
 */
public final class PortFrameSource implements FrameSource, IoPort.FrameHandler, KernelNeighbourTable.Solicitor,
        AutoCloseable {

    /** Headroom before each frame in the work buffer. */
    public static final int HEADROOM = 256;
    /** Size of the work buffer. */
    public static final int BUFFER_SIZE = 4096;

    private final IoPort[] ports;
    private final long[] portMacs;
    private final int[] portIpv4;
    private final long[] portIpv6Hi;
    private final long[] portIpv6Lo;
    private final ArpNdResponder responder;
    private final KernelNeighbourTable neighbours;
    private final boolean solicits;
    private final Supplier<ServiceTable> tables;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment work = arena.allocate(BUFFER_SIZE, 64);
    private final MemorySegment control = arena.allocate(256, 64);
    private final Frame frame = new Frame();

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
     * that sends them.
     */
    public PortFrameSource(IoPort[] ports, long[] portMacs, int[] portIpv4, long[] portIpv6Hi, long[] portIpv6Lo,
                           KernelNeighbourTable neighbours, boolean solicits, Supplier<ServiceTable> tables) {
        this.ports = ports.clone();
        this.portMacs = portMacs.clone();
        this.portIpv4 = portIpv4.clone();
        this.portIpv6Hi = portIpv6Hi.clone();
        this.portIpv6Lo = portIpv6Lo.clone();
        this.neighbours = neighbours;
        this.responder = new ArpNdResponder(portMacs, neighbours);
        this.solicits = solicits;
        this.tables = tables;
    }

    @Override
    public int poll(FrameProcessor processor, int limit) {
        this.processor = processor;
        responder.serviceTable(tables.get());
        int n = 0;
        for (int p = 0; p < ports.length && n < limit; p++) {
            port = p;
            n += ports[p].receive(this, limit - n);
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
            case LOCAL -> passed++;
            default -> dropped++;
        }
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
        arena.close();
    }
}

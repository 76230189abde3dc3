package io.fulcrum.dataplane.io;

import io.fulcrum.dataplane.Dataplane;
import io.fulcrum.dataplane.io.arp.ArpNdResponder;
import io.fulcrum.dataplane.io.arp.KernelNeighbourTable;
import io.fulcrum.dataplane.io.arp.NeighbourAdvertisementListener;
import io.fulcrum.dataplane.io.packet.FanoutSteering;
import io.fulcrum.dataplane.io.packet.TpacketV3Port;
import io.fulcrum.dataplane.io.xdp.XdpSteering;
import io.fulcrum.dataplane.io.xdp.XskPort;
import io.fulcrum.dataplane.service.ForwardingMethod;
import io.fulcrum.dataplane.service.RealServerSpec;
import io.fulcrum.dataplane.service.ServiceTable;
import io.fulcrum.dataplane.service.VirtualService;
import io.fulcrum.netlink.ResourceLimits;
import io.fulcrum.dataplane.packet.AddressWords;
import io.fulcrum.netlink.LinuxSocket;
import io.fulcrum.netlink.NativeException;
import io.fulcrum.netlink.SockAddr;
import io.fulcrum.netlink.rtnl.Address;
import io.fulcrum.netlink.rtnl.Link;
import io.fulcrum.netlink.rtnl.Rtnetlink;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SystemNanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dataplane's packet I/O, its public entry point: {@link #open(IoContext)} checks the interfaces and resources,
 * chooses the port kind (AF_XDP or AF_PACKET, the reason logged once), loads routes and neighbours from the kernel and
 * prepares the neighbour table and port MACs that the {@link io.fulcrum.dataplane.DataplaneContext} needs;
 * {@link #start(Dataplane)} opens one port per interface for each worker and runs the workers (port → ARP/ND
 * responder → forwarding core → port); {@link #announce(InetAddress)} sends gratuitous ARP / unsolicited neighbour
 * advertisements when the appliance becomes MASTER.
 *
 * <p>{@code open} and {@code start} must run on a thread inside the dataplane's network namespace (sockets stay in
 * the namespace they were opened in). Control methods are called from the control thread; they are synchronized.
 */
public final class DataplaneIo implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DataplaneIo.class);
    private static final AtomicLong FANOUT_SEQ = new AtomicLong();
    /** AF_XDP UMEM chunk size. */
    static final int XDP_CHUNK = 2048;

    /** The kind of port in use. */
    public enum PortKind {
        /** AF_XDP sockets behind an XDP program. */
        AF_XDP,
        /** AF_PACKET TPACKET_V3 sockets. */
        AF_PACKET
    }

    private final IoContext ctx;
    private final Rtnetlink rtnl;
    private final int[] ifindex;
    private final long[] macs;
    private final int[] ipv4;
    private final long[] ipv6Hi;
    private final long[] ipv6Lo;
    private final KernelNeighbourTable neighbours;
    private final PortKind kind;
    private final String reason;
    private final LinuxSocket[] announcers;
    private final XdpSteering[] steerings;
    private final List<InetAddress> kernelAddresses;
    private final SockAddr announceTo = new SockAddr();
    private final Arena arena = Arena.ofShared();
    private final MemorySegment announceBuf = arena.allocate(128, 8);
    private final List<AgentRunner> runners = new ArrayList<>();
    private final List<PortFrameSource> sources = new ArrayList<>();
    private boolean closed;

    private DataplaneIo(IoContext ctx, Rtnetlink rtnl, int[] ifindex, long[] macs, int[] ipv4, long[] ipv6Hi,
                        long[] ipv6Lo, KernelNeighbourTable neighbours, PortKind kind, String reason,
                        LinuxSocket[] announcers, XdpSteering[] steerings, List<InetAddress> kernelAddresses) {
        this.ctx = ctx;
        this.rtnl = rtnl;
        this.ifindex = ifindex;
        this.macs = macs;
        this.ipv4 = ipv4;
        this.ipv6Hi = ipv6Hi;
        this.ipv6Lo = ipv6Lo;
        this.neighbours = neighbours;
        this.kind = kind;
        this.reason = reason;
        this.announcers = announcers;
        this.steerings = steerings;
        this.kernelAddresses = kernelAddresses;
    }

    /**
     * Validates {@code ctx}, checks every interface exists and is an Ethernet device, reads its MAC and addresses,
     * chooses the port kind and loads the kernel's routes and neighbours. Runs in the calling thread's namespace.
     *
     * @throws IllegalStateException with an operator-readable message (interface missing, XDP refused...)
     */
    public static DataplaneIo open(IoContext ctx) {
        if (!ctx.isConcluded()) {
            ctx.conclude();
        }
        Rtnetlink rtnl = Rtnetlink.open();
        LinuxSocket[] announcers = new LinuxSocket[ctx.interfaces().size()];
        XdpSteering[] steerings = new XdpSteering[ctx.interfaces().size()];
        try {
            int n = ctx.interfaces().size();
            int[] ifindex = new int[n];
            long[] macs = new long[n];
            int[] ipv4 = new int[n];
            long[] v6hi = new long[n];
            long[] v6lo = new long[n];
            List<Address> addresses = rtnl.addresses();
            List<InetAddress> kernelAddresses = new ArrayList<>();
            for (int p = 0; p < n; p++) {
                String name = ctx.interfaces().get(p);
                Optional<Link> link = rtnl.link(name);
                if (link.isEmpty()) {
                    throw new IllegalStateException("dataplane.interfaces: interface " + name
                            + " does not exist (ENODEV)");
                }
                Link l = link.get();
                if (l.type() != 1 || l.mac().isEmpty()) {
                    throw new IllegalStateException("dataplane.interfaces: interface " + name
                            + " is not an Ethernet device (ARPHRD type " + l.type() + ")");
                }
                if (!l.adminUp()) {
                    throw new IllegalStateException("dataplane.interfaces: interface " + name + " is down");
                }
                ifindex[p] = l.index();
                macs[p] = KernelNeighbourTable.parseMac(l.mac());
                for (Address a : addresses) {
                    if (a.ifindex() != l.index()) {
                        continue;
                    }
                    kernelAddresses.add(a.address());
                    if (a.address() instanceof Inet4Address && ipv4[p] == 0) {
                        ipv4[p] = (int) AddressWords.lo(a.address());
                    } else if (!(a.address() instanceof Inet4Address) && (v6hi[p] == 0 || a.address().isLinkLocalAddress())) {
                        v6hi[p] = AddressWords.hi(a.address());
                        v6lo[p] = AddressWords.lo(a.address());
                    }
                }
                announcers[p] = LinuxSocket.packet(0);
            }
            String[] why = new String[1];
            PortKind kind = choose(ctx, ifindex, steerings, why);
            KernelNeighbourTable table = new KernelNeighbourTable(ifindex, ctx.neighbourCapacity(),
                    new SystemNanoClock());
            table.refresh(rtnl);
            if (kind == PortKind.AF_PACKET) {
                warnIfForwarding(ctx.interfaces());
            }
            LOG.info("dataplane: {} ports on {} ({})", kind == PortKind.AF_XDP ? "AF_XDP" : "AF_PACKET TPACKET_V3",
                    String.join(", ", ctx.interfaces()), why[0]);
            return new DataplaneIo(ctx, rtnl, ifindex, macs, ipv4, v6hi, v6lo, table, kind, why[0], announcers,
                    steerings, List.copyOf(kernelAddresses));
        } catch (RuntimeException e) {
            for (XdpSteering x : steerings) {
                if (x != null) {
                    x.close();
                }
            }
            for (LinuxSocket s : announcers) {
                if (s != null) {
                    s.close();
                }
            }
            rtnl.close();
            throw e;
        }
    }

    private static PortKind choose(IoContext ctx, int[] ifindex, XdpSteering[] steerings, String[] why) {
        if (ctx.mode() == PortMode.PACKET) {
            why[0] = "dataplane.port packet";
            return PortKind.AF_PACKET;
        }
        String cause = XdpAvailability.unavailabilityCause();
        if (cause == null) {
            try {
                checkMemlock(ctx);
                StringBuilder modes = new StringBuilder();
                for (int p = 0; p < ifindex.length; p++) {
                    String name = ctx.interfaces().get(p);
                    steerings[p] = XdpSteering.load(name);
                    String mode = steerings[p].attach(ifindex[p], ctx.xdpNativeFirst());
                    modes.append(p == 0 ? "" : ", ").append(name).append(' ').append(mode);
                }
                why[0] = (ctx.mode() == PortMode.XDP ? "dataplane.port xdp" : "dataplane.port auto")
                        + "; XDP attached in " + modes + " mode, copy mode sockets";
                return PortKind.AF_XDP;
            } catch (RuntimeException e) {
                for (int p = 0; p < steerings.length; p++) {
                    if (steerings[p] != null) {
                        steerings[p].close();
                        steerings[p] = null;
                    }
                }
                cause = e.getMessage();
            }
        }
        if (ctx.mode() == PortMode.XDP) {
            throw new IllegalStateException("dataplane.port xdp: AF_XDP unavailable: " + cause);
        }
        why[0] = "AF_XDP unavailable: " + cause;
        return PortKind.AF_PACKET;
    }

    /**
     * The AF_XDP UMEMs are locked memory: checks {@code RLIMIT_MEMLOCK} covers them, raising it when running as root.
     */
    private static void checkMemlock(IoContext ctx) {
        long needed = (long) ctx.workers() * ctx.interfaces().size() * ctx.xdpFrames() * XDP_CHUNK;
        ResourceLimits.Limit limit = ResourceLimits.memlock();
        if (limit.soft() == ResourceLimits.INFINITY || Long.compareUnsigned(limit.soft(), needed) >= 0
                || hasCapability(CAP_IPC_LOCK)) {
            return; // with CAP_IPC_LOCK the kernel does not charge UMEM pages to the limit
        }
        try {
            if (limit.hard() == ResourceLimits.INFINITY || Long.compareUnsigned(limit.hard(), needed) >= 0) {
                ResourceLimits.set(ResourceLimits.RLIMIT_MEMLOCK, new ResourceLimits.Limit(limit.hard(), limit.hard()));
            } else {
                ResourceLimits.setMemlock(ResourceLimits.INFINITY);
            }
        } catch (NativeException e) {
            throw new IllegalStateException("RLIMIT_MEMLOCK (" + limit + ") is below the " + needed
                    + " bytes the AF_XDP UMEMs need (dataplane.workers " + ctx.workers() + " x "
                    + ctx.interfaces().size() + " interfaces x dataplane.xdp_frames " + ctx.xdpFrames() + " x "
                    + XDP_CHUNK + " bytes) and cannot be raised (" + e.getMessage()
                    + "); set LimitMEMLOCK=infinity or run as root");
        }
    }

    private static final int CAP_IPC_LOCK = 14;

    /**
     * AF_PACKET leaves the kernel its own copy of every frame: with IP forwarding on, the kernel would forward VIP
     * traffic a second time. Warns once per interface (read in the calling thread's namespace).
     */
    private static void warnIfForwarding(List<String> interfaces) {
        for (String name : interfaces) {
            for (String family : new String[] {"ipv4", "ipv6"}) {
                java.nio.file.Path p = java.nio.file.Path.of("/proc/sys/net", family, "conf", name, "forwarding");
                try {
                    if (java.nio.file.Files.readString(p).strip().equals("1")) {
                        LOG.warn("dataplane: net.{}.conf.{}.forwarding is 1: with AF_PACKET ports the kernel also "
                                + "receives every frame and would forward traffic for the VIPs a second time; set it "
                                + "to 0", family, name);
                    }
                } catch (java.io.IOException | RuntimeException e) {
                    // not readable here: nothing to warn about
                }
            }
        }
    }

    /** Whether the process has a capability in its effective set ({@code CapEff} of /proc/self/status). */
    static boolean hasCapability(int cap) {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & (1L << cap)) != 0;
                }
            }
        } catch (java.io.IOException | NumberFormatException e) {
            return false;
        }
        return false;
    }

    /** The port kind chosen. */
    public PortKind portKind() {
        return kind;
    }

    /** Why that port kind was chosen (as logged). */
    public String selectionReason() {
        return reason;
    }

    /** Each port's MAC (index = port number), for {@code DataplaneContext.portMacs}. */
    public long[] portMacs() {
        return macs.clone();
    }

    /** The neighbour table, for {@code DataplaneContext.neighbourTable}. */
    public KernelNeighbourTable neighbourTable() {
        return neighbours;
    }

    /** The interface index of each port. */
    public int[] ifindexes() {
        return ifindex.clone();
    }

    /** Re-reads routes and neighbours from the kernel (call on netlink route/neighbour events). */
    public synchronized void refreshNeighbours() {
        neighbours.refresh(rtnl);
    }

    /**
     * Opens the ports of every worker and starts the workers. Must run in the dataplane's namespace.
     *
     * @throws IllegalStateException when the dataplane's workers or ports do not match this context
     */
    public synchronized void start(Dataplane dataplane) {
        if (dataplane.context().workers() != ctx.workers()) {
            throw new IllegalStateException("dataplane.workers " + dataplane.context().workers()
                    + " differs from the I/O workers " + ctx.workers());
        }
        if (dataplane.context().portMacs().length != ifindex.length) {
            throw new IllegalStateException("dataplane.port_macs lists " + dataplane.context().portMacs().length
                    + " ports but dataplane.interfaces " + ifindex.length);
        }
        int group = (int) ((ProcessHandle.current().pid() * 31 + FANOUT_SEQ.incrementAndGet() * 7) & 0xffff);
        boolean xdp = kind == PortKind.AF_XDP;
        try {
            if (xdp) {
                syncSteering(dataplane.serviceTable());
            }
            for (int w = 0; w < ctx.workers(); w++) {
                IoPort[] ports = new IoPort[ifindex.length];
                int[] fds = new int[ifindex.length];
                LinuxSocket[] listeners = xdp && w == 0 ? new LinuxSocket[ifindex.length] : null;
                PortFrameSource source = null;
                try {
                    for (int p = 0; p < ifindex.length; p++) {
                        String name = ctx.interfaces().get(p);
                        if (xdp) {
                            XskPort x = XskPort.open(name, ifindex[p], w, ctx.xdpFrames(), XDP_CHUNK,
                                    ctx.xdpRingSize());
                            ports[p] = x;
                            steerings[p].registerSocket(w, x.fd());
                            if (listeners != null) {
                                listeners[p] = arpListener(ifindex[p]);
                            }
                        } else {
                            TpacketV3Port tp = TpacketV3Port.open(name, ifindex[p], ctx.blockSize(),
                                    ctx.blockCount(), ctx.retireMs(), ctx.txFrameSize(), ctx.txBlockCount(),
                                    ctx.workers() > 1 ? (group + p) & 0xffff : -1, TpacketV3Port.FANOUT_CBPF);
                            ports[p] = tp;
                            if (ctx.workers() > 1) {
                                FanoutSteering.attach(tp.socket(), dataplane.context().localPortMin(),
                                        dataplane.context().localPortMax());
                            }
                        }
                        fds[p] = ports[p].fd();
                    }
                    source = new PortFrameSource(ports, macs, ipv4, ipv6Hi, ipv6Lo, neighbours, w == 0,
                            dataplane::serviceTable, !xdp, listeners, xdp && w == 0 ? this::syncSteering : null);
                } finally {
                    if (source == null) {
                        for (IoPort port : ports) {
                            if (port != null) {
                                port.close();
                            }
                        }
                        if (listeners != null) {
                            for (LinuxSocket l : listeners) {
                                if (l != null) {
                                    l.close();
                                }
                            }
                        }
                    }
                }
                source.counters(dataplane.counters(), w);
                sources.add(source);
                if (listeners != null) {
                    source.neighbourAdvertisements(NeighbourAdvertisementListener.open(ifindex));
                }
                int[] extra = source.listenerFds();
                int[] all = java.util.Arrays.copyOf(fds, fds.length + extra.length);
                System.arraycopy(extra, 0, all, fds.length, extra.length);
                AgentRunner runner = new AgentRunner(new PollIdleStrategy(all, ctx.spinsBeforePoll(),
                        ctx.pollTimeoutMs()), t -> LOG.error("dataplane worker error", t), null,
                        dataplane.agent(w, source));
                runners.add(runner);
            }
        } catch (RuntimeException e) {
            for (PortFrameSource s : sources) {
                s.close();
            }
            sources.clear();
            runners.clear();
            throw e;
        }
        for (int w = 0; w < runners.size(); w++) {
            int worker = w;
            AgentRunner.startOnThread(runners.get(w), r -> Thread.ofPlatform().name("fulcrum-dp-" + worker)
                    .daemon(true).unstarted(r));
        }
    }

    private static LinuxSocket arpListener(int ifindex) {
        LinuxSocket l = LinuxSocket.packet(LinuxSocket.ETH_P_ARP);
        try {
            l.setInt(LinuxSocket.SOL_PACKET, LinuxSocket.PACKET_IGNORE_OUTGOING, 1);
            l.bind(SockAddr.packet(LinuxSocket.ETH_P_ARP, ifindex, null));
            l.nonBlocking(true);
            return l;
        } catch (RuntimeException e) {
            l.close();
            throw e;
        }
    }

    /**
     * Makes the XDP programs steer what this snapshot owns: VIPs owned now and (while any VIP is owned) the FullNAT
     * local addresses by destination, the real servers of owned NAT services by source (their replies to clients),
     * never the node's own addresses. Called by worker 0 when it first sees a snapshot (bpf() map updates, rare).
     */
    public synchronized void syncSteering(ServiceTable table) {
        if (kind != PortKind.AF_XDP || table == null) {
            return;
        }
        Set<InetAddress> owned = new HashSet<>(table.spec().ownedAddresses());
        Set<InetAddress> natSources = new HashSet<>();
        boolean any = !owned.isEmpty();
        for (VirtualService vs : table.services()) {
            if (vs.method() == ForwardingMethod.FNAT && any) {
                for (int i = 0; i < vs.localAddressCount(); i++) {
                    owned.add(vs.localAddress(i));
                }
            }
            if (vs.method() == ForwardingMethod.NAT && vs.owned()) {
                for (RealServerSpec rs : vs.spec().realServers()) {
                    natSources.add(rs.address());
                }
            }
        }
        Set<InetAddress> node = new HashSet<>(table.spec().nodeAddresses());
        node.addAll(kernelAddresses);
        owned.removeAll(node);
        for (XdpSteering x : steerings) {
            x.sync(owned, natSources, node);
        }
    }

    /** The XDP steering of each port (AF_XDP only; null entries otherwise). */
    public XdpSteering[] steerings() {
        return steerings.clone();
    }

    /** The workers' threads (once started), e.g. to read their allocation counters. */
    public synchronized List<Thread> workerThreads() {
        List<Thread> out = new ArrayList<>();
        for (AgentRunner r : runners) {
            Thread t = r.thread();
            if (t != null) {
                out.add(t);
            }
        }
        return out;
    }

    /** The workers' frame sources (counters; read racily from other threads). */
    public List<PortFrameSource> sources() {
        return List.copyOf(sources);
    }

    /**
     * Sends a gratuitous ARP (IPv4: request with sender = target = {@code address}) or an unsolicited neighbour
     * advertisement (IPv6: to all-nodes, Override flag) for {@code address} on every port whose connected subnet
     * holds it, or on every port when none does. Returns the number of frames sent.
     */
    public synchronized int announce(InetAddress address) {
        long hi = AddressWords.hi(address);
        long lo = AddressWords.lo(address);
        boolean any = false;
        for (int p = 0; p < ifindex.length; p++) {
            any |= neighbours.onLink(p, hi, lo);
        }
        int sent = 0;
        for (int p = 0; p < ifindex.length; p++) {
            if (any && !neighbours.onLink(p, hi, lo)) {
                continue;
            }
            int len;
            int type;
            if (address instanceof Inet4Address) {
                len = ArpNdResponder.writeArpRequest(announceBuf, 0, macs[p], (int) lo, (int) lo);
                type = LinuxSocket.ETH_P_ARP;
            } else {
                len = ArpNdResponder.writeAdvertisement(announceBuf, 0, macs[p], 0x3333_0000_0001L, hi, lo,
                        0xff02_0000_0000_0000L, 1L, false);
                type = LinuxSocket.ETH_P_IPV6;
            }
            announceTo.setPacket(type, ifindex[p], null);
            try {
                if (announcers[p].sendTo(announceBuf, 0, len, announceTo) == len) {
                    sent++;
                }
            } catch (NativeException e) {
                LOG.warn("dataplane: cannot announce {} on {}: {}", address.getHostAddress(),
                        ctx.interfaces().get(p), e.getMessage());
            }
        }
        return sent;
    }

    /** Stops the workers, then closes the ports and sockets. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (AgentRunner r : runners) {
            r.close();
        }
        for (PortFrameSource s : sources) {
            s.close();
        }
        for (LinuxSocket s : announcers) {
            s.close();
        }
        for (XdpSteering x : steerings) {
            if (x != null) {
                x.close();
            }
        }
        rtnl.close();
        arena.close();
    }
}

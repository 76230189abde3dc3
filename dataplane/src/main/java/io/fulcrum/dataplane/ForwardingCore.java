package io.fulcrum.dataplane;

import static io.fulcrum.dataplane.conn.ConnectionTable.CLIENT;
import static io.fulcrum.dataplane.conn.ConnectionTable.CLIENT_PORT;
import static io.fulcrum.dataplane.conn.ConnectionTable.LOCAL;
import static io.fulcrum.dataplane.conn.ConnectionTable.LOCAL_PORT;
import static io.fulcrum.dataplane.conn.ConnectionTable.LOCAL_SLOT;
import static io.fulcrum.dataplane.conn.ConnectionTable.METHOD;
import static io.fulcrum.dataplane.conn.ConnectionTable.PROTOCOL;
import static io.fulcrum.dataplane.conn.ConnectionTable.REAL;
import static io.fulcrum.dataplane.conn.ConnectionTable.REAL_PORT;
import static io.fulcrum.dataplane.conn.ConnectionTable.REAL_SLOT;
import static io.fulcrum.dataplane.conn.ConnectionTable.SERVICE_SLOT;
import static io.fulcrum.dataplane.conn.ConnectionTable.STATE;
import static io.fulcrum.dataplane.conn.ConnectionTable.VIRTUAL;
import static io.fulcrum.dataplane.conn.ConnectionTable.VIRTUAL_PORT;

import io.fulcrum.dataplane.conn.ConnectionState;
import io.fulcrum.dataplane.conn.ConnectionTable;
import io.fulcrum.dataplane.counters.DataplaneCounter;
import io.fulcrum.dataplane.counters.DataplaneCounters;
import io.fulcrum.dataplane.counters.EntityCounter;
import io.fulcrum.dataplane.packet.EthernetFlyweight;
import io.fulcrum.dataplane.packet.IcmpFlyweight;
import io.fulcrum.dataplane.packet.Icmpv6Flyweight;
import io.fulcrum.dataplane.packet.InternetChecksum;
import io.fulcrum.dataplane.packet.Ipv4Flyweight;
import io.fulcrum.dataplane.packet.Ipv6Flyweight;
import io.fulcrum.dataplane.packet.NetworkByteOrder;
import io.fulcrum.dataplane.packet.TcpFlyweight;
import io.fulcrum.dataplane.sched.FlowHash;
import io.fulcrum.dataplane.sched.PersistenceTable;
import io.fulcrum.dataplane.service.ForwardingMethod;
import io.fulcrum.dataplane.service.ServiceTable;
import io.fulcrum.dataplane.service.VirtualService;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.Supplier;

/**
 * One worker's forwarding core: parses a frame in place through flyweights, finds or creates its connection,
 * schedules a real server, rewrites the frame for FullNAT, DR, NAT or TUN (with TOA insertion and translation of ICMP
 * errors that belong to a connection) and returns a {@link Verdict}.
 *
 * <p>Owned by one worker thread: the connection table, persistence table, scheduler cursors and flyweights are
 * confined to it and nothing is locked. The service table is re-read from its volatile publisher at
 * {@link #beginBatch()}. Nothing is allocated per packet.
 */
public final class ForwardingCore implements FrameProcessor, ConnectionTable.ExpiryListener, AutoCloseable {

    private static final int TCP = 6;
    private static final int UDP = 17;
    private static final int ICMP = 1;
    private static final int ICMPV6 = 58;
    private static final int TOA_OPTION = 254;
    private static final int PARSE_OK = 0;
    private static final int PARSE_LOCAL = -1;
    private static final int FNAT = ForwardingMethod.FNAT.ordinal();
    private static final int DR = ForwardingMethod.DR.ordinal();
    private static final int NAT = ForwardingMethod.NAT.ordinal();
    private static final int ESTABLISHED = ConnectionState.ESTABLISHED.ordinal();
    private static final DataplaneCounter[] COUNTERS = DataplaneCounter.values();
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;

    private final int worker;
    private final ConnectionTable conns;
    private final PersistenceTable persistence;
    private final DataplaneCounters counters;
    private final MemorySegment wseg;
    private final long wbase;
    private final MemorySegment eseg;
    private final long ebase;
    private final NeighbourTable neighbours;
    private final long[] portMacs;
    private final int mtu;
    private final long[] timeoutByState;
    private final org.agrona.concurrent.EpochClock clock;
    private final Supplier<ServiceTable> tables;
    private final int expiryLimit;
    private final int portFirst;
    private final int portStep;
    private final int portCount;
    private final int probeBudget;
    private int portCursor;
    private int laddrCursor;

    private ServiceTable table;
    private int[] rrCursor = new int[0];
    private int[] wrrIndex = new int[0];
    private int[] wrrWeight = new int[0];
    private long nowMs;
    // Per-batch accumulators of the hottest worker counters, flushed to the off-heap slots by endBatch().
    private long rxPackets;
    private long rxBytes;
    private long txPackets;
    private long txBytes;

    private final EthernetFlyweight eth = new EthernetFlyweight();
    private final Ipv4Flyweight ip4 = new Ipv4Flyweight();
    private final Ipv6Flyweight ip6 = new Ipv6Flyweight();
    private final TcpFlyweight tcp = new TcpFlyweight();
    private final IcmpFlyweight icmp = new IcmpFlyweight();
    private final Icmpv6Flyweight icmp6 = new Icmpv6Flyweight();
    private final Ipv4Flyweight innerIp4 = new Ipv4Flyweight();
    private final Ipv6Flyweight innerIp6 = new Ipv6Flyweight();

    // Registers of the frame being processed.
    private MemorySegment seg;
    private long frameOff;
    private int frameLen;
    private int l2len;
    private long l3;
    private long l4;
    private long ipEnd;
    private int family;
    private int proto;
    private long sHi;
    private long sLo;
    private long dHi;
    private long dLo;
    private int sport;
    private int dport;
    private int tcpFlags;
    private long l4Csum;
    private DataplaneCounter failure;
    private long ttlDelta;

    /**
     * Creates the core of worker {@code worker}. {@code tables} returns the newest published service table (a
     * volatile read). Called on the control thread before the worker starts.
     */
    public ForwardingCore(DataplaneContext ctx, int worker, DataplaneCounters counters, Supplier<ServiceTable> tables) {
        if (!ctx.isConcluded()) {
            throw new IllegalStateException("DataplaneContext.conclude() was not called");
        }
        this.worker = worker;
        this.clock = ctx.clock();
        this.nowMs = clock.time();
        this.conns = new ConnectionTable(ctx.connectionCapacity(), ctx.timerTickMs(), ctx.timerWheelSlots(), nowMs);
        this.persistence = new PersistenceTable(ctx.persistenceCapacity());
        this.counters = counters;
        this.wseg = counters.workerSegment();
        this.wbase = counters.workerBase(worker);
        this.eseg = counters.entitySegment();
        this.ebase = counters.entityBase(worker);
        this.neighbours = ctx.neighbourTable();
        this.portMacs = ctx.portMacs();
        this.mtu = ctx.mtu();
        this.timeoutByState = ctx.timeouts().toMillisByState();
        this.tables = tables;
        this.expiryLimit = ctx.expiryBatchLimit();
        int workers = ctx.workers();
        int first = ctx.localPortMin();
        while (Math.floorMod(first, workers) != worker) {
            first++;
        }
        this.portFirst = first;
        this.portStep = workers;
        this.portCount = first > ctx.localPortMax() ? 0 : (ctx.localPortMax() - first) / workers + 1;
        this.probeBudget = ctx.localPortProbeBudget();
        this.table = tables.get();
        resizeSchedulerState();
    }

    /** This core's worker number. */
    public int worker() {
        return worker;
    }

    /** The connection table (for admin listing and tests; on the worker thread only). */
    public ConnectionTable connections() {
        return conns;
    }

    /** The service table this core uses now. */
    public ServiceTable serviceTable() {
        return table;
    }

    /**
     * Publishes the batch's receive/transmit counts to the off-heap counters; call after each batch (the
     * {@link DataplaneWorkerAgent} does). Other counters are published as they change.
     */
    public void endBatch() {
        if (rxPackets != 0) {
            add(DataplaneCounter.RX_PACKETS, rxPackets);
            add(DataplaneCounter.RX_BYTES, rxBytes);
            rxPackets = 0;
            rxBytes = 0;
        }
        if (txPackets != 0) {
            add(DataplaneCounter.TX_PACKETS, txPackets);
            add(DataplaneCounter.TX_BYTES, txBytes);
            txPackets = 0;
            txBytes = 0;
        }
    }

    /** Reads the clock and picks up the newest service table; call before each batch. */
    public void beginBatch() {
        endBatch(); // in case the caller did not: counts are then at most one batch late
        nowMs = clock.time();
        ServiceTable newest = tables.get();
        if (newest != table) {
            table = newest;
            resizeSchedulerState();
        }
    }

    /** Expires connections due by now (bounded per call). Returns the number expired. */
    public int expire() {
        return conns.expire(nowMs, expiryLimit, this);
    }

    private void resizeSchedulerState() {
        int n = table == null ? 0 : table.serviceCount();
        if (rrCursor.length < n) {
            rrCursor = java.util.Arrays.copyOf(rrCursor, n);
            int old = wrrIndex.length;
            wrrIndex = java.util.Arrays.copyOf(wrrIndex, n);
            wrrWeight = java.util.Arrays.copyOf(wrrWeight, n);
            for (int i = old; i < n; i++) {
                wrrIndex[i] = -1;
            }
        }
    }

    @Override
    public void onExpired(int e) {
        entityAdd(conns.intField(e, SERVICE_SLOT), EntityCounter.CONNECTIONS_ACTIVE, -1);
        entityAdd(conns.intField(e, REAL_SLOT), EntityCounter.CONNECTIONS_ACTIVE, -1);
        int ls = conns.intField(e, LOCAL_SLOT);
        if (ls >= 0) {
            entityAdd(ls, EntityCounter.CONNECTIONS_ACTIVE, -1);
        }
        if (conns.byteField(e, STATE) != ESTABLISHED) {
            inactiveAdd(e, -1);
        }
        add(DataplaneCounter.CONNECTIONS_ACTIVE, -1);
        add(DataplaneCounter.CONNECTIONS_EXPIRED, 1);
        conns.free(e);
    }

    // ================================================================== counters

    private void add(DataplaneCounter c, long delta) {
        long off = wbase + (long) c.ordinal() * Long.BYTES;
        wseg.set(LONG, off, wseg.get(LONG, off) + delta);
    }

    private void entityAdd(int slot, EntityCounter c, long delta) {
        long off = ebase + ((long) slot * EntityCounter.STRIDE_LONGS + c.ordinal()) * Long.BYTES;
        eseg.set(LONG, off, eseg.get(LONG, off) + delta);
    }

    /**
     * Sets the state of connection {@code e} from {@code from} to {@code to} (the one place a connection's state is
     * written, at creation with {@code from} = -1), keeping the inactive (not ESTABLISHED) count of its service, real
     * server and local address.
     */
    private void state(int e, int from, int to) {
        conns.byteField(e, STATE, to);
        boolean wasInactive = from >= 0 && from != ESTABLISHED;
        boolean inactive = to != ESTABLISHED;
        if (wasInactive != inactive) {
            inactiveAdd(e, inactive ? 1 : -1);
        }
    }

    private void inactiveAdd(int e, int delta) {
        entityAdd(conns.intField(e, SERVICE_SLOT), EntityCounter.CONNECTIONS_INACTIVE, delta);
        entityAdd(conns.intField(e, REAL_SLOT), EntityCounter.CONNECTIONS_INACTIVE, delta);
        int ls = conns.intField(e, LOCAL_SLOT);
        if (ls >= 0) {
            entityAdd(ls, EntityCounter.CONNECTIONS_INACTIVE, delta);
        }
    }

    private void countTraffic(int slot, int packetsCounter, int bytesCounter) {
        long line = ebase + (long) slot * EntityCounter.STRIDE_LONGS * Long.BYTES;
        long p = line + (long) packetsCounter * Long.BYTES;
        long b = line + (long) bytesCounter * Long.BYTES;
        eseg.set(LONG, p, eseg.get(LONG, p) + 1);
        eseg.set(LONG, b, eseg.get(LONG, b) + frameLen);
    }

    private long activeConnections(int slot) {
        return eseg.get(LONG, ebase + ((long) slot * EntityCounter.STRIDE_LONGS
                + EntityCounter.CONNECTIONS_ACTIVE.ordinal()) * Long.BYTES);
    }

    private Verdict drop(Frame f, DataplaneCounter reason) {
        add(reason, 1);
        f.dropReason(reason);
        return Verdict.DROP;
    }

    private Verdict local(Frame f) {
        add(DataplaneCounter.LOCAL_PACKETS, 1);
        return Verdict.LOCAL;
    }

    // ================================================================== parse

    @Override
    public Verdict process(Frame f) {
        seg = f.segment();
        frameOff = f.offset();
        frameLen = f.length();
        rxPackets++;
        rxBytes += frameLen;
        if (frameLen < EthernetFlyweight.HEADER_LENGTH) {
            return drop(f, DataplaneCounter.DROP_MALFORMED);
        }
        eth.wrap(seg, frameOff);
        l2len = eth.headerLength();
        if (frameLen < l2len) {
            return drop(f, DataplaneCounter.DROP_MALFORMED);
        }
        l3 = frameOff + l2len;
        int type = eth.etherType();
        int parsed;
        if (type == EthernetFlyweight.TYPE_IPV4) {
            parsed = parseIpv4();
        } else if (type == EthernetFlyweight.TYPE_IPV6) {
            parsed = parseIpv6();
        } else {
            return local(f); // ARP and everything else: the kernel (and the I/O layer's responders) handle it
        }
        if (parsed == PARSE_LOCAL) {
            return local(f);
        }
        if (parsed != PARSE_OK) {
            return drop(f, COUNTERS[parsed - 1]);
        }
        if (proto == TCP || proto == UDP) {
            return transport(f);
        }
        return icmp(f);
    }

    private static int fail(DataplaneCounter c) {
        return c.ordinal() + 1;
    }

    private int parseIpv4() {
        int avail = frameLen - l2len;
        if (avail < Ipv4Flyweight.MIN_HEADER_LENGTH) {
            return fail(DataplaneCounter.DROP_MALFORMED);
        }
        ip4.wrap(seg, l3);
        // Three wide reads instead of one per field (each FFM access carries its own checks).
        long w0 = seg.get(NetworkByteOrder.U64, l3); // version/IHL, TOS, total length, id, flags/fragment
        long w1 = seg.get(NetworkByteOrder.U64, l3 + 8); // TTL, protocol, checksum, source
        int dst = NetworkByteOrder.u32(seg, l3 + Ipv4Flyweight.DST_OFFSET);
        int verIhl = (int) (w0 >>> 56) & 0xFF;
        int ihl = (verIhl & 0x0F) * 4;
        int total = (int) (w0 >>> 32) & 0xFFFF;
        if ((verIhl >>> 4) != 4 || ihl < 20 || total < ihl || total > avail) {
            return fail(DataplaneCounter.DROP_MALFORMED);
        }
        family = 4;
        proto = (int) (w1 >>> 48) & 0xFF;
        sHi = 0;
        sLo = NetworkByteOrder.mappedLo((int) w1);
        dHi = 0;
        dLo = NetworkByteOrder.mappedLo(dst);
        l4 = l3 + ihl;
        ipEnd = l3 + total;
        if ((w0 & 0x3FFF) != 0 && (proto == TCP || proto == UDP)) {
            return fragment();
        }
        return parseTransport();
    }

    private int parseIpv6() {
        int avail = frameLen - l2len;
        if (avail < Ipv6Flyweight.HEADER_LENGTH) {
            return fail(DataplaneCounter.DROP_MALFORMED);
        }
        ip6.wrap(seg, l3, avail);
        int total = Ipv6Flyweight.HEADER_LENGTH + ip6.payloadLength();
        if (ip6.version() != 6 || total > avail) {
            return fail(DataplaneCounter.DROP_MALFORMED);
        }
        family = 6;
        ipEnd = l3 + total;
        int up = ip6.upperLayerProtocol();
        if (up == Ipv6Flyweight.LATER_FRAGMENT) {
            dHi = ip6.destinationHi();
            dLo = ip6.destinationLo();
            return fragment();
        }
        if (up < 0 || ip6.upperLayerOffset() > ipEnd) {
            return fail(DataplaneCounter.DROP_MALFORMED);
        }
        proto = up;
        sHi = ip6.sourceHi();
        sLo = ip6.sourceLo();
        dHi = ip6.destinationHi();
        dLo = ip6.destinationLo();
        l4 = ip6.upperLayerOffset();
        return parseTransport();
    }

    /** Fragments are not reassembled: dropped (and counted) when addressed to us, otherwise the kernel's. */
    private int fragment() {
        return table != null && table.addressKind(dHi, dLo) != 0 ? fail(DataplaneCounter.DROP_FRAGMENT) : PARSE_LOCAL;
    }

    private int parseTransport() {
        long l4len = ipEnd - l4;
        if (proto == TCP) {
            if (l4len < TcpFlyweight.MIN_HEADER_LENGTH) {
                return fail(DataplaneCounter.DROP_MALFORMED);
            }
            tcp.wrap(seg, l4);
            int ports = NetworkByteOrder.u32(seg, l4);
            int offsetAndFlags = NetworkByteOrder.u16(seg, l4 + TcpFlyweight.DATA_OFFSET_OFFSET);
            int thl = (offsetAndFlags >>> 12) * 4;
            if (thl < TcpFlyweight.MIN_HEADER_LENGTH || thl > l4len) {
                return fail(DataplaneCounter.DROP_MALFORMED);
            }
            sport = ports >>> 16;
            dport = ports & 0xFFFF;
            tcpFlags = offsetAndFlags & 0xFF;
            l4Csum = l4 + TcpFlyweight.CHECKSUM_OFFSET;
            return PARSE_OK;
        }
        if (proto == UDP) {
            if (l4len < 8) {
                return fail(DataplaneCounter.DROP_MALFORMED);
            }
            int ports = NetworkByteOrder.u32(seg, l4);
            sport = ports >>> 16;
            dport = ports & 0xFFFF;
            tcpFlags = 0;
            l4Csum = family == 4 && NetworkByteOrder.u16(seg, l4 + 6) == 0 ? -1 : l4 + 6;
            return PARSE_OK;
        }
        if ((proto == ICMP && family == 4) || (proto == ICMPV6 && family == 6)) {
            if (l4len < 8) {
                return fail(DataplaneCounter.DROP_MALFORMED);
            }
            sport = 0;
            dport = 0;
            l4Csum = -1;
            return PARSE_OK;
        }
        return PARSE_LOCAL;
    }

    // ================================================================== TCP/UDP

    private Verdict transport(Frame f) {
        int ref = conns.lookup(proto, sHi, sLo, sport, dHi, dLo, dport);
        if (ref >= 0) {
            int e = ref >>> 1;
            if ((ref & 1) != 0 || !reusable(e)) {
                return forward(f, e, ref & 1);
            }
            // IPVS's conn_reuse_mode: a new SYN on a closing entry starts a new connection, scheduled afresh.
            onExpired(e);
            add(DataplaneCounter.CONNECTIONS_REUSED, 1);
        }
        VirtualService svc = table == null ? null : table.find(proto, dHi, dLo, dport);
        if (svc == null || !svc.owned()) {
            if (table != null && (table.addressKind(dHi, dLo) & ServiceTable.KIND_LOCAL_ADDRESS) != 0) {
                return drop(f, DataplaneCounter.DROP_NO_CONNECTION); // stale reply to a FullNAT local address
            }
            return local(f);
        }
        if (proto == TCP && (tcpFlags & (TcpFlyweight.SYN | TcpFlyweight.ACK | TcpFlyweight.RST)) != TcpFlyweight.SYN) {
            return drop(f, DataplaneCounter.DROP_NO_CONNECTION);
        }
        int e = createConnection(svc);
        if (e < 0) {
            return drop(f, failure);
        }
        return forward(f, e, 0);
    }

    /**
     * Whether a segment from the client on entry {@code e} opens a new connection over a closing one: a SYN without
     * ACK while the entry is in TIME_WAIT or CLOSE, or in FIN_WAIT for DR and TUN (whose replies bypass the dataplane,
     * so the real server's FIN is never seen and the entry would never leave FIN_WAIT).
     */
    private boolean reusable(int e) {
        if (proto != TCP || (tcpFlags & (TcpFlyweight.SYN | TcpFlyweight.ACK | TcpFlyweight.RST)) != TcpFlyweight.SYN) {
            return false;
        }
        int st = conns.byteField(e, STATE);
        if (st == ConnectionState.TIME_WAIT.ordinal() || st == ConnectionState.CLOSE.ordinal()) {
            return true;
        }
        int method = conns.byteField(e, METHOD);
        return st == ConnectionState.FIN_WAIT.ordinal() && method != FNAT && method != NAT;
    }

    private int createConnection(VirtualService svc) {
        int rs = schedule(svc);
        if (rs < 0) {
            failure = DataplaneCounter.DROP_NO_REAL_SERVER;
            return -1;
        }
        int e = conns.allocate();
        if (e < 0) {
            add(DataplaneCounter.CONNECTION_TABLE_FULL, 1);
            failure = DataplaneCounter.DROP_TABLE_FULL;
            return -1;
        }
        int method = svc.method().ordinal();
        conns.address(e, CLIENT, sHi, sLo);
        conns.port(e, CLIENT_PORT, sport);
        conns.address(e, VIRTUAL, dHi, dLo);
        conns.port(e, VIRTUAL_PORT, dport);
        long rHi = svc.realHi(rs);
        long rLo = svc.realLo(rs);
        int rport = svc.realPort(rs);
        conns.address(e, REAL, rHi, rLo);
        conns.port(e, REAL_PORT, rport);
        conns.byteField(e, PROTOCOL, proto);
        conns.byteField(e, METHOD, method);
        conns.byteField(e, STATE, ESTABLISHED); // not counted until the connection is complete (state() below)
        conns.intField(e, SERVICE_SLOT, svc.counterSlot());
        conns.intField(e, REAL_SLOT, svc.realSlot(rs));
        conns.intField(e, LOCAL_SLOT, -1);
        if (method == FNAT) {
            if (!chooseLocal(svc, e, rHi, rLo, rport)) {
                conns.free(e);
                add(DataplaneCounter.LOCAL_ADDRESS_EXHAUSTED, 1);
                failure = DataplaneCounter.DROP_NO_LOCAL_ADDRESS;
                return -1;
            }
        } else if (method == NAT) {
            conns.address(e, LOCAL, sHi, sLo);
            conns.port(e, LOCAL_PORT, sport);
        } else if (method != DR) {
            conns.address(e, LOCAL, svc.tunnelSourceHi(), svc.tunnelSourceLo()); // TUN: outer source
            conns.port(e, LOCAL_PORT, 0);
        }
        conns.link(e, 0);
        if ((method == FNAT || method == NAT) && !conns.link(e, 1)) {
            conns.free(e); // NAT: another client already uses this RIP:rport/client tuple
            failure = DataplaneCounter.DROP_NO_CONNECTION;
            return -1;
        }
        int flags = 0;
        if (svc.toa()) {
            flags |= ConnectionTable.F_TOA;
        }
        if (svc.realLocal(rs)) {
            flags |= ConnectionTable.F_REAL_LOCAL;
        }
        conns.setFlags(e, flags);
        state(e, -1, proto == TCP ? ConnectionState.NONE.ordinal() : ConnectionState.UDP.ordinal());
        add(DataplaneCounter.CONNECTIONS_CREATED, 1);
        add(DataplaneCounter.CONNECTIONS_ACTIVE, 1);
        entityAdd(svc.counterSlot(), EntityCounter.CONNECTIONS_ACTIVE, 1);
        entityAdd(svc.counterSlot(), EntityCounter.CONNECTIONS_TOTAL, 1);
        entityAdd(svc.realSlot(rs), EntityCounter.CONNECTIONS_ACTIVE, 1);
        entityAdd(svc.realSlot(rs), EntityCounter.CONNECTIONS_TOTAL, 1);
        int ls = conns.intField(e, LOCAL_SLOT);
        if (ls >= 0) {
            entityAdd(ls, EntityCounter.CONNECTIONS_ACTIVE, 1);
            entityAdd(ls, EntityCounter.CONNECTIONS_TOTAL, 1);
        }
        if (svc.persistenceMs() > 0) {
            if (persistence.put(svc.counterSlot(), sHi, sLo, svc.realSlot(rs), nowMs + svc.persistenceMs(), nowMs)) {
                add(DataplaneCounter.PERSISTENCE_EVICTED, 1);
            }
        }
        return e;
    }

    /** Picks a local address and a port this worker owns such that LIP:lport → RIP:rport is not in use. */
    private boolean chooseLocal(VirtualService svc, int e, long rHi, long rLo, int rport) {
        int n = svc.localAddressCount();
        int budget = Math.min(probeBudget, portCount);
        for (int a = 0; a < n; a++) {
            int li = (laddrCursor + a) % n;
            if (svc.localDraining(li)) {
                continue;
            }
            long lHi = svc.localHi(li);
            long lLo = svc.localLo(li);
            for (int p = 0; p < budget; p++) {
                int port = portFirst + portCursor * portStep;
                portCursor = portCursor + 1 == portCount ? 0 : portCursor + 1;
                if (!conns.contains(proto, rHi, rLo, rport, lHi, lLo, port)) {
                    laddrCursor = li + 1 == n ? 0 : li + 1;
                    conns.address(e, LOCAL, lHi, lLo);
                    conns.port(e, LOCAL_PORT, port);
                    conns.intField(e, LOCAL_SLOT, svc.localSlot(li));
                    return true;
                }
            }
        }
        return false;
    }

    // ================================================================== schedulers

    private int schedule(VirtualService svc) {
        int n = svc.realServerCount();
        if (svc.persistenceMs() > 0) {
            int slot = persistence.lookup(svc.counterSlot(), sHi, sLo, nowMs);
            if (slot >= 0) {
                for (int i = 0; i < n; i++) {
                    if (svc.realSlot(i) == slot && svc.realWeight(i) > 0) {
                        return i;
                    }
                }
            }
        }
        if (n == 0) {
            return -1;
        }
        int idx = svc.index();
        switch (svc.scheduler()) {
            case RR -> {
                for (int k = 0; k < n; k++) {
                    int i = (rrCursor[idx] + k) % n;
                    if (svc.realWeight(i) > 0) {
                        rrCursor[idx] = i + 1;
                        return i;
                    }
                }
                return -1;
            }
            case WRR -> {
                // The LVS weighted round-robin sequence: step the index, lowering the current weight by the gcd of
                // the weights at each wrap, and take the first server whose weight reaches the current weight.
                int max = svc.maxWeight();
                if (max == 0) {
                    return -1;
                }
                int g = svc.gcdWeight();
                int i = wrrIndex[idx] >= n ? -1 : wrrIndex[idx];
                int cw = wrrWeight[idx];
                for (int guard = 0, limit = n * (max / g + 1); guard < limit; guard++) {
                    i = (i + 1) % n;
                    if (i == 0) {
                        cw -= g;
                        if (cw <= 0) {
                            cw = max;
                        }
                    }
                    if (svc.realWeight(i) >= cw) {
                        wrrIndex[idx] = i;
                        wrrWeight[idx] = cw;
                        return i;
                    }
                }
                return -1;
            }
            case LC, WLC -> {
                boolean weighted = svc.scheduler() == io.fulcrum.dataplane.service.SchedulerKind.WLC;
                int best = -1;
                long bestActive = 0;
                int bestWeight = 0;
                for (int i = 0; i < n; i++) {
                    int w = svc.realWeight(i);
                    if (w <= 0) {
                        continue;
                    }
                    long active = activeConnections(svc.realSlot(i));
                    if (best < 0) {
                        best = i;
                        bestActive = active;
                        bestWeight = w;
                    } else if (weighted ? (active + 1) * bestWeight < (bestActive + 1) * w : active < bestActive) {
                        best = i;
                        bestActive = active;
                        bestWeight = w;
                    }
                }
                return best;
            }
            case SH -> {
                return svc.sourceHashEntry(FlowHash.source(sHi, sLo));
            }
            case MH -> {
                return svc.maglevEntry(FlowHash.sourceAndPort(sHi, sLo, sport));
            }
            default -> {
                return -1;
            }
        }
    }

    // ================================================================== forwarding

    private Verdict forward(Frame f, int e, int dir) {
        int method = conns.byteField(e, METHOD);
        boolean toaNow = false;
        int state;
        if (proto == TCP) {
            int st = conns.byteField(e, STATE);
            state = ConnectionState.nextTcp(st, tcpFlags, dir == 0);
            if (dir == 0 && (conns.flags(e) & ConnectionTable.F_TOA) != 0) {
                // TOA goes in the client's SYN (and its retransmissions) and in the ACK that completes the handshake
                // (the segment the toa module reads when the server socket is created).
                toaNow = ((tcpFlags & (TcpFlyweight.SYN | TcpFlyweight.ACK)) == TcpFlyweight.SYN
                        && (st == ConnectionState.NONE.ordinal() || st == ConnectionState.SYN_RECV.ordinal()))
                        || (st == ConnectionState.SYN_RECV.ordinal() && state == ConnectionState.ESTABLISHED.ordinal());
            }
            if (state != st) {
                state(e, st, state);
            }
        } else {
            state = ConnectionState.UDP.ordinal();
        }
        conns.expireAt(e, nowMs + timeoutByState[state]);
        int packets = dir == 0 ? EntityCounter.PACKETS_IN.ordinal() : EntityCounter.PACKETS_OUT.ordinal();
        int bytes = dir == 0 ? EntityCounter.BYTES_IN.ordinal() : EntityCounter.BYTES_OUT.ordinal();
        countTraffic(conns.intField(e, SERVICE_SLOT), packets, bytes);
        countTraffic(conns.intField(e, REAL_SLOT), packets, bytes);
        if (method == FNAT) {
            if (!decrementTtl()) {
                return drop(f, DataplaneCounter.DROP_TTL_EXPIRED);
            }
            if (dir == 0) {
                if (toaNow) {
                    insertToa(f);
                }
                long rHi = conns.addressHi(e, REAL);
                long rLo = conns.addressLo(e, REAL);
                rewrite(true, conns.addressHi(e, LOCAL), conns.addressLo(e, LOCAL), conns.port(e, LOCAL_PORT),
                        true, rHi, rLo, conns.port(e, REAL_PORT));
                return transmit(f, rHi, rLo);
            }
            long cHi = conns.addressHi(e, CLIENT);
            long cLo = conns.addressLo(e, CLIENT);
            rewrite(true, conns.addressHi(e, VIRTUAL), conns.addressLo(e, VIRTUAL), conns.port(e, VIRTUAL_PORT),
                    true, cHi, cLo, conns.port(e, CLIENT_PORT));
            return transmit(f, cHi, cLo);
        }
        if (method == NAT) {
            if (!decrementTtl()) {
                return drop(f, DataplaneCounter.DROP_TTL_EXPIRED);
            }
            if (dir == 0) {
                long rHi = conns.addressHi(e, REAL);
                long rLo = conns.addressLo(e, REAL);
                rewrite(false, 0, 0, 0, true, rHi, rLo, conns.port(e, REAL_PORT));
                return transmit(f, rHi, rLo);
            }
            rewrite(true, conns.addressHi(e, VIRTUAL), conns.addressLo(e, VIRTUAL), conns.port(e, VIRTUAL_PORT),
                    false, 0, 0, 0);
            return transmit(f, dHi, dLo);
        }
        if ((conns.flags(e) & ConnectionTable.F_REAL_LOCAL) != 0) {
            return local(f); // the real server is this node (DR/TUN): deliver locally
        }
        if (method == DR) {
            return transmit(f, conns.addressHi(e, REAL), conns.addressLo(e, REAL));
        }
        return tunnel(f, e);
    }

    private boolean decrementTtl() {
        if (family == 4) {
            long at = l3 + Ipv4Flyweight.TTL_OFFSET;
            int word = NetworkByteOrder.u16(seg, at);
            if (word < 0x0200) {
                return false;
            }
            NetworkByteOrder.u16(seg, at, word - 0x0100);
            ttlDelta = InternetChecksum.delta16(word, word - 0x0100); // folded into the header checksum by rewrite()
        } else {
            if (ip6.hopLimit() <= 1) {
                return false;
            }
            ip6.decrementHopLimit();
        }
        return true;
    }

    /**
     * Rewrites source and/or destination address and port of the outer packet, updating the IPv4 header checksum and
     * the transport checksum (pseudo-header and ports) incrementally in one fold each (RFC 1624); a TTL decrement
     * made just before is folded into the same IPv4 header checksum update.
     */
    private void rewrite(boolean src, long nsHi, long nsLo, int nsPort, boolean dst, long ndHi, long ndLo, int ndPort) {
        long l4delta = 0;
        if (family == 4) {
            long ipdelta = 0;
            if (src) {
                int o = (int) sLo;
                int n = (int) nsLo;
                ipdelta += InternetChecksum.delta32(o, n);
                NetworkByteOrder.u32(seg, l3 + Ipv4Flyweight.SRC_OFFSET, n);
            }
            if (dst) {
                int o = (int) dLo;
                int n = (int) ndLo;
                ipdelta += InternetChecksum.delta32(o, n);
                NetworkByteOrder.u32(seg, l3 + Ipv4Flyweight.DST_OFFSET, n);
            }
            ip4.checksum(InternetChecksum.apply(ip4.checksum(), ipdelta + ttlDelta));
            ttlDelta = 0;
            l4delta = ipdelta;
        } else {
            if (src) {
                l4delta += InternetChecksum.delta64(sHi, nsHi) + InternetChecksum.delta64(sLo, nsLo);
                ip6.source(nsHi, nsLo);
            }
            if (dst) {
                l4delta += InternetChecksum.delta64(dHi, ndHi) + InternetChecksum.delta64(dLo, ndLo);
                ip6.destination(ndHi, ndLo);
            }
        }
        if (proto == TCP || proto == UDP) {
            if (src) {
                l4delta += InternetChecksum.delta16(sport, nsPort);
                NetworkByteOrder.u16(seg, l4, nsPort);
            }
            if (dst) {
                l4delta += InternetChecksum.delta16(dport, ndPort);
                NetworkByteOrder.u16(seg, l4 + 2, ndPort);
            }
        }
        if (l4Csum >= 0) {
            int c = InternetChecksum.apply(NetworkByteOrder.u16(seg, l4Csum), l4delta);
            NetworkByteOrder.u16(seg, l4Csum, proto == UDP && c == 0 ? 0xFFFF : c);
        }
        if (src) {
            sHi = nsHi;
            sLo = nsLo;
            sport = nsPort;
        }
        if (dst) {
            dHi = ndHi;
            dLo = ndLo;
            dport = ndPort;
        }
    }

    /**
     * Inserts the TOA option (kind 254; IPv4: length 8 = port + address; IPv6: length 20 = port + 16-byte address)
     * right after the fixed TCP header, ahead of any end-of-options, and recomputes the TCP checksum. Skipped and
     * counted when the options would exceed 40 bytes, the packet the MTU, or the frame its buffer.
     */
    private void insertToa(Frame f) {
        int optLen = family == 4 ? 8 : 20;
        int thl = tcp.headerLength();
        int ipLen = (int) (ipEnd - l3);
        if (thl + optLen > TcpFlyweight.MAX_HEADER_LENGTH || ipLen + optLen > mtu || ipEnd + optLen > f.limit()) {
            add(DataplaneCounter.TOA_NO_SPACE, 1);
            return;
        }
        long at = l4 + TcpFlyweight.MIN_HEADER_LENGTH;
        MemorySegment.copy(seg, at, seg, at + optLen, ipEnd - at);
        seg.set(NetworkByteOrder.U8, at, (byte) TOA_OPTION);
        seg.set(NetworkByteOrder.U8, at + 1, (byte) optLen);
        NetworkByteOrder.u16(seg, at + 2, sport);
        if (family == 4) {
            NetworkByteOrder.u32(seg, at + 4, (int) sLo);
        } else {
            seg.set(NetworkByteOrder.U64, at + 4, sHi);
            seg.set(NetworkByteOrder.U64, at + 12, sLo);
        }
        tcp.headerLength(thl + optLen);
        ipEnd += optLen;
        int l4len = (int) (ipEnd - l4);
        long pseudo;
        if (family == 4) {
            ip4.rewriteTotalLength(ipLen + optLen);
            pseudo = InternetChecksum.pseudoHeaderV4(ip4.source(), ip4.destination(), TCP, l4len);
        } else {
            ip6.payloadLength(ip6.payloadLength() + optLen);
            pseudo = InternetChecksum.pseudoHeaderV6(sHi, sLo, dHi, dLo, TCP, l4len);
        }
        tcp.checksum(0);
        tcp.checksum(InternetChecksum.compute(seg, l4, l4len, pseudo));
        frameLen = (int) (ipEnd - frameOff);
        f.length(frameLen);
        add(DataplaneCounter.TOA_INSERTED, 1);
    }

    /** IP-in-IP encapsulation to the real server (IPv4 protocol 4, IPv6 next header 41), outer TTL/hop limit 64. */
    private Verdict tunnel(Frame f, int e) {
        int outer = family == 4 ? Ipv4Flyweight.MIN_HEADER_LENGTH : Ipv6Flyweight.HEADER_LENGTH;
        int ipLen = (int) (ipEnd - l3);
        if (ipLen + outer > mtu) {
            boolean df = family == 6 || (ip4.fragmentWord() & Ipv4Flyweight.FLAG_DF) != 0;
            return df && proto != ICMP && proto != ICMPV6 ? tooBig(f, e, ipLen, outer)
                    : drop(f, DataplaneCounter.DROP_TOO_BIG);
        }
        int tos = family == 4 ? ip4.tos() : ip6.trafficClass();
        int fragWord = family == 4 ? ip4.fragmentWord() & Ipv4Flyweight.FLAG_DF : 0;
        if (frameOff - outer >= f.headroomStart()) {
            MemorySegment.copy(seg, frameOff, seg, frameOff - outer, l2len);
            frameOff -= outer;
        } else if (ipEnd + outer <= f.limit()) {
            MemorySegment.copy(seg, l3, seg, l3 + outer, ipLen);
        } else {
            return drop(f, DataplaneCounter.DROP_NO_ROOM);
        }
        l3 = frameOff + l2len;
        long rHi = conns.addressHi(e, REAL);
        long rLo = conns.addressLo(e, REAL);
        if (family == 4) {
            ip4.wrap(seg, l3).writeHeader(tos, ipLen + outer, 0, fragWord, 64, 4,
                    (int) conns.addressLo(e, LOCAL), (int) rLo);
        } else {
            ip6.writeHeaderAt(seg, l3, tos, ipLen, 41, 64, conns.addressHi(e, LOCAL), conns.addressLo(e, LOCAL),
                    rHi, rLo);
        }
        frameLen = l2len + outer + ipLen;
        f.offset(frameOff);
        f.length(frameLen);
        return transmit(f, rHi, rLo);
    }

    /**
     * Answers a packet that would not fit the MTU once encapsulated with an ICMP "fragmentation needed"
     * (RFC 1191, next-hop MTU = MTU − 20) or ICMPv6 "packet too big" (RFC 8201, MTU − 40) from the VIP to the client,
     * quoting as much of the packet as RFC 1812 §4.3.2.3 / RFC 4443 §2.4(c) allow (576 / 1280 bytes in all). The
     * frame is rewritten in place.
     */
    private Verdict tooBig(Frame f, int e, int ipLen, int outer) {
        int hdr = family == 4 ? Ipv4Flyweight.MIN_HEADER_LENGTH + 8 : Ipv6Flyweight.HEADER_LENGTH + 8;
        int quote = Math.min(ipLen, (family == 4 ? 576 : 1280) - hdr);
        if (l3 + hdr + quote > f.limit()) {
            return drop(f, DataplaneCounter.DROP_NO_ROOM);
        }
        MemorySegment.copy(seg, l3, seg, l3 + hdr, quote);
        long cHi = conns.addressHi(e, CLIENT);
        long cLo = conns.addressLo(e, CLIENT);
        long vHi = conns.addressHi(e, VIRTUAL);
        long vLo = conns.addressLo(e, VIRTUAL);
        long icmpAt;
        long pseudo;
        if (family == 4) {
            ip4.wrap(seg, l3).writeHeader(0, hdr + quote, 0, 0, 64, ICMP, (int) vLo, (int) cLo);
            icmpAt = l3 + Ipv4Flyweight.MIN_HEADER_LENGTH;
            NetworkByteOrder.u16(seg, icmpAt, (IcmpFlyweight.DEST_UNREACHABLE << 8) | 4);
            NetworkByteOrder.u32(seg, icmpAt + IcmpFlyweight.REST_OFFSET, (mtu - outer) & 0xFFFF);
            pseudo = 0;
        } else {
            ip6.writeHeaderAt(seg, l3, 0, 8 + quote, ICMPV6, 64, vHi, vLo, cHi, cLo);
            icmpAt = l3 + Ipv6Flyweight.HEADER_LENGTH;
            NetworkByteOrder.u16(seg, icmpAt, Icmpv6Flyweight.V6_PACKET_TOO_BIG << 8);
            NetworkByteOrder.u32(seg, icmpAt + IcmpFlyweight.REST_OFFSET, mtu - outer);
            pseudo = InternetChecksum.pseudoHeaderV6(vHi, vLo, cHi, cLo, ICMPV6, 8 + quote);
        }
        NetworkByteOrder.u16(seg, icmpAt + IcmpFlyweight.CHECKSUM_OFFSET, 0);
        NetworkByteOrder.u16(seg, icmpAt + IcmpFlyweight.CHECKSUM_OFFSET,
                InternetChecksum.compute(seg, icmpAt, 8 + quote, pseudo));
        frameLen = l2len + hdr + quote;
        f.length(frameLen);
        add(DataplaneCounter.ICMP_TOO_BIG_SENT, 1);
        return transmit(f, cHi, cLo);
    }

    private Verdict transmit(Frame f, long hi, long lo) {
        long nb = neighbours.resolve(hi, lo);
        if (nb == NeighbourTable.MISS) {
            f.nextHop(hi, lo); // the I/O layer may hold the frame until the neighbour resolves
            return drop(f, DataplaneCounter.DROP_NO_NEIGHBOUR);
        }
        int port = (int) (nb >>> 48) & 0x7FFF;
        if (port >= portMacs.length) {
            return drop(f, DataplaneCounter.DROP_NO_NEIGHBOUR);
        }
        long src = portMacs[port];
        seg.set(NetworkByteOrder.U64, frameOff, (nb << 16) | ((src >>> 32) & 0xFFFF)); // dst MAC + 2 bytes of src
        NetworkByteOrder.u32(seg, frameOff + EthernetFlyweight.SRC_OFFSET + 2, (int) src);
        f.txPort(port);
        txPackets++;
        txBytes += frameLen;
        return Verdict.TX;
    }

    // ================================================================== ICMP

    private Verdict icmp(Frame f) {
        IcmpFlyweight m = family == 4 ? icmp.wrap(seg, l4) : icmp6.wrap(seg, l4);
        if (!m.isError()) {
            return local(f); // echo, neighbour discovery...: the kernel (or the I/O layer's responders)
        }
        long inner = l4 + IcmpFlyweight.BODY_OFFSET;
        long avail = ipEnd - inner;
        int iproto;
        long iSHi;
        long iSLo;
        long iDHi;
        long iDLo;
        long iL4;
        long iEnd;
        if (family == 4) {
            if (avail < 20) {
                return local(f);
            }
            innerIp4.wrap(seg, inner);
            int ihl = innerIp4.headerLength();
            if (innerIp4.version() != 4 || ihl < 20 || avail < ihl + 8) {
                return local(f);
            }
            iproto = innerIp4.protocol();
            iSHi = 0;
            iSLo = NetworkByteOrder.mappedLo(innerIp4.source());
            iDHi = 0;
            iDLo = NetworkByteOrder.mappedLo(innerIp4.destination());
            iL4 = inner + ihl;
            iEnd = Math.min(ipEnd, inner + innerIp4.totalLength());
        } else {
            if (avail < 48) {
                return local(f);
            }
            innerIp6.wrap(seg, inner, (int) avail);
            if (innerIp6.version() != 6 || innerIp6.upperLayerProtocol() < 0
                    || innerIp6.upperLayerOffset() + 8 > ipEnd) {
                return local(f);
            }
            iproto = innerIp6.upperLayerProtocol();
            iSHi = innerIp6.sourceHi();
            iSLo = innerIp6.sourceLo();
            iDHi = innerIp6.destinationHi();
            iDLo = innerIp6.destinationLo();
            iL4 = innerIp6.upperLayerOffset();
            iEnd = Math.min(ipEnd, inner + 40 + innerIp6.payloadLength());
        }
        if (iproto != TCP && iproto != UDP) {
            return local(f);
        }
        int iSport = NetworkByteOrder.u16(seg, iL4);
        int iDport = NetworkByteOrder.u16(seg, iL4 + 2);
        // The quoted packet travelled the other way: look its reversed tuple up.
        int ref = conns.lookup(iproto, iDHi, iDLo, iDport, iSHi, iSLo, iSport);
        if (ref < 0) {
            return local(f);
        }
        int e = ref >>> 1;
        int dir = ref & 1;
        int method = conns.byteField(e, METHOD);
        add(DataplaneCounter.ICMP_TRANSLATED, 1);
        if (method != FNAT && method != NAT) {
            if (dir != 0) {
                return local(f);
            }
            if ((conns.flags(e) & ConnectionTable.F_REAL_LOCAL) != 0) {
                return local(f);
            }
            return method == DR ? transmit(f, conns.addressHi(e, REAL), conns.addressLo(e, REAL)) : tunnel(f, e);
        }
        // The translated tuple a normal packet in this direction would carry.
        long nsHi;
        long nsLo;
        int nsPort;
        long ndHi;
        long ndLo;
        int ndPort;
        if (dir == 0) {
            if (method == FNAT) {
                nsHi = conns.addressHi(e, LOCAL);
                nsLo = conns.addressLo(e, LOCAL);
                nsPort = conns.port(e, LOCAL_PORT);
            } else {
                nsHi = conns.addressHi(e, CLIENT);
                nsLo = conns.addressLo(e, CLIENT);
                nsPort = conns.port(e, CLIENT_PORT);
            }
            ndHi = conns.addressHi(e, REAL);
            ndLo = conns.addressLo(e, REAL);
            ndPort = conns.port(e, REAL_PORT);
        } else {
            nsHi = conns.addressHi(e, VIRTUAL);
            nsLo = conns.addressLo(e, VIRTUAL);
            nsPort = conns.port(e, VIRTUAL_PORT);
            ndHi = conns.addressHi(e, CLIENT);
            ndLo = conns.addressLo(e, CLIENT);
            ndPort = conns.port(e, CLIENT_PORT);
        }
        if (!decrementTtl()) {
            return drop(f, DataplaneCounter.DROP_TTL_EXPIRED);
        }
        // Inner packet: it is the reverse of the translated tuple.
        rewriteInner(iproto, iL4, iEnd, iSHi, iSLo, iSport, iDHi, iDLo, iDport, ndHi, ndLo, ndPort, nsHi, nsLo, nsPort);
        // Outer header: destination always; source too except for NAT towards the real server (a router's address
        // stays a router's address there).
        boolean changeSrc = !(method == NAT && dir == 0);
        rewrite(changeSrc, nsHi, nsLo, 0, true, ndHi, ndLo, 0);
        // ICMP checksum over the whole message (the quoted bytes changed); ICMPv6 includes the pseudo-header.
        int len = (int) (ipEnd - l4);
        long pseudo = family == 4 ? 0 : InternetChecksum.pseudoHeaderV6(sHi, sLo, dHi, dLo, ICMPV6, len);
        NetworkByteOrder.u16(seg, l4 + IcmpFlyweight.CHECKSUM_OFFSET, 0);
        NetworkByteOrder.u16(seg, l4 + IcmpFlyweight.CHECKSUM_OFFSET, InternetChecksum.compute(seg, l4, len, pseudo));
        return transmit(f, ndHi, ndLo);
    }

    private void rewriteInner(int iproto, long iL4, long iEnd, long oSHi, long oSLo, int oSport, long oDHi, long oDLo,
                              int oDport, long nSHi, long nSLo, int nSport, long nDHi, long nDLo, int nDport) {
        long l4delta;
        if (family == 4) {
            long d = InternetChecksum.delta32((int) oSLo, (int) nSLo) + InternetChecksum.delta32((int) oDLo, (int) nDLo);
            NetworkByteOrder.u32(seg, innerIp4.offset() + Ipv4Flyweight.SRC_OFFSET, (int) nSLo);
            NetworkByteOrder.u32(seg, innerIp4.offset() + Ipv4Flyweight.DST_OFFSET, (int) nDLo);
            innerIp4.checksum(InternetChecksum.apply(innerIp4.checksum(), d));
            l4delta = d;
        } else {
            l4delta = InternetChecksum.delta64(oSHi, nSHi) + InternetChecksum.delta64(oSLo, nSLo)
                    + InternetChecksum.delta64(oDHi, nDHi) + InternetChecksum.delta64(oDLo, nDLo);
            innerIp6.source(nSHi, nSLo);
            innerIp6.destination(nDHi, nDLo);
        }
        l4delta += InternetChecksum.delta16(oSport, nSport) + InternetChecksum.delta16(oDport, nDport);
        NetworkByteOrder.u16(seg, iL4, nSport);
        NetworkByteOrder.u16(seg, iL4 + 2, nDport);
        long csum = iproto == TCP ? iL4 + TcpFlyweight.CHECKSUM_OFFSET : iL4 + 6;
        if (csum + 2 <= iEnd) {
            int old = NetworkByteOrder.u16(seg, csum);
            if (!(iproto == UDP && family == 4 && old == 0)) {
                int c = InternetChecksum.apply(old, l4delta);
                NetworkByteOrder.u16(seg, csum, iproto == UDP && c == 0 ? 0xFFFF : c);
            }
        }
    }

    /** Frees the connection table's memory. Called after the worker stopped. */
    @Override
    public void close() {
        conns.close();
    }
}

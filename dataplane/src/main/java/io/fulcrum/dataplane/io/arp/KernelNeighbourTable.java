package io.fulcrum.dataplane.io.arp;

import io.fulcrum.dataplane.NeighbourTable;
import io.fulcrum.dataplane.packet.AddressWords;
import io.fulcrum.netlink.rtnl.Neighbour;
import io.fulcrum.netlink.rtnl.NetlinkEvent;
import io.fulcrum.netlink.rtnl.NetlinkListener;
import io.fulcrum.netlink.rtnl.Route;
import io.fulcrum.netlink.rtnl.Rtnetlink;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.agrona.concurrent.NanoClock;

/**
 * The dataplane's {@link NeighbourTable} over the kernel's tables: routes (longest-prefix match on the ports'
 * interfaces) give the next hop, neighbour entries give its MAC. Seeded and refreshed from rtnetlink dumps
 * ({@link #refresh(Rtnetlink)}), kept current by the netlink monitor's route and neighbour events ({@link #listener()}),
 * and learned from the ARP replies and neighbour advertisements the I/O layer receives
 * (also answers to its own requests for misses, see {@link #drainMisses}).
 *
 * <p>{@link #resolve} is called on worker threads for every transmitted frame: it is lock-free and allocation-free
 * (neighbour entries behind a sequence lock, routes in an immutable array behind a volatile reference). Learning and
 * refreshing take the table's lock; they are rare (one per ARP reply, one per refresh).
 */
public final class KernelNeighbourTable implements NeighbourTable {

    /** Receives next hops to solicit (ARP request / neighbour solicitation). */
    @FunctionalInterface
    public interface Solicitor {
        /** Sends a request for {@code hi:lo} out of {@code port}. */
        void solicit(int port, long hi, long lo);
    }

    private static final VarHandle VERSION;
    private static final int PENDING = 64;

    static {
        try {
            VERSION = MethodHandles.lookup().findVarHandle(KernelNeighbourTable.class, "version", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** One route on a port. */
    private record PortRoute(long hi, long lo, long maskHi, long maskLo, int length, long gwHi, long gwLo,
                             boolean gateway, int port) {
    }

    private final int[] ifindexOfPort;
    private final NanoClock clock;
    private final long retryNs;
    private final long giveUpNs;
    private final long[] keyHi;
    private final long[] keyLo;
    private final long[] value;
    private final int mask;
    private int size;
    @SuppressWarnings("unused")
    private volatile long version;
    private volatile PortRoute[] routes = new PortRoute[0];
    private final List<Route> kernelRoutes = new ArrayList<>();

    private final long[] pendHi = new long[PENDING];
    private final long[] pendLo = new long[PENDING];
    private final int[] pendPort = new int[PENDING];
    private final long[] pendFirst = new long[PENDING];
    private final long[] pendLast = new long[PENDING];
    private final boolean[] pendUsed = new boolean[PENDING];
    private int pendCount;
    private long misses;
    private long learned;
    private long forgotten;

    /**
     * Creates a table for the ports whose interface indexes are {@code ifindexOfPort} (index = port number), with
     * room for {@code capacity} neighbours.
     */
    public KernelNeighbourTable(int[] ifindexOfPort, int capacity, NanoClock clock) {
        this.ifindexOfPort = ifindexOfPort.clone();
        this.clock = clock;
        this.retryNs = 300_000_000L;
        this.giveUpNs = 3_000_000_000L;
        int n = Integer.highestOneBit(Math.max(2 * capacity, 4) - 1) << 1;
        keyHi = new long[n];
        keyLo = new long[n];
        value = new long[n];
        Arrays.fill(value, MISS);
        mask = n - 1;
    }

    private int portOf(int ifindex) {
        for (int p = 0; p < ifindexOfPort.length; p++) {
            if (ifindexOfPort[p] == ifindex) {
                return p;
            }
        }
        return -1;
    }

    private int slot(long h, long l) {
        long x = (l * 0x9E3779B97F4A7C15L) ^ (h * 0xC2B2AE3D27D4EB4FL);
        return (int) (x ^ (x >>> 32)) & mask;
    }

    // ------------------------------------------------------------------ packet path

    @Override
    public long resolve(long hi, long lo) {
        PortRoute[] rs = routes;
        for (PortRoute r : rs) {
            if (((hi ^ r.hi) & r.maskHi) == 0 && ((lo ^ r.lo) & r.maskLo) == 0) {
                long nhHi = r.gateway ? r.gwHi : hi;
                long nhLo = r.gateway ? r.gwLo : lo;
                long mac = lookupMac(nhHi, nhLo);
                if (mac == MISS) {
                    noteMiss(nhHi, nhLo, r.port);
                    return MISS;
                }
                return NeighbourTable.entry(r.port, mac);
            }
        }
        return MISS;
    }

    /**
     * Like {@link #resolve} but without queueing a solicitation on a miss (for frames already waiting for one).
     * Lock-free and allocation-free.
     */
    public long peek(long hi, long lo) {
        for (PortRoute r : routes) {
            if (((hi ^ r.hi) & r.maskHi) == 0 && ((lo ^ r.lo) & r.maskLo) == 0) {
                long mac = lookupMac(r.gateway ? r.gwHi : hi, r.gateway ? r.gwLo : lo);
                return mac == MISS ? MISS : NeighbourTable.entry(r.port, mac);
            }
        }
        return MISS;
    }

    /** Whether a route on a port leads to this address (so a miss is a neighbour still to resolve). Lock-free. */
    public boolean routed(long hi, long lo) {
        for (PortRoute r : routes) {
            if (((hi ^ r.hi) & r.maskHi) == 0 && ((lo ^ r.lo) & r.maskLo) == 0) {
                return true;
            }
        }
        return false;
    }

    /** The MAC of a neighbour (48 bits) or {@link #MISS}; lock-free. */
    public long lookupMac(long hi, long lo) {
        for (;;) {
            long v1 = (long) VERSION.getAcquire(this);
            long result = MISS;
            int i = slot(hi, lo);
            for (int probes = 0; probes <= mask; probes++) {
                long v = value[i];
                if (v == MISS) {
                    break;
                }
                if (keyLo[i] == lo && keyHi[i] == hi) {
                    result = v;
                    break;
                }
                i = (i + 1) & mask;
            }
            VarHandle.loadLoadFence();
            long v2 = (long) VERSION.getOpaque(this);
            if ((v1 & 1) == 0 && v1 == v2) {
                return result;
            }
            Thread.onSpinWait();
        }
    }

    private void noteMiss(long hi, long lo, int port) {
        synchronized (pendUsed) {
            misses++;
            int free = -1;
            for (int i = 0; i < PENDING; i++) {
                if (pendUsed[i]) {
                    if (pendHi[i] == hi && pendLo[i] == lo) {
                        return;
                    }
                } else if (free < 0) {
                    free = i;
                }
            }
            if (free < 0) {
                return;
            }
            pendUsed[free] = true;
            pendHi[free] = hi;
            pendLo[free] = lo;
            pendPort[free] = port;
            pendFirst[free] = clock.nanoTime();
            pendLast[free] = 0;
            pendCount++;
        }
    }

    /**
     * Sends a request for each unresolved next hop that is due (at most one per 300 ms per address, given up after
     * 3 s); called by a worker after its batch. Returns the number of requests sent. Allocation-free.
     */
    public int drainMisses(Solicitor solicitor) {
        if (pendCount == 0) {
            return 0;
        }
        int sent = 0;
        synchronized (pendUsed) {
            long now = clock.nanoTime();
            for (int i = 0; i < PENDING; i++) {
                if (!pendUsed[i]) {
                    continue;
                }
                if (lookupMac(pendHi[i], pendLo[i]) != MISS || now - pendFirst[i] > giveUpNs) {
                    pendUsed[i] = false;
                    pendCount--;
                    continue;
                }
                if (pendLast[i] == 0 || now - pendLast[i] >= retryNs) {
                    pendLast[i] = now;
                    solicitor.solicit(pendPort[i], pendHi[i], pendLo[i]);
                    sent++;
                }
            }
        }
        return sent;
    }

    /** Whether an address is on a connected subnet of {@code port} (a route with no gateway). */
    public boolean onLink(int port, long hi, long lo) {
        for (PortRoute r : routes) {
            if (!r.gateway && r.port == port && ((hi ^ r.hi) & r.maskHi) == 0 && ((lo ^ r.lo) & r.maskLo) == 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Learns (or updates) a neighbour seen on {@code port} from an ARP or ND message; only addresses on a connected
     * subnet of that port are kept. Called on worker threads; takes the lock.
     */
    public void learn(int port, long hi, long lo, long mac) {
        if (mac == 0 || (mac & 0x0100_0000_0000L) != 0 || !onLink(port, hi, lo)) {
            return; // no multicast/zero MACs, nothing off-link
        }
        long existing = lookupMac(hi, lo);
        if (existing == (mac & 0xFFFF_FFFF_FFFFL)) {
            return;
        }
        put(hi, lo, mac);
        learned++;
    }

    private synchronized void put(long hi, long lo, long mac) {
        int i = slot(hi, lo);
        while (value[i] != MISS && !(keyHi[i] == hi && keyLo[i] == lo)) {
            i = (i + 1) & mask;
        }
        boolean fresh = value[i] == MISS;
        if (fresh && size + 1 > (mask + 1) / 2) {
            return; // full: the entry stays unresolved rather than break the probe sequences
        }
        long v = (long) VERSION.get(this);
        VERSION.setOpaque(this, v + 1);
        VarHandle.storeStoreFence();
        keyHi[i] = hi;
        keyLo[i] = lo;
        value[i] = mac & 0xFFFF_FFFF_FFFFL;
        VERSION.setRelease(this, v + 2);
        if (fresh) {
            size++;
        }
    }

    /**
     * Forgets a neighbour (so a stale MAC is not used: the next frame to it misses and solicits). Backward-shift
     * deletion keeps the probe sequences whole; readers see the change atomically through the sequence lock.
     * Returns whether there was an entry. Takes the lock.
     */
    public synchronized boolean remove(long hi, long lo) {
        int i = slot(hi, lo);
        while (value[i] != MISS && !(keyHi[i] == hi && keyLo[i] == lo)) {
            i = (i + 1) & mask;
        }
        if (value[i] == MISS) {
            return false;
        }
        long v = (long) VERSION.get(this);
        VERSION.setOpaque(this, v + 1);
        VarHandle.storeStoreFence();
        // Knuth 6.4 Algorithm R: pull later members of the cluster into the hole.
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            if (value[j] == MISS) {
                break;
            }
            int k = slot(keyHi[j], keyLo[j]);
            boolean stays = i <= j ? (i < k && k <= j) : (i < k || k <= j);
            if (!stays) {
                keyHi[i] = keyHi[j];
                keyLo[i] = keyLo[j];
                value[i] = value[j];
                i = j;
            }
        }
        value[i] = MISS;
        keyHi[i] = 0;
        keyLo[i] = 0;
        size--;
        forgotten++;
        VERSION.setRelease(this, v + 2);
        return true;
    }

    // ------------------------------------------------------------------ control plane

    /**
     * Reloads routes and neighbours from the kernel ({@code RTM_GETROUTE}, {@code RTM_GETNEIGH} dumps) through
     * {@code rtnl} (opened in the dataplane's namespace). Routes replace the current set; reachable, stale, delay,
     * probe and permanent neighbours with a link-layer address are added or updated (learned entries stay).
     */
    public void refresh(Rtnetlink rtnl) {
        List<Route> all = new ArrayList<>();
        for (int family : new int[] {2, 10}) {
            all.addAll(rtnl.routes(family));
        }
        synchronized (this) {
            kernelRoutes.clear();
            for (Route r : all) {
                if (usable(r)) {
                    kernelRoutes.add(r);
                }
            }
            rebuildRoutes();
        }
        for (Neighbour n : rtnl.neighbours(0)) {
            onNeighbour(n, false);
        }
    }

    private boolean usable(Route r) {
        return portOf(r.oif()) >= 0 && r.table() == 254 && r.type() == 1;
    }

    private void rebuildRoutes() {
        List<PortRoute> list = new ArrayList<>();
        for (Route r : kernelRoutes) {
            list.add(route(r, portOf(r.oif())));
        }
        list.sort(Comparator.comparingInt(PortRoute::length).reversed());
        routes = list.toArray(new PortRoute[0]);
    }

    /**
     * Applies a route change reported by the netlink monitor (main table, unicast, on a port's interface); others are
     * ignored. Called on the monitor's thread; does not block.
     */
    public synchronized void onRoute(Route r, boolean removed) {
        if (!usable(r)) {
            return;
        }
        kernelRoutes.removeIf(k -> k.family() == r.family() && k.dstLength() == r.dstLength()
                && java.util.Objects.equals(k.destination(), r.destination()) && k.priority() == r.priority()
                && k.oif() == r.oif());
        if (!removed) {
            kernelRoutes.add(r);
        }
        rebuildRoutes();
    }

    /**
     * Applies a neighbour change reported by the netlink monitor or a dump: a usable entry (reachable, stale, delay,
     * probe, permanent) with a link-layer address on a port's interface is added or updated; a removed entry
     * ({@code RTM_DELNEIGH}) or one whose resolution failed ({@code NUD_FAILED}) on a port's interface is forgotten, so
     * the next frame to it solicits the current MAC instead of using a stale one. Called on the monitor's thread; does
     * not block for long.
     */
    public void onNeighbour(Neighbour n, boolean removed) {
        int port = portOf(n.ifindex());
        if (port < 0 || n.destination() == null) {
            return;
        }
        // NUD_FAILED 0x20
        if (removed || (n.state() & 0x20) != 0) {
            remove(AddressWords.hi(n.destination()), AddressWords.lo(n.destination()));
            return;
        }
        // NUD_REACHABLE 0x02, NUD_STALE 0x04, NUD_DELAY 0x08, NUD_PROBE 0x10, NUD_PERMANENT 0x80
        if (n.lladdr() == null || n.lladdr().isEmpty() || (n.state() & 0x9e) == 0) {
            return;
        }
        put(AddressWords.hi(n.destination()), AddressWords.lo(n.destination()), parseMac(n.lladdr()));
    }

    /**
     * A listener for the netlink monitor ({@code NetlinkMonitorAgent.addListener}, with routes and neighbours
     * followed): keeps routes and neighbours current between dumps.
     */
    public NetlinkListener listener() {
        return event -> {
            switch (event) {
                case NetlinkEvent.RouteAdded e -> onRoute(e.route(), false);
                case NetlinkEvent.RouteRemoved e -> onRoute(e.route(), true);
                case NetlinkEvent.NeighbourChanged e -> onNeighbour(e.neighbour(), false);
                case NetlinkEvent.NeighbourRemoved e -> onNeighbour(e.neighbour(), true);
                default -> {
                    // links and addresses do not change next hops by themselves
                }
            }
        };
    }

    /** Adds a route by hand (tests and static setups); {@code gateway} may be null for on-link. */
    public synchronized void addRoute(InetAddress prefix, int length, InetAddress gateway, int port) {
        int family = prefix.getAddress().length == 4 ? 2 : 10;
        onRoute(new Route(family, 254, prefix, length, gateway, ifindexOfPort[port], 0, 0, 0, 1, null), false);
    }

    /** Adds or replaces a neighbour by hand (tests and static setups). */
    public void putNeighbour(InetAddress address, long mac) {
        put(AddressWords.hi(address), AddressWords.lo(address), mac);
    }

    private static PortRoute route(Route r, int port) {
        int len = r.destination() == null ? 0 : r.dstLength();
        long hi;
        long lo;
        int bits;
        if (r.family() == 2) {
            byte[] any = {0, 0, 0, 0};
            InetAddress d = r.destination();
            hi = AddressWords.hi(d == null ? inet(any) : d);
            lo = AddressWords.lo(d == null ? inet(any) : d);
            bits = 96 + len;
        } else {
            InetAddress d = r.destination();
            hi = d == null ? 0 : AddressWords.hi(d);
            lo = d == null ? 0 : AddressWords.lo(d);
            bits = len;
        }
        long maskHi = bits >= 64 ? -1L : bits == 0 ? 0 : -1L << (64 - bits);
        long maskLo = bits <= 64 ? 0 : bits >= 128 ? -1L : -1L << (128 - bits);
        boolean gw = r.gateway() != null;
        return new PortRoute(hi & maskHi, lo & maskLo, maskHi, maskLo, bits, gw ? AddressWords.hi(r.gateway()) : 0,
                gw ? AddressWords.lo(r.gateway()) : 0, gw, port);
    }

    private static InetAddress inet(byte[] b) {
        try {
            return InetAddress.getByAddress(b);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses {@code aa:bb:cc:dd:ee:ff} into 48 bits. */
    public static long parseMac(String text) {
        String[] parts = text.split(":");
        if (parts.length != 6) {
            throw new IllegalArgumentException("not a MAC address: " + text);
        }
        long m = 0;
        for (String p : parts) {
            m = (m << 8) | Integer.parseInt(p, 16);
        }
        return m;
    }

    /** Formats 48 bits as {@code aa:bb:cc:dd:ee:ff}. */
    public static String formatMac(long mac) {
        StringBuilder sb = new StringBuilder(17);
        for (int i = 5; i >= 0; i--) {
            sb.append(String.format("%02x", (mac >>> (8 * i)) & 0xff));
            if (i > 0) {
                sb.append(':');
            }
        }
        return sb.toString();
    }

    /** Lookups that found no neighbour (next hops queued for solicitation). */
    public long misses() {
        return misses;
    }

    /** Neighbours forgotten because the kernel deleted them or their resolution failed. */
    public long forgotten() {
        return forgotten;
    }

    /** Neighbours learned from ARP/ND. */
    public long learned() {
        return learned;
    }
}

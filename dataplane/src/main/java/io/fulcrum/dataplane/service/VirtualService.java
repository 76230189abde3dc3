package io.fulcrum.dataplane.service;

import io.fulcrum.dataplane.packet.AddressWords;
import io.fulcrum.dataplane.sched.MaglevTable;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;

/**
 * One virtual service inside a {@link ServiceTable} snapshot, laid out in primitive arrays for the packet path:
 * real servers with live weights, the FullNAT local-address pool (with draining marks), the Maglev and
 * source-hash tables, counter slots.
 *
 * <p>Immutable once built (the arrays are never written after construction); workers read it on their threads.
 */
public final class VirtualService {

    private final VirtualServiceSpec spec;
    private final int index;
    private final long vipHi;
    private final long vipLo;
    private final boolean owned;
    private final int counterSlot;
    private final long[] rsHi;
    private final long[] rsLo;
    private final int[] rsPort;
    private final int[] rsWeight;
    private final int[] rsSlot;
    private final boolean[] rsLocal;
    private final int maxWeight;
    private final int gcdWeight;
    private final int[] maglev;
    private final int[] sourceHash;
    private final InetAddress[] laddrs;
    private final long[] laddrHi;
    private final long[] laddrLo;
    private final int[] laddrSlot;
    private final boolean[] laddrDraining;
    private final long tunnelSrcHi;
    private final long tunnelSrcLo;

    /** Size of the source-hash table. */
    public static final int SOURCE_HASH_SIZE = 256;

    VirtualService(VirtualServiceSpec spec, int index, boolean owned, int counterSlot, int[] rsSlots,
                   boolean[] rsLocal, List<InetAddress> laddrs, int[] laddrSlots, boolean[] laddrDraining,
                   InetAddress tunnelSource, int maglevSize) {
        this.spec = spec;
        this.index = index;
        this.vipHi = AddressWords.hi(spec.address());
        this.vipLo = AddressWords.lo(spec.address());
        this.owned = owned;
        this.counterSlot = counterSlot;
        int n = spec.realServers().size();
        rsHi = new long[n];
        rsLo = new long[n];
        rsPort = new int[n];
        rsWeight = new int[n];
        this.rsSlot = rsSlots.clone();
        this.rsLocal = rsLocal.clone();
        int max = 0;
        int g = 0;
        String[] names = new String[n];
        for (int i = 0; i < n; i++) {
            RealServerSpec rs = spec.realServers().get(i);
            rsHi[i] = AddressWords.hi(rs.address());
            rsLo[i] = AddressWords.lo(rs.address());
            rsPort[i] = rs.port();
            rsWeight[i] = rs.weight();
            max = Math.max(max, rs.weight());
            g = MaglevTable.gcd(g, rs.weight());
            names[i] = rs.address().getHostAddress() + ":" + rs.port();
        }
        this.maxWeight = max;
        this.gcdWeight = g;
        this.maglev = spec.lbAlgo() == SchedulerKind.MH ? MaglevTable.build(maglevSize, names, rsWeight) : null;
        this.sourceHash = spec.lbAlgo() == SchedulerKind.SH ? buildSourceHash() : null;
        this.laddrs = laddrs.toArray(new InetAddress[0]);
        this.laddrHi = new long[this.laddrs.length];
        this.laddrLo = new long[this.laddrs.length];
        for (int i = 0; i < this.laddrs.length; i++) {
            laddrHi[i] = AddressWords.hi(this.laddrs[i]);
            laddrLo[i] = AddressWords.lo(this.laddrs[i]);
        }
        this.laddrSlot = laddrSlots.clone();
        this.laddrDraining = laddrDraining.clone();
        this.tunnelSrcHi = AddressWords.hi(tunnelSource);
        this.tunnelSrcLo = AddressWords.lo(tunnelSource);
    }

    private int[] buildSourceHash() {
        // Fill the buckets round-robin over the servers, each appearing weight/gcd times per round (weight 0: never).
        int[] table = new int[SOURCE_HASH_SIZE];
        Arrays.fill(table, -1);
        if (gcdWeight == 0) {
            return table;
        }
        int filled = 0;
        while (filled < SOURCE_HASH_SIZE) {
            for (int i = 0; i < rsWeight.length && filled < SOURCE_HASH_SIZE; i++) {
                for (int t = 0; t < rsWeight[i] / gcdWeight && filled < SOURCE_HASH_SIZE; t++) {
                    table[filled++] = i;
                }
            }
        }
        return table;
    }

    /** The spec this was built from. */
    public VirtualServiceSpec spec() {
        return spec;
    }

    /** The key. */
    public ServiceKey key() {
        return spec.key();
    }

    /** Position in the snapshot. */
    public int index() {
        return index;
    }

    /** IP protocol number. */
    public int protocol() {
        return spec.protocol().number();
    }

    /** Virtual address high word. */
    public long vipHi() {
        return vipHi;
    }

    /** Virtual address low word. */
    public long vipLo() {
        return vipLo;
    }

    /** Virtual port. */
    public int port() {
        return spec.port();
    }

    /** Whether the VIP is owned now (only then are new connections scheduled). */
    public boolean owned() {
        return owned;
    }

    /** The forwarding method. */
    public ForwardingMethod method() {
        return spec.lbKind();
    }

    /** The scheduler. */
    public SchedulerKind scheduler() {
        return spec.lbAlgo();
    }

    /** Persistence timeout in ms (0 = none). */
    public long persistenceMs() {
        return spec.persistenceTimeoutSeconds() * 1000L;
    }

    /** Whether TOA is inserted. */
    public boolean toa() {
        return spec.toa();
    }

    /** The service's counter slot. */
    public int counterSlot() {
        return counterSlot;
    }

    /** Number of real servers. */
    public int realServerCount() {
        return rsHi.length;
    }

    /** Real server address high word. */
    public long realHi(int i) {
        return rsHi[i];
    }

    /** Real server address low word. */
    public long realLo(int i) {
        return rsLo[i];
    }

    /** Real server port. */
    public int realPort(int i) {
        return rsPort[i];
    }

    /** Real server live weight. */
    public int realWeight(int i) {
        return rsWeight[i];
    }

    /** Real server counter slot. */
    public int realSlot(int i) {
        return rsSlot[i];
    }

    /** Whether the real server is an address of this node. */
    public boolean realLocal(int i) {
        return rsLocal[i];
    }

    /** Largest real-server weight. */
    public int maxWeight() {
        return maxWeight;
    }

    /** GCD of the real-server weights (0 when all are 0). */
    public int gcdWeight() {
        return gcdWeight;
    }

    /** The Maglev table entry ({@code mh} only): a real-server index or -1. */
    public int maglevEntry(long hash) {
        return maglev[(int) Long.remainderUnsigned(hash, maglev.length)];
    }

    /** The Maglev table size, 0 when not {@code mh}. */
    public int maglevSize() {
        return maglev == null ? 0 : maglev.length;
    }

    /** The source-hash bucket ({@code sh} only): a real-server index or -1. */
    public int sourceHashEntry(long hash) {
        return sourceHash[(int) (hash & (SOURCE_HASH_SIZE - 1))];
    }

    /** Number of local addresses (FullNAT). */
    public int localAddressCount() {
        return laddrHi.length;
    }

    /** A local address. */
    public InetAddress localAddress(int i) {
        return laddrs[i];
    }

    /** Local address high word. */
    public long localHi(int i) {
        return laddrHi[i];
    }

    /** Local address low word. */
    public long localLo(int i) {
        return laddrLo[i];
    }

    /** Local address counter slot. */
    public int localSlot(int i) {
        return laddrSlot[i];
    }

    /** Whether the local address is draining (no new connections). */
    public boolean localDraining(int i) {
        return laddrDraining[i];
    }

    /** Outer source address (high word) for TUN encapsulation. */
    public long tunnelSourceHi() {
        return tunnelSrcHi;
    }

    /** Outer source address (low word) for TUN encapsulation. */
    public long tunnelSourceLo() {
        return tunnelSrcLo;
    }
}

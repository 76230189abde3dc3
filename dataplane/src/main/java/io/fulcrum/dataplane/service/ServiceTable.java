package io.fulcrum.dataplane.service;

import io.fulcrum.dataplane.packet.AddressWords;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An immutable snapshot of the service table: virtual services, their real servers with live weights, FullNAT
 * local-address pools and the addresses this node owns, with allocation-free lookups for the packet path.
 *
 * <p>Built and published by the control thread through one volatile reference; workers pick up the newest between
 * batches and read it without locks. Nothing in it changes after construction.
 */
public final class ServiceTable {

    /** Address kind bit: a VIP this node owns now. */
    public static final int KIND_OWNED_VIP = 1;
    /** Address kind bit: a FullNAT local address of some service. */
    public static final int KIND_LOCAL_ADDRESS = 2;
    /** Address kind bit: one of this node's own addresses. */
    public static final int KIND_NODE = 4;

    /** Assigns stable counter slots to named entities. */
    @FunctionalInterface
    public interface SlotAssigner {
        /** The counter slot for this entity name. */
        int slot(String entity);
    }

    private final ServiceTableSpec spec;
    private final long generation;
    private final VirtualService[] services;
    private final int svcMask;
    private final long[] svcHi;
    private final long[] svcLo;
    private final int[] svcMeta;
    private final int[] svcIndex;
    private final int addrMask;
    private final long[] addrHi;
    private final long[] addrLo;
    private final int[] addrKind;

    private ServiceTable(ServiceTableSpec spec, long generation, VirtualService[] services, Set<InetAddress> owned,
                         Set<InetAddress> localAddresses, Set<InetAddress> node) {
        this.spec = spec;
        this.generation = generation;
        this.services = services;
        int cap = tableSize(services.length);
        svcMask = cap - 1;
        svcHi = new long[cap];
        svcLo = new long[cap];
        svcMeta = new int[cap];
        svcIndex = new int[cap];
        for (VirtualService s : services) {
            int i = hash(s.vipHi(), s.vipLo(), s.port(), s.protocol()) & svcMask;
            while (svcMeta[i] != 0) {
                i = (i + 1) & svcMask;
            }
            svcHi[i] = s.vipHi();
            svcLo[i] = s.vipLo();
            svcMeta[i] = (s.protocol() << 16) | s.port();
            svcIndex[i] = s.index();
        }
        Map<InetAddress, Integer> kinds = new HashMap<>();
        owned.forEach(a -> kinds.merge(a, KIND_OWNED_VIP, (x, y) -> x | y));
        localAddresses.forEach(a -> kinds.merge(a, KIND_LOCAL_ADDRESS, (x, y) -> x | y));
        node.forEach(a -> kinds.merge(a, KIND_NODE, (x, y) -> x | y));
        int acap = tableSize(kinds.size());
        addrMask = acap - 1;
        addrHi = new long[acap];
        addrLo = new long[acap];
        addrKind = new int[acap];
        for (Map.Entry<InetAddress, Integer> e : kinds.entrySet()) {
            long hi = AddressWords.hi(e.getKey());
            long lo = AddressWords.lo(e.getKey());
            int i = hash(hi, lo, 0, 0) & addrMask;
            while (addrKind[i] != 0) {
                i = (i + 1) & addrMask;
            }
            addrHi[i] = hi;
            addrLo[i] = lo;
            addrKind[i] = e.getValue();
        }
    }

    private static int tableSize(int n) {
        return Integer.highestOneBit(Math.max(2 * n, 4) - 1) << 1;
    }

    private static int hash(long hi, long lo, int port, int proto) {
        long h = (lo * 0x9E3779B97F4A7C15L) ^ (hi * 0xC2B2AE3D27D4EB4FL) ^ (((long) proto << 16 | port) * 0x165667B19E3779F9L);
        h ^= h >>> 31;
        h *= 0x94D049BB133111EBL;
        return (int) (h ^ (h >>> 29));
    }

    /**
     * Builds a snapshot. {@code localAddresses} gives each FullNAT service's local addresses (from its
     * {@code local_address_group} plus runtime additions), {@code draining} the ones being drained.
     *
     * @throws IllegalArgumentException naming the failed precondition (duplicate service, unknown group...)
     */
    public static ServiceTable build(ServiceTableSpec spec, long generation,
                                     Map<ServiceKey, List<InetAddress>> localAddresses,
                                     Map<ServiceKey, Set<InetAddress>> draining, SlotAssigner slots, int maglevSize) {
        Set<InetAddress> owned = new HashSet<>(spec.ownedAddresses());
        Set<InetAddress> node = new HashSet<>(spec.nodeAddresses());
        Set<ServiceKey> keys = new HashSet<>();
        Set<InetAddress> allLocal = new HashSet<>();
        List<VirtualService> built = new ArrayList<>();
        for (VirtualServiceSpec s : spec.services()) {
            ServiceKey key = s.key();
            if (!keys.add(key)) {
                throw new IllegalArgumentException("virtual_server " + key + " defined twice");
            }
            if (s.lbAlgo() == SchedulerKind.MH && s.realServers().size() > maglevSize) {
                throw new IllegalArgumentException("virtual_server " + key + ": " + s.realServers().size()
                        + " real servers exceed dataplane.maglev_table_size " + maglevSize);
            }
            int svcSlot = slots.slot("vs " + key);
            int n = s.realServers().size();
            int[] rsSlots = new int[n];
            boolean[] rsLocal = new boolean[n];
            for (int i = 0; i < n; i++) {
                RealServerSpec rs = s.realServers().get(i);
                rsSlots[i] = slots.slot("rs " + key + " " + rs);
                rsLocal[i] = node.contains(rs.address());
            }
            List<InetAddress> laddrs = List.of();
            if (s.lbKind() == ForwardingMethod.FNAT) {
                laddrs = localAddresses.getOrDefault(key, List.of());
                for (InetAddress a : laddrs) {
                    if (a.getAddress().length != s.address().getAddress().length) {
                        throw new IllegalArgumentException("virtual_server " + key + ": local address "
                                + a.getHostAddress() + " is not of the virtual address's family");
                    }
                }
            }
            int[] laddrSlots = new int[laddrs.size()];
            boolean[] laddrDraining = new boolean[laddrs.size()];
            Set<InetAddress> drainingHere = draining.getOrDefault(key, Set.of());
            for (int i = 0; i < laddrs.size(); i++) {
                laddrSlots[i] = slots.slot("laddr " + key + " " + laddrs.get(i).getHostAddress());
                laddrDraining[i] = drainingHere.contains(laddrs.get(i));
                allLocal.add(laddrs.get(i));
            }
            InetAddress tunnelSource = s.address();
            for (InetAddress a : spec.nodeAddresses()) {
                if (a.getAddress().length == s.address().getAddress().length) {
                    tunnelSource = a;
                    break;
                }
            }
            built.add(new VirtualService(s, built.size(), owned.contains(s.address()), svcSlot, rsSlots, rsLocal,
                    laddrs, laddrSlots, laddrDraining, tunnelSource, maglevSize));
        }
        return new ServiceTable(spec, generation, built.toArray(new VirtualService[0]), owned, allLocal, node);
    }

    /** The spec this snapshot was built from. */
    public ServiceTableSpec spec() {
        return spec;
    }

    /** Publication number (increases with every publish). */
    public long generation() {
        return generation;
    }

    /** The services, in spec order. */
    public List<VirtualService> services() {
        return List.of(services);
    }

    /** Number of services. */
    public int serviceCount() {
        return services.length;
    }

    /** The service at an index. */
    public VirtualService service(int index) {
        return services[index];
    }

    /** The service for this protocol, virtual address and port, or null. Allocation-free. */
    public VirtualService find(int protocol, long hi, long lo, int port) {
        int meta = (protocol << 16) | port;
        int i = hash(hi, lo, port, protocol) & svcMask;
        while (svcMeta[i] != 0) {
            if (svcMeta[i] == meta && svcLo[i] == lo && svcHi[i] == hi) {
                return services[svcIndex[i]];
            }
            i = (i + 1) & svcMask;
        }
        return null;
    }

    /** The service for a key, or null (control plane). */
    public VirtualService find(ServiceKey key) {
        return find(key.protocol().number(), AddressWords.hi(key.address()), AddressWords.lo(key.address()), key.port());
    }

    /** The {@code KIND_*} bits of an address (0 when not ours). Allocation-free. */
    public int addressKind(long hi, long lo) {
        int i = hash(hi, lo, 0, 0) & addrMask;
        while (addrKind[i] != 0) {
            if (addrLo[i] == lo && addrHi[i] == hi) {
                return addrKind[i];
            }
            i = (i + 1) & addrMask;
        }
        return 0;
    }
}

package io.fulcrum.dataplane;

import io.fulcrum.dataplane.conn.ConnectionDumpAdapter;
import io.fulcrum.dataplane.conn.ConnectionInfo;
import io.fulcrum.dataplane.conn.ConnectionListing;
import io.fulcrum.dataplane.counters.DataplaneCounters;
import io.fulcrum.dataplane.counters.EntityCounter;
import io.fulcrum.dataplane.service.ForwardingMethod;
import io.fulcrum.dataplane.service.LocalAddressPoolSpec;
import io.fulcrum.dataplane.service.RealServerSpec;
import io.fulcrum.dataplane.service.ServiceKey;
import io.fulcrum.dataplane.service.ServiceTable;
import io.fulcrum.dataplane.service.ServiceTableSpec;
import io.fulcrum.dataplane.service.VirtualServiceSpec;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The dataplane's public entry point: {@link #launch(DataplaneContext)} allocates counters and one
 * {@link ForwardingCore} per worker; the control plane then {@link #publish publishes} service-table snapshots (one
 * volatile reference that workers read between batches) and changes FullNAT local addresses at runtime.
 *
 * <p>Control-plane methods ({@code publish}, local-address operations) are called from the control thread and are
 * serialised; counters may be read from any thread. Each core belongs to its worker thread.
 */
public final class Dataplane implements AutoCloseable {

    private final DataplaneContext ctx;
    private final DataplaneCounters counters;
    private final ForwardingCore[] cores;
    private final ConnectionDumpAdapter[] dumps;
    private volatile ServiceTable current;
    private long generation;
    private ServiceTableSpec spec = ServiceTableSpec.empty();
    private final Map<ServiceKey, LinkedHashSet<InetAddress>> added = new HashMap<>();
    private final Map<ServiceKey, Set<InetAddress>> removed = new HashMap<>();
    private final Map<ServiceKey, Set<InetAddress>> draining = new HashMap<>();
    private final Map<String, Integer> slots = new HashMap<>();
    private final BitSet usedSlots = new BitSet();

    private Dataplane(DataplaneContext ctx) {
        this.ctx = ctx;
        this.counters = new DataplaneCounters(ctx.workers(), ctx.counterEntities());
        this.current = build(ServiceTableSpec.empty());
        this.cores = new ForwardingCore[ctx.workers()];
        this.dumps = new ConnectionDumpAdapter[ctx.workers()];
        for (int w = 0; w < cores.length; w++) {
            cores[w] = new ForwardingCore(ctx, w, counters, this::serviceTable);
            dumps[w] = new ConnectionDumpAdapter(w, cores[w].connections(), ctx.clock());
        }
    }

    /** Validates the context ({@link DataplaneContext#conclude()}) and creates the dataplane. */
    public static Dataplane launch(DataplaneContext ctx) {
        if (!ctx.isConcluded()) {
            ctx.conclude();
        }
        return new Dataplane(ctx);
    }

    /** The context. */
    public DataplaneContext context() {
        return ctx;
    }

    /** The counters (any thread may read). */
    public DataplaneCounters counters() {
        return counters;
    }

    /** The core of a worker (to be driven only on that worker's thread). */
    public ForwardingCore core(int worker) {
        return cores[worker];
    }

    /** An agent that drives a worker's core from a frame source. */
    public DataplaneWorkerAgent agent(int worker, FrameSource source) {
        return new DataplaneWorkerAgent(cores[worker], source, ctx.batchSize(), dumps[worker]);
    }

    /**
     * Lists the connections of every worker ({@code ipvsadm -L -n -c}): each worker's agent copies its entries out in
     * bounded chunks during its duty cycles ({@link ConnectionDumpAdapter}), at most {@code limit} in all, and this
     * waits at most {@code timeoutMs} for all of them. A worker that does not answer in time (not running, or still
     * busy with an earlier listing) is named in the result, and its connections are missing. Called on a control
     * thread; listings are serialised. Allocates (on the control thread only).
     *
     * @throws InterruptedException when the waiting thread is interrupted (outstanding requests are abandoned)
     */
    public synchronized ConnectionListing listConnections(int limit, long timeoutMs) throws InterruptedException {
        if (limit < 0 || timeoutMs < 0) {
            throw new IllegalArgumentException("connection listing limit " + limit + " and time limit " + timeoutMs
                    + " ms must not be negative");
        }
        ConnectionDumpAdapter.Request[] requests = new ConnectionDumpAdapter.Request[dumps.length];
        List<Integer> unanswered = new ArrayList<>();
        for (int w = 0; w < dumps.length; w++) {
            requests[w] = new ConnectionDumpAdapter.Request(limit);
            if (!dumps[w].post(requests[w])) {
                requests[w] = null;
                unanswered.add(w);
            }
        }
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        List<ConnectionInfo> entries = new ArrayList<>();
        long seen = 0;
        for (int w = 0; w < dumps.length; w++) {
            ConnectionDumpAdapter.Request r = requests[w];
            if (r == null) {
                continue;
            }
            long left = Math.max(0, (deadline - System.nanoTime()) / 1_000_000L);
            boolean answered;
            try {
                answered = r.await(left);
            } catch (InterruptedException e) {
                for (int v = w; v < dumps.length; v++) {
                    if (requests[v] != null) {
                        requests[v].abandon();
                    }
                }
                throw e;
            }
            if (!answered) {
                unanswered.add(w);
                continue;
            }
            seen += r.seen();
            for (ConnectionInfo c : r.entries(w)) {
                if (entries.size() < limit) {
                    entries.add(c);
                }
            }
        }
        java.util.Collections.sort(unanswered);
        return new ConnectionListing(entries, seen, limit, unanswered);
    }

    /** The newest published snapshot (a volatile read; any thread). */
    public ServiceTable serviceTable() {
        return current;
    }

    /**
     * Builds, validates and publishes a snapshot from {@code newSpec}. Nothing changes when validation fails.
     * Runtime local-address changes of services still present are kept.
     *
     * @throws IllegalArgumentException naming the failed precondition
     */
    public synchronized ServiceTable publish(ServiceTableSpec newSpec) {
        ServiceTable table = build(newSpec);
        spec = newSpec;
        current = table;
        recycleSlots(table);
        return table;
    }

    private ServiceTable build(ServiceTableSpec s) {
        Map<String, LocalAddressPoolSpec> pools = new HashMap<>();
        for (LocalAddressPoolSpec p : s.localAddressPools()) {
            if (pools.put(p.name(), p) != null) {
                throw new IllegalArgumentException("local_address_group " + p.name() + " defined twice");
            }
        }
        Map<ServiceKey, List<InetAddress>> laddrs = new HashMap<>();
        for (VirtualServiceSpec vs : s.services()) {
            if (vs.lbKind() != ForwardingMethod.FNAT) {
                continue;
            }
            LocalAddressPoolSpec pool = pools.get(vs.localAddressGroup());
            if (pool == null) {
                throw new IllegalArgumentException("virtual_server " + vs.key() + ": laddr_group_name "
                        + vs.localAddressGroup() + " is not a local_address_group");
            }
            laddrs.put(vs.key(), localAddresses(vs.key(), pool));
        }
        return ServiceTable.build(s, ++generation, laddrs, draining, this::slot, ctx.maglevTableSize());
    }

    private List<InetAddress> localAddresses(ServiceKey key, LocalAddressPoolSpec pool) {
        LinkedHashSet<InetAddress> set = new LinkedHashSet<>(pool.addresses());
        set.addAll(added.getOrDefault(key, new LinkedHashSet<>()));
        set.removeAll(removed.getOrDefault(key, Set.of()));
        return new ArrayList<>(set);
    }

    private int slot(String entity) {
        Integer s = slots.get(entity);
        if (s != null) {
            return s;
        }
        int free = usedSlots.nextClearBit(0);
        if (free >= ctx.counterEntities()) {
            throw new IllegalArgumentException("dataplane.counter_entities " + ctx.counterEntities()
                    + " exhausted: too many services, real servers and local addresses");
        }
        usedSlots.set(free);
        counters.resetEntity(free);
        slots.put(entity, free);
        return free;
    }

    private void recycleSlots(ServiceTable table) {
        Set<Integer> live = new HashSet<>();
        table.services().forEach(vs -> {
            live.add(vs.counterSlot());
            for (int i = 0; i < vs.realServerCount(); i++) {
                live.add(vs.realSlot(i));
            }
            for (int i = 0; i < vs.localAddressCount(); i++) {
                live.add(vs.localSlot(i));
            }
        });
        slots.entrySet().removeIf(en -> {
            int s = en.getValue();
            if (live.contains(s) || counters.total(s, EntityCounter.CONNECTIONS_ACTIVE) > 0) {
                return false;
            }
            usedSlots.clear(s);
            return true;
        });
    }

    /** The counter slot of a service, or -1. */
    public synchronized int serviceSlot(ServiceKey key) {
        return slots.getOrDefault("vs " + key, -1);
    }

    /** The counter slot of a real server of a service, or -1. */
    public synchronized int realServerSlot(ServiceKey key, RealServerSpec rs) {
        return slots.getOrDefault("rs " + key + " " + rs, -1);
    }

    /** The counter slot of a local address of a service, or -1. */
    public synchronized int localAddressSlot(ServiceKey key, InetAddress address) {
        return slots.getOrDefault("laddr " + key + " " + address.getHostAddress(), -1);
    }

    /** Connections using a local address of a service, summed over workers (any thread). */
    public long localAddressConnections(ServiceKey key, InetAddress address) {
        int s = localAddressSlot(key, address);
        return s < 0 ? 0 : counters.total(s, EntityCounter.CONNECTIONS_ACTIVE);
    }

    private VirtualServiceSpec fnatService(ServiceKey key) throws LocalAddressException {
        for (VirtualServiceSpec vs : spec.services()) {
            if (vs.key().equals(key)) {
                if (vs.lbKind() != ForwardingMethod.FNAT) {
                    throw new LocalAddressException("no such service: " + key + " is lb_kind " + vs.lbKind()
                            + ", not FNAT");
                }
                return vs;
            }
        }
        throw new LocalAddressException("no such service: " + key);
    }

    private List<InetAddress> currentLocal(ServiceKey key) {
        var vs = current.find(key);
        List<InetAddress> out = new ArrayList<>();
        if (vs != null) {
            for (int i = 0; i < vs.localAddressCount(); i++) {
                out.add(vs.localAddress(i));
            }
        }
        return out;
    }

    /**
     * Adds a local address to a FullNAT service's pool ({@code ipvsadm --add-laddr}). An address being drained is
     * taken back into use.
     *
     * @throws LocalAddressException {@code no such service} or {@code local address already present}
     */
    public synchronized LocalAddressResult addLocalAddress(ServiceKey key, InetAddress address)
            throws LocalAddressException {
        VirtualServiceSpec vs = fnatService(key);
        if (address.getAddress().length != vs.address().getAddress().length) {
            throw new LocalAddressException("local address " + address.getHostAddress()
                    + " is not of the family of " + key);
        }
        Set<InetAddress> drainingHere = draining.getOrDefault(key, Set.of());
        if (currentLocal(key).contains(address) && !drainingHere.contains(address)) {
            throw new LocalAddressException("local address already present: " + address.getHostAddress() + " in "
                    + key);
        }
        Snapshot undo = snapshotAdmin();
        try {
            if (drainingHere.contains(address)) {
                draining.get(key).remove(address);
            } else {
                added.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(address);
                removed.getOrDefault(key, new HashSet<>()).remove(address);
            }
            current = build(spec);
        } catch (RuntimeException e) {
            undo.restore();
            throw e;
        }
        return new LocalAddressResult(true, 0, "local address " + address.getHostAddress() + " added to " + key);
    }

    /**
     * Deletes a local address from a FullNAT service's pool ({@code ipvsadm --del-laddr}). An address with no
     * connections is removed now; one in use stops taking new connections and is removed by
     * {@link #reapDrainedLocalAddresses()} once its connections are gone, and the result says
     * {@code local address in use by N connections}.
     *
     * @throws LocalAddressException {@code no such service} or {@code local address not in the pool}
     */
    public synchronized LocalAddressResult deleteLocalAddress(ServiceKey key, InetAddress address)
            throws LocalAddressException {
        fnatService(key);
        if (!currentLocal(key).contains(address)) {
            throw new LocalAddressException("local address not in the pool: " + address.getHostAddress() + " in "
                    + key);
        }
        long inUse = localAddressConnections(key, address);
        Snapshot undo = snapshotAdmin();
        try {
            if (inUse > 0) {
                draining.computeIfAbsent(key, k -> new HashSet<>()).add(address);
            } else {
                removeNow(key, address);
            }
            current = build(spec);
        } catch (RuntimeException e) {
            undo.restore();
            throw e;
        }
        if (inUse > 0) {
            return new LocalAddressResult(false, inUse, "local address in use by " + inUse + " connections; "
                    + address.getHostAddress() + " is draining");
        }
        return new LocalAddressResult(true, 0, "local address " + address.getHostAddress() + " deleted from " + key);
    }

    private void removeNow(ServiceKey key, InetAddress address) {
        LinkedHashSet<InetAddress> a = added.get(key);
        if (a != null) {
            a.remove(address);
        }
        removed.computeIfAbsent(key, k -> new HashSet<>()).add(address);
        Set<InetAddress> d = draining.get(key);
        if (d != null) {
            d.remove(address);
        }
    }

    /** Removes draining local addresses whose connections are all gone; returns how many were removed. */
    public synchronized int reapDrainedLocalAddresses() {
        int n = 0;
        for (Map.Entry<ServiceKey, Set<InetAddress>> en : new HashMap<>(draining).entrySet()) {
            for (InetAddress a : new ArrayList<>(en.getValue())) {
                if (localAddressConnections(en.getKey(), a) == 0) {
                    removeNow(en.getKey(), a);
                    n++;
                }
            }
        }
        if (n > 0) {
            current = build(spec);
        }
        return n;
    }

    private Snapshot snapshotAdmin() {
        return new Snapshot();
    }

    private final class Snapshot {
        private final Map<ServiceKey, LinkedHashSet<InetAddress>> a = deepCopy(added);
        private final Map<ServiceKey, Set<InetAddress>> r = deepCopySet(removed);
        private final Map<ServiceKey, Set<InetAddress>> d = deepCopySet(draining);

        void restore() {
            added.clear();
            added.putAll(a);
            removed.clear();
            removed.putAll(r);
            draining.clear();
            draining.putAll(d);
        }
    }

    private static Map<ServiceKey, LinkedHashSet<InetAddress>> deepCopy(Map<ServiceKey, LinkedHashSet<InetAddress>> m) {
        Map<ServiceKey, LinkedHashSet<InetAddress>> c = new HashMap<>();
        m.forEach((k, v) -> c.put(k, new LinkedHashSet<>(v)));
        return c;
    }

    private static Map<ServiceKey, Set<InetAddress>> deepCopySet(Map<ServiceKey, Set<InetAddress>> m) {
        Map<ServiceKey, Set<InetAddress>> c = new HashMap<>();
        m.forEach((k, v) -> c.put(k, new HashSet<>(v)));
        return c;
    }

    /** Frees the cores' tables and the counters. Call after the workers stopped. */
    @Override
    public void close() {
        for (ForwardingCore c : cores) {
            c.close();
        }
        counters.close();
    }
}

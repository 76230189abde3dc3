package io.fulcrum.appliance.wiring;

import io.fulcrum.appliance.ApplianceCommands.Result;
import io.fulcrum.appliance.ApplianceCommands.ServiceDefinition;
import io.fulcrum.dataplane.service.LocalAddressPoolSpec;
import io.fulcrum.dataplane.service.RealServerSpec;
import io.fulcrum.dataplane.service.ServiceKey;
import io.fulcrum.dataplane.service.ServiceTableSpec;
import io.fulcrum.dataplane.service.VirtualServiceSpec;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The control plane's desired service table: services from the configuration (or runtime commands), each real server
 * with its configured weight and its health verdict, the local-address pools, and the virtual addresses this node
 * owns. {@link #toSpec()} builds the immutable {@link ServiceTableSpec} the dataplane publishes; a real server that is
 * down gets weight 0 (it drains: its connections stay in the workers, new ones go elsewhere).
 *
 * <p>Not thread-safe: the appliance calls it only while holding its control lock.
 */
public final class ServiceModel {

    /** One real server's desired state. */
    static final class Rs {
        final InetAddress address;
        final int port;
        int configuredWeight;
        boolean alive = true;
        int healthWeight;
        long changes;
        long lastChangeMillis;

        Rs(InetAddress address, int port, int weight) {
            this.address = address;
            this.port = port;
            this.configuredWeight = weight;
            this.healthWeight = weight;
        }

        int weight() {
            return alive ? healthWeight : 0;
        }
    }

    /** One service's desired state. */
    static final class Svc {
        VirtualServiceSpec base;
        final LinkedHashMap<String, Rs> realServers = new LinkedHashMap<>();

        Svc(VirtualServiceSpec base) {
            this.base = base;
        }

        VirtualServiceSpec spec() {
            List<RealServerSpec> rss = new ArrayList<>();
            for (Rs r : realServers.values()) {
                rss.add(new RealServerSpec(r.address, r.port, r.weight()));
            }
            return new VirtualServiceSpec(base.protocol(), base.address(), base.port(), base.lbAlgo(), base.lbKind(),
                    base.persistenceTimeoutSeconds(), base.toa(), base.synProxy(), base.localAddressGroup(), rss);
        }
    }

    private final LinkedHashMap<ServiceKey, Svc> services = new LinkedHashMap<>();
    private List<LocalAddressPoolSpec> pools = List.of();
    private final Set<InetAddress> owned = new HashSet<>();
    private Set<InetAddress> vrrpAddresses = Set.of();

    /** An empty model. */
    public ServiceModel() {
    }

    static String rsKey(InetAddress a, int port) {
        return a.getHostAddress() + "|" + port;
    }

    /**
     * Replaces the services and pools with those of a (re)loaded configuration. Real servers present before keep their
     * health verdict; services and real servers that did not change produce identical specs.
     *
     * @param plan the mapped configuration
     * @param vrrpVirtualAddresses every address some VRRP instance manages (a service address outside this set is
     *     always owned, as with a configuration without VRRP)
     */
    public void apply(SpecMapper.ServicePlan plan, Set<InetAddress> vrrpVirtualAddresses) {
        LinkedHashMap<ServiceKey, Svc> next = new LinkedHashMap<>();
        for (VirtualServiceSpec vs : plan.services()) {
            Svc old = services.get(vs.key());
            Svc s = new Svc(vs);
            for (RealServerSpec r : vs.realServers()) {
                String k = rsKey(r.address(), r.port());
                Rs prev = old == null ? null : old.realServers.get(k);
                Rs rs = new Rs(r.address(), r.port(), r.weight());
                if (prev != null) {
                    rs.alive = prev.alive;
                    rs.changes = prev.changes;
                    rs.lastChangeMillis = prev.lastChangeMillis;
                    rs.healthWeight = prev.configuredWeight == r.weight() ? prev.healthWeight : r.weight();
                }
                s.realServers.put(k, rs);
            }
            next.put(vs.key(), s);
        }
        services.clear();
        services.putAll(next);
        pools = plan.pools();
        vrrpAddresses = Set.copyOf(vrrpVirtualAddresses);
    }

    /**
     * A health verdict for a real server; returns whether the desired table changed.
     *
     * @param key the service
     * @param address the real server
     * @param port its port
     * @param up whether its checkers pass
     * @param weight the weight they give it (0 with {@code inhibit_on_failure} while down)
     * @param nowMillis the wall-clock time
     */
    public boolean health(ServiceKey key, InetAddress address, int port, boolean up, int weight, long nowMillis) {
        Svc s = services.get(key);
        Rs r = s == null ? null : s.realServers.get(rsKey(address, port));
        if (r == null) {
            return false;
        }
        int before = r.weight();
        if (r.alive != up) {
            r.changes++;
            r.lastChangeMillis = nowMillis;
        }
        r.alive = up;
        if (up) {
            r.healthWeight = weight;
        }
        return before != r.weight();
    }

    /** Marks addresses owned (VRRP MASTER); returns whether anything changed. */
    public boolean own(List<InetAddress> addresses) {
        return owned.addAll(addresses);
    }

    /** Marks addresses not owned (BACKUP, FAULT, STOP); returns whether anything changed. */
    public boolean disown(List<InetAddress> addresses) {
        return owned.removeAll(addresses);
    }

    /** Whether this node owns {@code address} now. */
    public boolean owns(InetAddress address) {
        return owned.contains(address) || !vrrpAddresses.contains(address);
    }

    /** The FullNAT local addresses of every service (announced with the VIPs). */
    public List<InetAddress> localAddresses() {
        List<InetAddress> out = new ArrayList<>();
        for (LocalAddressPoolSpec p : pools) {
            out.addAll(p.addresses());
        }
        return out;
    }

    /** The immutable table spec for the dataplane. */
    public ServiceTableSpec toSpec() {
        List<VirtualServiceSpec> specs = new ArrayList<>();
        Set<InetAddress> ownedNow = new HashSet<>(owned);
        for (Svc s : services.values()) {
            specs.add(s.spec());
            if (!vrrpAddresses.contains(s.base.address())) {
                ownedNow.add(s.base.address());
            }
        }
        return new ServiceTableSpec(specs, pools, List.copyOf(ownedNow), List.of());
    }

    /** The real servers of a service with (configured weight, alive, changes, last change), for the view. */
    public Map<String, int[]> realServerState(ServiceKey key) {
        Map<String, int[]> out = new LinkedHashMap<>();
        Svc s = services.get(key);
        if (s != null) {
            for (Map.Entry<String, Rs> e : s.realServers.entrySet()) {
                out.put(e.getKey(), new int[]{e.getValue().configuredWeight, e.getValue().alive ? 1 : 0});
            }
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------ commands

    /** {@code -A}. */
    public Result addService(ServiceDefinition d) {
        if (services.containsKey(d.key())) {
            return Result.error("service already exists: " + d.key());
        }
        VirtualServiceSpec spec;
        try {
            spec = new VirtualServiceSpec(d.key().protocol(), d.key().address(), d.key().port(), d.scheduler(),
                    d.forwardMethod(), d.persistenceTimeoutSeconds(), false, false, d.localAddressGroup(), List.of());
        } catch (IllegalArgumentException e) {
            return Result.error(e.getMessage());
        }
        services.put(d.key(), new Svc(spec));
        return Result.ok("service " + d.key() + " added");
    }

    /** {@code -E}. */
    public Result editService(ServiceDefinition d) {
        Svc s = services.get(d.key());
        if (s == null) {
            return Result.error("no such service: " + d.key());
        }
        try {
            s.base = new VirtualServiceSpec(d.key().protocol(), d.key().address(), d.key().port(), d.scheduler(),
                    d.forwardMethod(), d.persistenceTimeoutSeconds(), s.base.toa(), s.base.synProxy(),
                    d.localAddressGroup(), s.base.realServers());
            s.spec();
        } catch (IllegalArgumentException e) {
            return Result.error(e.getMessage());
        }
        return Result.ok("service " + d.key() + " edited");
    }

    /** {@code -D}. */
    public Result deleteService(ServiceKey key) {
        if (services.remove(key) == null) {
            return Result.error("no such service: " + key);
        }
        return Result.ok("service " + key + " deleted");
    }

    /** {@code -a}. */
    public Result addRealServer(ServiceKey key, InetAddress address, int port, int weight) {
        Svc s = services.get(key);
        if (s == null) {
            return Result.error("no such service: " + key);
        }
        String k = rsKey(address, port);
        if (s.realServers.containsKey(k)) {
            return Result.error("destination already exists: [" + address.getHostAddress() + "]:" + port);
        }
        try {
            new RealServerSpec(address, port, weight);
            s.realServers.put(k, new Rs(address, port, weight));
            s.spec();
        } catch (IllegalArgumentException e) {
            s.realServers.remove(k);
            return Result.error(e.getMessage());
        }
        return Result.ok("destination [" + address.getHostAddress() + "]:" + port + " added to " + key);
    }

    /** {@code -e}. */
    public Result editRealServer(ServiceKey key, InetAddress address, int port, int weight) {
        Svc s = services.get(key);
        if (s == null) {
            return Result.error("no such service: " + key);
        }
        Rs r = s.realServers.get(rsKey(address, port));
        if (r == null) {
            return Result.error("no such destination: [" + address.getHostAddress() + "]:" + port + " in " + key);
        }
        if (weight < 0 || weight > 65535) {
            return Result.error("weight " + weight + " out of range 0..65535");
        }
        r.configuredWeight = weight;
        r.healthWeight = weight;
        return Result.ok("destination [" + address.getHostAddress() + "]:" + port + " weight " + weight);
    }

    /** {@code -d}. */
    public Result deleteRealServer(ServiceKey key, InetAddress address, int port) {
        Svc s = services.get(key);
        if (s == null) {
            return Result.error("no such service: " + key);
        }
        if (s.realServers.remove(rsKey(address, port)) == null) {
            return Result.error("no such destination: [" + address.getHostAddress() + "]:" + port + " in " + key);
        }
        return Result.ok("destination [" + address.getHostAddress() + "]:" + port + " deleted from " + key);
    }

    /** A copy for undo (commands that fail after changing the model restore it). */
    public ServiceModel copy() {
        ServiceModel m = new ServiceModel();
        for (Map.Entry<ServiceKey, Svc> e : services.entrySet()) {
            Svc s = new Svc(e.getValue().base);
            for (Map.Entry<String, Rs> r : e.getValue().realServers.entrySet()) {
                Rs o = r.getValue();
                Rs n = new Rs(o.address, o.port, o.configuredWeight);
                n.alive = o.alive;
                n.healthWeight = o.healthWeight;
                n.changes = o.changes;
                n.lastChangeMillis = o.lastChangeMillis;
                s.realServers.put(r.getKey(), n);
            }
            m.services.put(e.getKey(), s);
        }
        m.pools = pools;
        m.owned.addAll(owned);
        m.vrrpAddresses = vrrpAddresses;
        return m;
    }

    /** Restores this model from a {@link #copy()}. */
    public void restore(ServiceModel from) {
        services.clear();
        services.putAll(from.services);
        pools = from.pools;
        owned.clear();
        owned.addAll(from.owned);
        vrrpAddresses = from.vrrpAddresses;
    }
}

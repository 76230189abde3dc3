package io.fulcrum.appliance.admin;

import io.fulcrum.appliance.ApplianceCommands;
import io.fulcrum.appliance.ApplianceView;
import io.fulcrum.dataplane.counters.DataplaneCounter;
import io.fulcrum.dataplane.service.ForwardingMethod;
import io.fulcrum.dataplane.service.Protocol;
import io.fulcrum.dataplane.service.SchedulerKind;
import io.fulcrum.dataplane.service.ServiceKey;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An in-memory test double of the appliance's view and commands (pure logic, no dataplane): services and real servers
 * in maps, commands that check their preconditions and change nothing when they refuse, as the real
 * {@code Appliance} promises. Synchronised, so the control server's threads may use it.
 */
public final class FakeAppliance implements ApplianceView, ApplianceCommands {

    /** A mutable real server. */
    public static final class Rs {
        public final InetAddress address;
        public final int port;
        public int weight;
        public long active;
        public long inactive;
        public TrafficStats stats = TrafficStats.ZERO;
        public TrafficRates rates = TrafficRates.ZERO;

        Rs(InetAddress address, int port, int weight) {
            this.address = address;
            this.port = port;
            this.weight = weight;
        }
    }

    /** A mutable service. */
    public static final class Svc {
        public final ServiceKey key;
        public SchedulerKind scheduler;
        public ForwardingMethod method;
        public int persistence;
        public String laddrGroup;
        public final List<Rs> servers = new ArrayList<>();
        public TrafficStats stats = TrafficStats.ZERO;
        public TrafficRates rates = TrafficRates.ZERO;

        Svc(ServiceKey key, SchedulerKind scheduler, ForwardingMethod method, int persistence) {
            this.key = key;
            this.scheduler = scheduler;
            this.method = method;
            this.persistence = persistence;
        }

        /** Adds a real server. */
        public Rs rs(String address, int port, int weight) {
            Rs r = new Rs(ip(address), port, weight);
            servers.add(r);
            return r;
        }
    }

    public final Map<ServiceKey, Svc> services = new LinkedHashMap<>();
    public final List<LocalAddressInfo> laddrs = new ArrayList<>();
    public final List<VrrpInstanceInfo> vrrp = new ArrayList<>();
    public final List<WorkerInfo> workers = new ArrayList<>();
    public final List<CheckerInfo> checkers = new ArrayList<>();
    public ConnectionTableInfo connectionTable = new ConnectionTableInfo(2048, 2, List.of(3L, 4L));
    public long netlinkOverruns = 2;
    public int generation = 1;
    /** Connections each local address holds (for deletes). */
    public final Map<InetAddress, Long> laddrConnections = new LinkedHashMap<>();

    /** The address {@code s}. */
    public static InetAddress ip(String s) {
        return InetAddress.ofLiteral(s);
    }

    /** The service key. */
    public static ServiceKey key(Protocol p, String address, int port) {
        return new ServiceKey(p, ip(address), port);
    }

    /** Adds a service. */
    public synchronized Svc service(Protocol p, String address, int port, SchedulerKind s, ForwardingMethod m,
                                    int persistence) {
        Svc svc = new Svc(key(p, address, port), s, m, persistence);
        services.put(svc.key, svc);
        return svc;
    }

    /** Adds a local address. */
    public synchronized void laddr(ServiceKey key, String address, long connections) {
        laddrs.add(new LocalAddressInfo(key, ip(address), connections, 28232, false));
        laddrConnections.put(ip(address), connections);
    }

    /** Adds one worker whose counters are {@code base + ordinal}. */
    public synchronized void worker(int index, long base) {
        Map<DataplaneCounter, Long> c = new EnumMap<>(DataplaneCounter.class);
        for (DataplaneCounter d : DataplaneCounter.values()) {
            c.put(d, base + d.ordinal());
        }
        workers.add(new WorkerInfo(index, c));
    }

    @Override
    public synchronized Status status() {
        Instant t = Instant.parse("2026-11-21T20:00:00Z");
        return new Status(Mode.FULL, Path.of("/etc/fulcrum/fulcrum.conf"), generation, t, t, "AF_PACKET",
                List.of("veth0"));
    }

    @Override
    public synchronized List<VrrpInstanceInfo> vrrpInstances() {
        return List.copyOf(vrrp);
    }

    @Override
    public synchronized List<VirtualServiceInfo> virtualServices() {
        List<VirtualServiceInfo> list = new ArrayList<>();
        for (Svc s : services.values()) {
            List<RealServerInfo> rs = new ArrayList<>();
            for (Rs r : s.servers) {
                rs.add(new RealServerInfo(r.address, r.port, s.method, r.weight, r.weight, true, r.active,
                        r.inactive, r.stats, r.rates));
            }
            list.add(new VirtualServiceInfo(s.key, s.key.protocol(), s.key.address(), s.key.port(), s.scheduler,
                    s.method, s.persistence, s.laddrGroup, true, List.copyOf(rs), s.stats, s.rates));
        }
        return List.copyOf(list);
    }

    @Override
    public synchronized List<LocalAddressInfo> localAddresses() {
        return List.copyOf(laddrs);
    }

    @Override
    public synchronized List<WorkerInfo> dataplaneWorkers() {
        return List.copyOf(workers);
    }

    @Override
    public synchronized ConnectionTableInfo connectionTable() {
        return connectionTable;
    }

    @Override
    public synchronized List<CheckerInfo> checkers() {
        return List.copyOf(checkers);
    }

    @Override
    public synchronized long netlinkOverruns() {
        return netlinkOverruns;
    }

    // ------------------------------------------------------------------------------------------------ commands

    @Override
    public synchronized Result addService(ServiceDefinition d) {
        if (services.containsKey(d.key())) {
            return Result.error("service already exists");
        }
        Svc s = new Svc(d.key(), d.scheduler(), d.forwardMethod(), d.persistenceTimeoutSeconds());
        s.laddrGroup = d.localAddressGroup();
        services.put(d.key(), s);
        generation++;
        return Result.ok("added");
    }

    @Override
    public synchronized Result editService(ServiceDefinition d) {
        Svc s = services.get(d.key());
        if (s == null) {
            return Result.error("no such service");
        }
        s.scheduler = d.scheduler();
        s.method = d.forwardMethod();
        s.persistence = d.persistenceTimeoutSeconds();
        s.laddrGroup = d.localAddressGroup();
        generation++;
        return Result.ok("edited");
    }

    @Override
    public synchronized Result deleteService(ServiceKey key) {
        if (services.remove(key) == null) {
            return Result.error("no such service");
        }
        laddrs.removeIf(l -> l.service().equals(key));
        generation++;
        return Result.ok("deleted");
    }

    private Rs find(Svc s, InetAddress a, int port) {
        for (Rs r : s.servers) {
            if (r.address.equals(a) && r.port == port) {
                return r;
            }
        }
        return null;
    }

    @Override
    public synchronized Result addRealServer(ServiceKey key, InetAddress address, int port, int weight) {
        Svc s = services.get(key);
        if (s == null) {
            return Result.error("no such service");
        }
        if (find(s, address, port) != null) {
            return Result.error("destination already exists");
        }
        s.servers.add(new Rs(address, port, weight));
        generation++;
        return Result.ok("added");
    }

    @Override
    public synchronized Result editRealServer(ServiceKey key, InetAddress address, int port, int weight) {
        Svc s = services.get(key);
        if (s == null) {
            return Result.error("no such service");
        }
        Rs r = find(s, address, port);
        if (r == null) {
            return Result.error("no such destination");
        }
        r.weight = weight;
        generation++;
        return Result.ok("edited");
    }

    @Override
    public synchronized Result deleteRealServer(ServiceKey key, InetAddress address, int port) {
        Svc s = services.get(key);
        if (s == null) {
            return Result.error("no such service");
        }
        Rs r = find(s, address, port);
        if (r == null) {
            return Result.error("no such destination");
        }
        s.servers.remove(r);
        generation++;
        return Result.ok("deleted");
    }

    @Override
    public synchronized Result addLocalAddress(ServiceKey key, InetAddress address) {
        if (!services.containsKey(key)) {
            return Result.error("no such service");
        }
        for (LocalAddressInfo l : laddrs) {
            if (l.service().equals(key) && l.address().equals(address)) {
                return Result.error("local address already present");
            }
        }
        laddrs.add(new LocalAddressInfo(key, address, 0, 28232, false));
        generation++;
        return Result.ok("added");
    }

    @Override
    public synchronized Result deleteLocalAddress(ServiceKey key, InetAddress address) {
        if (!services.containsKey(key)) {
            return Result.error("no such service");
        }
        for (LocalAddressInfo l : laddrs) {
            if (l.service().equals(key) && l.address().equals(address)) {
                long n = laddrConnections.getOrDefault(address, 0L);
                if (n > 0) {
                    return Result.error("local address in use by " + n + " connections; draining");
                }
                laddrs.remove(l);
                generation++;
                return Result.ok("deleted");
            }
        }
        return Result.error("local address not in the pool");
    }

    @Override
    public synchronized Result zeroCounters(ServiceKey key) {
        for (Svc s : services.values()) {
            if (key == null || s.key.equals(key)) {
                s.stats = TrafficStats.ZERO;
                for (Rs r : s.servers) {
                    r.stats = TrafficStats.ZERO;
                }
            }
        }
        return Result.ok("zeroed");
    }

    /** The golden fixture: four services in configuration order, not ipvsadm's sorted order. */
    public static FakeAppliance golden() {
        FakeAppliance f = new FakeAppliance();
        f.connectionTable = new ConnectionTableInfo(2048, 2, List.of(5L, 7L));
        Svc fnat = f.service(Protocol.TCP, "192.168.10.10", 443, SchedulerKind.WRR, ForwardingMethod.FNAT, 0);
        Rs big = fnat.rs("172.16.0.1", 443, 100);
        big.active = 12345;
        big.inactive = 7;
        Svc v6 = f.service(Protocol.TCP, "2001:db8::100", 80, SchedulerKind.SH, ForwardingMethod.TUN, 0);
        v6.rs("2001:db8::2", 80, 1);
        Svc dns = f.service(Protocol.UDP, "10.0.0.100", 53, SchedulerKind.WLC, ForwardingMethod.DR, 300);
        dns.rs("10.0.0.5", 53, 0);
        Svc web = f.service(Protocol.TCP, "10.0.0.100", 80, SchedulerKind.RR, ForwardingMethod.NAT, 0);
        // Configuration order puts .3 before .2: ipvsadm sorts destinations by address.
        Rs b = web.rs("10.0.0.3", 8080, 2);
        Rs a = web.rs("10.0.0.2", 8080, 1);
        a.active = 3;
        web.stats = new TrafficStats(15, 1500, 1400, 99_999_999L, 123_456_789_012L);
        a.stats = new TrafficStats(10, 1000, 900, 99_999_999L, 100_000_000L);
        b.stats = new TrafficStats(5, 500, 500, 0, 23_456_789_012L);
        web.rates = new TrafficRates(12, 340, 330, 2_500_000_000L, 125_000);
        a.rates = new TrafficRates(7, 200, 190, 1_200_000_000L, 64_000);
        f.laddr(fnat.key, "10.0.1.1", 7);
        f.laddr(fnat.key, "10.0.1.2", 0);
        return f;
    }
}

package io.fulcrum.netlink.rtnl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.netlink.NetNs;
import io.fulcrum.testkit.Await;
import io.fulcrum.testkit.KernelTest;
import io.fulcrum.testkit.LogCapture;
import io.fulcrum.testkit.NetnsLab;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The monitor in a real namespace: typed events, and the overrun storm with a 4 KiB buffer. */
@KernelTest
class NetlinkMonitorKernelTest {

    private NetnsLab lab;
    private String ns;
    private NetlinkMonitorAgent monitor;
    private AgentRunner runner;
    private Rtnetlink rtnl;
    private LogCapture logs;
    private final List<NetlinkEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        logs = LogCapture.attach();
        lab = NetnsLab.create();
        ns = lab.ns("m");
        lab.exec(ns, "ip", "link", "add", "w0", "type", "veth", "peer", "name", "w1").orThrow();
        lab.exec(ns, "ip", "link", "set", "w1", "up").orThrow();
        lab.exec(ns, "ip", "link", "set", "w0", "up").orThrow();
        rtnl = NetNs.callIn(ns, Rtnetlink::open);
    }

    @AfterEach
    void tearDown() {
        if (runner != null) {
            runner.close();
        }
        if (monitor != null) {
            monitor.close();
        }
        rtnl.close();
        lab.close();
        logs.close();
    }

    private void startMonitor(NetlinkMonitorContext ctx, boolean run) throws Exception {
        monitor = NetNs.callIn(ns, () -> new NetlinkMonitorAgent(ctx));
        monitor.addListener(events::add);
        if (run) {
            startRunner();
        }
    }

    private void startRunner() {
        runner = new AgentRunner(new SleepingMillisIdleStrategy(1), e -> e.printStackTrace(), null, monitor);
        AgentRunner.startOnThread(runner, NetNs.threadFactory(ns));
    }

    private <T extends NetlinkEvent> T awaitEvent(Class<T> type, String ifname) {
        AtomicReference<T> found = new AtomicReference<>();
        Await.until(() -> type.getSimpleName() + " for " + ifname + " in " + events, Duration.ofSeconds(5), () -> {
            for (NetlinkEvent e : events) {
                if (type.isInstance(e) && mentions(e, ifname)) {
                    found.set(type.cast(e));
                    return true;
                }
            }
            return false;
        });
        return found.get();
    }

    private boolean mentions(NetlinkEvent e, String ifname) {
        return switch (e) {
            case NetlinkEvent.LinkAdded x -> x.link().name().equals(ifname);
            case NetlinkEvent.LinkRemoved x -> x.link().name().equals(ifname);
            case NetlinkEvent.LinkUp x -> x.link().name().equals(ifname);
            case NetlinkEvent.LinkDown x -> x.link().name().equals(ifname);
            case NetlinkEvent.LinkChanged x -> x.after().name().equals(ifname);
            case NetlinkEvent.AddressAdded x -> x.address().cidr().equals(ifname);
            case NetlinkEvent.AddressRemoved x -> x.address().cidr().equals(ifname);
            default -> false;
        };
    }

    @Test
    void deliversTypedEventsAndKeepsTheCache() throws Exception {
        startMonitor(new NetlinkMonitorContext(), true);
        logs.await("Netlink: monitor socket receive buffer 8388608 bytes requested with SO_RCVBUFFORCE, 16777216 granted",
                Duration.ofSeconds(2));
        assertEquals(16 << 20, monitor.grantedReceiveBuffer());
        assertTrue(monitor.state().link("w0").orElseThrow().isUp());

        lab.exec(ns, "ip", "link", "set", "w0", "down").orThrow();
        NetlinkEvent.LinkDown down = awaitEvent(NetlinkEvent.LinkDown.class, "w0");
        assertTrue(!down.link().isUp() && !down.resync());
        // w1 loses its carrier when w0 goes down
        awaitEvent(NetlinkEvent.LinkDown.class, "w1");
        lab.exec(ns, "ip", "link", "set", "w0", "up").orThrow();
        awaitEvent(NetlinkEvent.LinkUp.class, "w0");

        lab.exec(ns, "ip", "addr", "add", "10.3.0.1/24", "dev", "w0").orThrow();
        NetlinkEvent.AddressAdded added = awaitEvent(NetlinkEvent.AddressAdded.class, "10.3.0.1/24");
        assertEquals(rtnl.indexOf("w0"), added.address().ifindex());
        lab.exec(ns, "ip", "addr", "del", "10.3.0.1/24", "dev", "w0").orThrow();
        awaitEvent(NetlinkEvent.AddressRemoved.class, "10.3.0.1/24");

        lab.exec(ns, "ip", "link", "add", "n0", "type", "veth", "peer", "name", "n1").orThrow();
        assertEquals("veth", awaitEvent(NetlinkEvent.LinkAdded.class, "n0").link().kind());
        lab.exec(ns, "ip", "link", "del", "n0").orThrow();
        awaitEvent(NetlinkEvent.LinkRemoved.class, "n0");
        awaitEvent(NetlinkEvent.LinkRemoved.class, "n1");
        assertCacheEqualsDump();
        assertEquals(0, monitor.overruns());
    }

    @Test
    void deliversRouteAndNeighbourEventsWhenAsked() throws Exception {
        startMonitor(new NetlinkMonitorContext().routes(true).neighbours(true), true);
        int w0 = rtnl.indexOf("w0");
        rtnl.addAddress(w0, InetAddress.getByName("10.6.0.1"), 24);
        Route r = Route.unicast(InetAddress.getByName("10.60.0.0"), 16, InetAddress.getByName("10.6.0.254"), w0);
        rtnl.addRoute(r);
        Await.until("RouteAdded 10.60.0.0/16", Duration.ofSeconds(5), () -> events.stream().anyMatch(e ->
                e instanceof NetlinkEvent.RouteAdded a && a.route().describe().startsWith("10.60.0.0/16 via 10.6.0.254")
                        && a.route().oif() == w0));
        rtnl.deleteRoute(r);
        Await.until("RouteRemoved 10.60.0.0/16", Duration.ofSeconds(5), () -> events.stream().anyMatch(e ->
                e instanceof NetlinkEvent.RouteRemoved x && x.route().describe().startsWith("10.60.0.0/16")));
        Neighbour n = new Neighbour(w0, InetAddress.getByName("10.6.0.9"), "02:00:00:00:06:09",
                NdMsgFlyweight.NUD_PERMANENT);
        rtnl.replaceNeighbour(n);
        Await.until("NeighbourChanged 10.6.0.9", Duration.ofSeconds(5), () -> events.stream().anyMatch(e ->
                e instanceof NetlinkEvent.NeighbourChanged c && c.neighbour().equals(n)));
        rtnl.deleteNeighbour(n);
        Await.until("NeighbourRemoved 10.6.0.9", Duration.ofSeconds(5), () -> events.stream().anyMatch(e ->
                e instanceof NetlinkEvent.NeighbourRemoved x && x.neighbour().destination().equals(n.destination())));

        // A link with a route and a neighbour goes away: IPv4 routes are flushed without RTM_DELROUTE; the mirror
        // must still drop them.
        lab.exec(ns, "ip", "link", "add", "z0", "type", "veth", "peer", "name", "z1").orThrow();
        lab.exec(ns, "ip", "link", "set", "z1", "up").orThrow();
        lab.exec(ns, "ip", "link", "set", "z0", "up").orThrow();
        lab.exec(ns, "ip", "addr", "add", "10.8.0.1/24", "dev", "z0").orThrow();
        lab.exec(ns, "ip", "route", "add", "10.80.0.0/16", "via", "10.8.0.254").orThrow();
        lab.exec(ns, "ip", "neigh", "replace", "10.8.0.9", "lladdr", "02:00:00:00:08:09", "dev", "z0").orThrow();
        Await.until("route 10.80.0.0/16 mirrored", Duration.ofSeconds(5), () -> monitor.state().routes().values()
                .stream().anyMatch(x -> x.describe().startsWith("10.80.0.0/16")));
        Await.until("neighbour 10.8.0.9 mirrored", Duration.ofSeconds(5), () -> monitor.state().neighbours().values()
                .stream().anyMatch(x -> x.destination().getHostAddress().equals("10.8.0.9")));
        lab.exec(ns, "ip", "link", "del", "z0").orThrow();
        Await.until("mirror equals a fresh dump", Duration.ofSeconds(5), () -> {
            NetlinkState st = monitor.state();
            Set<Route> dumped = new HashSet<>(rtnl.routes(2));
            dumped.addAll(rtnl.routes(10));
            return new HashSet<>(st.routes().values()).equals(dumped)
                    && new HashSet<>(st.neighbours().values()).equals(new HashSet<>(rtnl.neighbours(0)));
        });
        assertTrue(monitor.state().routes().values().stream().noneMatch(x -> x.describe().startsWith("10.80.0.0")));
        assertTrue(events.stream().anyMatch(e -> e instanceof NetlinkEvent.RouteRemoved x && x.resync()
                && x.route().describe().startsWith("10.80.0.0/16")), "silently flushed route reported as removed");
    }

    @Test
    void worksInsideAnotherThreadsPollLoop() throws Exception {
        startMonitor(new NetlinkMonitorContext(), false);
        io.fulcrum.netlink.PollSet poll = new io.fulcrum.netlink.PollSet(1);
        int slot = poll.add(monitor.fd(), io.fulcrum.netlink.PollSet.POLLIN);
        assertEquals(0, poll.poll(0));
        lab.exec(ns, "ip", "addr", "add", "10.4.0.1/24", "dev", "w0").orThrow();
        assertEquals(1, poll.poll(2000));
        assertTrue(poll.readable(slot));
        assertTrue(monitor.doWork() > 0);
        assertTrue(monitor.state().addresses().values().stream().anyMatch(a -> a.cidr().equals("10.4.0.1/24")));
        assertEquals(0, monitor.doWork(), "drained");
    }

    /**
     * 150 veth pairs created and deleted while w0 flaps 20 times, with a 4 KiB monitor buffer. The monitor is stalled
     * (not yet running) during the first part, as a busy keepalived would be, so the overrun happens on every run.
     */
    @Test
    void stormOverrunsAndReconcilesToTheKernelState() throws Exception {
        startMonitor(new NetlinkMonitorContext().receiveBufferBytes(4096).routes(true), false);
        AtomicReference<Boolean> w0Up = new AtomicReference<>(true);
        monitor.addListener(e -> {
            if (e instanceof NetlinkEvent.LinkUp u && u.link().name().equals("w0")) {
                w0Up.set(true);
            } else if (e instanceof NetlinkEvent.LinkDown d && d.link().name().equals("w0")) {
                w0Up.set(false);
            }
        });
        Path first = lab.workDir().resolve("storm1.batch");
        Path second = lab.workDir().resolve("storm2.batch");
        StringBuilder a = new StringBuilder();
        StringBuilder b = new StringBuilder();
        int flaps = 0;
        for (int i = 0; i < 150; i++) {
            StringBuilder sb = i < 75 ? a : b;
            sb.append("link add s").append(i).append("a type veth peer name s").append(i).append("b\n");
            sb.append("addr add 10.200.").append(i).append(".1/24 dev s").append(i).append("a\n");
            sb.append("link set s").append(i).append("a up\n");
            sb.append("link set s").append(i).append("b up\n");
            if (i % 15 == 14) {
                sb.append("link set w0 down\nlink set w0 up\n");
                flaps++;
            }
        }
        for (int i = 0; i < 150; i++) {
            b.append("link del s").append(i).append("a\n");
            if (i % 15 == 14) {
                b.append("link set w0 down\nlink set w0 up\n");
                flaps++;
            }
        }
        b.append("link set w0 down\n");
        assertEquals(20, flaps);
        Files.writeString(first, a);
        Files.writeString(second, b);

        lab.exec(Duration.ofSeconds(60), ns, "ip", "-batch", first.toString()).orThrow();
        startRunner();
        lab.exec(Duration.ofSeconds(60), ns, "ip", "-batch", second.toString()).orThrow();
        lab.exec(ns, "ip", "link", "set", "w0", "up").orThrow(); // final state of the watched interface: up

        // Carrier (IFF_RUNNING) follows "link set up" asynchronously (linkwatch), so wait for the kernel to settle.
        Await.until("w0 running in the kernel", Duration.ofSeconds(10), () -> rtnl.link("w0").orElseThrow().isUp());
        Await.until(() -> "cache to equal a fresh dump; overruns " + monitor.overruns() + ", diff "
                + diff(), Duration.ofSeconds(30), this::cacheEqualsDump);
        assertTrue(monitor.overruns() > 0, "the 4 KiB buffer must overrun");
        assertTrue(logs.contains(NetlinkMonitorAgent.OVERRUN_LOG));
        assertCacheEqualsDump();
        assertTrue(monitor.state().link("w0").orElseThrow().isUp());
        Await.until("listeners to see w0 up", Duration.ofSeconds(5), () -> w0Up.get());
        assertEquals(3, monitor.state().links().size(), "lo, w0, w1 remain: " + monitor.state().links());
        assertTrue(events.stream().anyMatch(e -> e.resync() && !(e instanceof NetlinkEvent.Resynchronized)),
                "missed changes are delivered as resync events");
        assertTrue(events.stream().anyMatch(e -> e instanceof NetlinkEvent.Resynchronized),
                "consumers of routes/neighbours are told to re-dump");
    }

    private boolean cacheEqualsDump() {
        NetlinkState s = monitor.state();
        return new HashSet<>(s.links().values()).equals(new HashSet<>(rtnl.links()))
                && new HashSet<>(s.addresses().values()).equals(new HashSet<>(rtnl.addresses()))
                && new HashSet<>(s.routes().values()).equals(routesDump());
    }

    private Set<Route> routesDump() {
        Set<Route> all = new HashSet<>(rtnl.routes(2));
        all.addAll(rtnl.routes(10));
        return all;
    }

    private String diff() {
        NetlinkState s = monitor.state();
        Set<Object> cached = new HashSet<>(s.links().values());
        cached.addAll(s.addresses().values());
        cached.addAll(s.routes().values());
        Set<Object> fresh = new HashSet<>(rtnl.links());
        fresh.addAll(rtnl.addresses());
        fresh.addAll(routesDump());
        Set<Object> onlyCached = new HashSet<>(cached);
        onlyCached.removeAll(fresh);
        Set<Object> onlyFresh = new HashSet<>(fresh);
        onlyFresh.removeAll(cached);
        return "only cached " + onlyCached + ", only in kernel " + onlyFresh;
    }

    private void assertCacheEqualsDump() {
        NetlinkState s = monitor.state();
        assertEquals(new HashSet<>(rtnl.links()), new HashSet<>(s.links().values()));
        assertEquals(new HashSet<>(rtnl.addresses()), new HashSet<>(s.addresses().values()));
        if (!s.routes().isEmpty()) {
            assertEquals(routesDump(), new HashSet<>(s.routes().values()));
        }
        for (Address addr : s.addresses().values()) {
            assertTrue(s.links().containsKey(addr.ifindex()), "address on a known link: " + addr);
        }
        try {
            assertTrue(InetAddress.getByName("127.0.0.1") != null);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}

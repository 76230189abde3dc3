package io.fulcrum.netlink.rtnl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.netlink.NativeException;
import io.fulcrum.netlink.NetNs;
import io.fulcrum.testkit.KernelTest;
import io.fulcrum.testkit.NetnsLab;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** rtnetlink dumps and changes against {@code ip} in a real namespace. */
@KernelTest
class RtnetlinkKernelTest {

    private NetnsLab lab;
    private String ns;
    private Rtnetlink rtnl;

    @BeforeEach
    void setUp() throws Exception {
        lab = NetnsLab.create();
        ns = lab.ns("a");
        String peer = lab.ns("b");
        lab.veth(ns, "va", peer, "vb");
        lab.bridge(ns, "br0");
        lab.exec(ns, "ip", "link", "add", "d0", "type", "veth", "peer", "name", "d0p").orThrow();
        lab.exec(ns, "ip", "link", "set", "d0", "mtu", "1400", "master", "br0").orThrow();
        lab.exec(ns, "ip", "link", "add", "d1", "type", "veth", "peer", "name", "d1p").orThrow(); // stay down
        lab.exec(ns, "ip", "link", "set", "d0p", "up").orThrow();
        lab.exec(ns, "ip", "link", "set", "d0", "up").orThrow();
        lab.exec(ns, "ip", "link", "add", "vx", "type", "veth", "peer", "name", "vy").orThrow();
        lab.exec(ns, "ip", "link", "set", "vx", "up").orThrow(); // vy down: vx has NO-CARRIER
        rtnl = NetNs.callIn(ns, Rtnetlink::open);
    }

    @AfterEach
    void tearDown() {
        if (rtnl != null) {
            rtnl.close();
        }
        lab.close();
    }

    private static final Pattern IP_LINK = Pattern.compile(
            "^(\\d+): ([^:@]+)(?:@[^:]+)?: <([^>]*)> mtu (\\d+) (.*)$");

    /** Flag names as iproute2 prints them (RUNNING hidden, NO-CARRIER when up without carrier). */
    static Set<String> ipFlags(int flags) {
        Set<String> s = new TreeSet<>();
        if ((flags & 0x1) != 0 && (flags & 0x40) == 0) {
            s.add("NO-CARRIER");
        }
        String[] names = {"UP", "BROADCAST", "DEBUG", "LOOPBACK", "POINTOPOINT", "NOTRAILERS", null, "NOARP",
            "PROMISC", "ALLMULTI", "MASTER", "SLAVE", "MULTICAST", "PORTSEL", "AUTOMEDIA", "DYNAMIC", "LOWER_UP",
            "DORMANT", "ECHO"};
        for (int bit = 0; bit < names.length; bit++) {
            if (names[bit] != null && (flags & (1 << bit)) != 0) {
                s.add(names[bit]);
            }
        }
        return s;
    }

    @Test
    void linkDumpMatchesIpLink() {
        List<Link> links = rtnl.links();
        Map<Integer, String> ours = new TreeMap<>();
        Map<Integer, String> byName = new TreeMap<>();
        for (Link l : links) {
            byName.put(l.index(), l.name());
        }
        for (Link l : links) {
            ours.put(l.index(), l.name() + " flags=" + ipFlags(l.flags()) + " mtu=" + l.mtu() + " state="
                    + l.operStateName() + " mac=" + l.mac() + " master=" + (l.master() == 0 ? "-"
                    : byName.get(l.master())));
        }
        Map<Integer, String> ip = new TreeMap<>();
        for (String line : lab.exec(ns, "ip", "-o", "link", "show").orThrow().stdout().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            Matcher m = IP_LINK.matcher(line.replace("\\", " "));
            assertTrue(m.matches(), "unparsed ip output: " + line);
            String rest = m.group(5);
            Set<String> flags = new TreeSet<>(List.of(m.group(3).split(",")));
            flags.remove("M-DOWN"); // iproute2 derives it from the IFLA_LINK peer's flags, not this link's
            Matcher state = Pattern.compile(" state (\\S+)").matcher(rest);
            Matcher master = Pattern.compile(" master (\\S+)").matcher(rest);
            Matcher mac = Pattern.compile(" link/\\S+ ([0-9a-f:]+)").matcher(rest);
            ip.put(Integer.parseInt(m.group(1)), m.group(2) + " flags=" + flags + " mtu=" + m.group(4) + " state="
                    + (state.find() ? state.group(1) : "?") + " mac=" + (mac.find() ? mac.group(1) : "")
                    + " master=" + (master.find() ? master.group(1) : "-"));
        }
        assertEquals(ip, ours);
        assertEquals(9, links.size(), "lo, va, br0, d0, d0p, d1, d1p, vx, vy: " + ours);
    }

    @Test
    void addressAddDeleteRoundTrip() throws Exception {
        int va = rtnl.indexOf("va");
        InetAddress v4 = InetAddress.getByName("10.7.0.1");
        InetAddress v6 = InetAddress.getByName("fd00:7::1");
        rtnl.addAddress(va, v4, 24);
        rtnl.addAddress(va, v6, 64);
        String ipAddr = lab.exec(ns, "ip", "-o", "addr", "show", "dev", "va").orThrow().stdout();
        assertTrue(ipAddr.contains("inet 10.7.0.1/24"), ipAddr);
        assertTrue(ipAddr.contains("inet6 fd00:7::1/64"), ipAddr);
        List<Address> dump = rtnl.addresses();
        assertTrue(dump.stream().anyMatch(a -> a.ifindex() == va && a.address().equals(v4) && a.prefixLength() == 24
                && a.label().equals("va")), dump.toString());
        assertTrue(dump.stream().anyMatch(a -> a.ifindex() == va && a.address().equals(v6) && a.prefixLength() == 64),
                dump.toString());
        // Every address ip shows is in our dump and vice versa.
        String all = lab.exec(ns, "ip", "-o", "addr", "show").orThrow().stdout();
        Set<String> ipSet = new TreeSet<>();
        for (String line : all.split("\n")) {
            Matcher m = Pattern.compile("^\\d+: (\\S+)\\s+inet6? (\\S+)").matcher(line);
            if (m.find()) {
                ipSet.add(m.group(1) + " " + m.group(2));
            }
        }
        Set<String> ourSet = new TreeSet<>();
        for (Address a : dump) {
            ourSet.add(rtnl.link(a.ifindex()).orElseThrow().name() + " " + a.cidr());
        }
        assertEquals(ipSet, ourSet);

        rtnl.deleteAddress(va, v4, 24);
        rtnl.deleteAddress(va, v6, 64);
        ipAddr = lab.exec(ns, "ip", "-o", "addr", "show", "dev", "va").orThrow().stdout();
        assertFalse(ipAddr.contains("10.7.0.1"), ipAddr);
        assertFalse(ipAddr.contains("fd00:7::1"), ipAddr);
        assertFalse(rtnl.addresses().stream().anyMatch(a -> a.address().equals(v4) || a.address().equals(v6)));
    }

    @Test
    void duplicateAddressIsEexistNamingAddressAndInterface() throws Exception {
        int va = rtnl.indexOf("va");
        InetAddress v4 = InetAddress.getByName("10.7.0.1");
        rtnl.addAddress(va, v4, 24);
        NativeException e = assertThrows(NativeException.class, () -> rtnl.addAddress(va, v4, 24));
        assertEquals("EEXIST", e.errnoName());
        assertEquals("RTM_NEWADDR", e.call());
        assertTrue(e.getMessage().startsWith("RTM_NEWADDR 10.7.0.1/24 dev va failed: EEXIST (File exists)"),
                e.getMessage());
    }

    @Test
    void kernelErrorsReachTheCallerWithTheirErrnoName() throws Exception {
        int va = rtnl.indexOf("va");
        NativeException missing = assertThrows(NativeException.class,
                () -> rtnl.deleteAddress(va, InetAddress.getByName("10.99.0.1"), 24));
        assertEquals("EADDRNOTAVAIL", missing.errnoName(), missing.getMessage());
        assertTrue(missing.getMessage().contains("10.99.0.1/24 dev va"), missing.getMessage());

        NativeException noDev = assertThrows(NativeException.class,
                () -> rtnl.addAddress(9999, InetAddress.getByName("10.99.0.1"), 24));
        assertEquals("ENODEV", noDev.errnoName(), noDev.getMessage());
        assertTrue(noDev.getMessage().contains("ifindex 9999"), noDev.getMessage());

        NativeException unknownName = assertThrows(NativeException.class, () -> rtnl.indexOf("nope0"));
        assertEquals("ENODEV", unknownName.errnoName());
        assertTrue(unknownName.getMessage().contains("nope0"));

        // A gateway that is not on any connected network.
        Route unreachable = Route.unicast(InetAddress.getByName("10.50.0.0"), 16,
                InetAddress.getByName("10.60.0.1"), 0);
        NativeException route = assertThrows(NativeException.class, () -> rtnl.addRoute(unreachable));
        assertEquals("ENETUNREACH", route.errnoName(), route.getMessage());
        assertTrue(route.getMessage().contains("10.50.0.0/16 via 10.60.0.1"), route.getMessage());

        NativeException noRoute = assertThrows(NativeException.class, () -> rtnl.deleteRoute(
                Route.unicast(InetAddress.getByName("10.51.0.0"), 16, null, va)));
        assertEquals("ESRCH", noRoute.errnoName(), noRoute.getMessage());
    }

    @Test
    void routeAndNeighbourRoundTrip() throws Exception {
        int va = rtnl.indexOf("va");
        rtnl.addAddress(va, InetAddress.getByName("10.7.0.1"), 24);
        Route r = Route.unicast(InetAddress.getByName("10.50.0.0"), 16, InetAddress.getByName("10.7.0.254"), va);
        rtnl.addRoute(r);
        String ipRoute = lab.exec(ns, "ip", "route", "show").orThrow().stdout();
        assertTrue(ipRoute.contains("10.50.0.0/16 via 10.7.0.254 dev va"), ipRoute);
        assertTrue(rtnl.routes(2).stream().anyMatch(x -> x.destination() != null
                && x.destination().getHostAddress().equals("10.50.0.0") && x.dstLength() == 16
                && x.gateway() != null && x.gateway().getHostAddress().equals("10.7.0.254") && x.oif() == va
                && x.table() == 254));
        assertEquals("EEXIST", assertThrows(NativeException.class, () -> rtnl.addRoute(r)).errnoName());
        rtnl.deleteRoute(r);
        assertFalse(lab.exec(ns, "ip", "route", "show").orThrow().stdout().contains("10.50.0.0"));

        Neighbour n = new Neighbour(va, InetAddress.getByName("10.7.0.9"), "02:00:00:00:07:09",
                NdMsgFlyweight.NUD_PERMANENT);
        rtnl.replaceNeighbour(n);
        String ipNeigh = lab.exec(ns, "ip", "neigh", "show", "dev", "va").orThrow().stdout();
        assertTrue(ipNeigh.contains("10.7.0.9 lladdr 02:00:00:00:07:09 PERMANENT"), ipNeigh);
        assertTrue(rtnl.neighbours(2).contains(n), rtnl.neighbours(2).toString());
        rtnl.deleteNeighbour(n);
        assertFalse(lab.exec(ns, "ip", "neigh", "show", "dev", "va").orThrow().stdout().contains("10.7.0.9"));
    }

    @Test
    void setLinkUpAndDown() throws Exception {
        int d1 = rtnl.indexOf("d1");
        rtnl.setLinkUp(d1, true);
        assertTrue(rtnl.link(d1).orElseThrow().adminUp());
        assertTrue(lab.exec(ns, "ip", "-o", "link", "show", "d1").orThrow().stdout().contains(",UP"));
        rtnl.setLinkUp(d1, false);
        assertFalse(rtnl.link("d1").orElseThrow().adminUp());
        List<String> names = new ArrayList<>();
        rtnl.links().forEach(l -> names.add(l.name()));
        assertTrue(names.containsAll(List.of("lo", "va", "br0", "d0", "d1", "vx", "vy")), names.toString());
    }
}

package io.fulcrum.appliance.admin;

import io.fulcrum.appliance.ApplianceView.LocalAddressInfo;
import io.fulcrum.appliance.ApplianceView.RealServerInfo;
import io.fulcrum.appliance.ApplianceView.TrafficRates;
import io.fulcrum.appliance.ApplianceView.TrafficStats;
import io.fulcrum.appliance.ApplianceView.VirtualServiceInfo;
import io.fulcrum.dataplane.service.ForwardingMethod;
import io.fulcrum.dataplane.service.Protocol;
import io.fulcrum.dataplane.service.ServiceKey;
import io.fulcrum.netlink.IpText;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The text that {@code ipvsadm} 1.31 prints, column for column: {@code -L -n} (plain, {@code --stats},
 * {@code --rate}, with {@code --exact}), {@code -L -n -c} and DPVS's {@code -G} local-address table. The layouts follow
 * ipvsadm's documented output (fixed-width columns, the 33-character service column, the 28-character destination
 * column, numbers of 9 characters with K/M/G/T suffixes beyond 10^8 unless {@code --exact}); the Forward column adds
 * DPVS's {@code FullNat}. Addresses are always numeric ({@code -n}): Fulcrum never resolves names.
 *
 * <p>Stateless; any thread may call.
 */
public final class IpvsText {

    /** The IPVS version ipvsadm prints in its first line; Fulcrum reports the kernel IPVS version tools expect. */
    public static final String IPVS_VERSION = "1.2.1";

    /**
     * What to list and how.
     *
     * @param stats {@code --stats}
     * @param rate {@code --rate}
     * @param exact {@code --exact}
     * @param noSort {@code --nosort} (configuration order instead of ipvsadm's sorted order)
     */
    public record Format(boolean stats, boolean rate, boolean exact, boolean noSort) {
        /** The plain {@code -L -n} format. */
        public static final Format PLAIN = new Format(false, false, false, false);
    }

    /**
     * One connection for {@code -c}.
     *
     * @param protocol TCP or UDP
     * @param client the client address
     * @param clientPort the client port
     * @param virtualAddress the virtual address
     * @param virtualPort the virtual port
     * @param destination the real server address
     * @param destinationPort the real server port
     * @param state the state name as IPVS prints it ({@code ESTABLISHED}, {@code SYN_RECV}, {@code UDP}, ...)
     * @param expiresSeconds seconds until the entry expires
     * @param localAddress the FullNAT local address the connection uses towards the real server, or null (not FullNAT)
     * @param localPort the FullNAT local port (0 when {@code localAddress} is null)
     */
    public record ConnectionEntry(Protocol protocol, InetAddress client, int clientPort, InetAddress virtualAddress,
                                  int virtualPort, InetAddress destination, int destinationPort, String state,
                                  long expiresSeconds, InetAddress localAddress, int localPort) {

        /** A connection that is not FullNAT (no local address). */
        public ConnectionEntry(Protocol protocol, InetAddress client, int clientPort, InetAddress virtualAddress,
                               int virtualPort, InetAddress destination, int destinationPort, String state,
                               long expiresSeconds) {
            this(protocol, client, clientPort, virtualAddress, virtualPort, destination, destinationPort, state,
                    expiresSeconds, null, 0);
        }
    }

    private IpvsText() {
    }

    /** The first line of {@code ipvsadm -L}: {@code IP Virtual Server version 1.2.1 (size=4096)}. */
    public static String versionLine(int size) {
        return "IP Virtual Server version " + IPVS_VERSION + " (size=" + size + ")\n";
    }

    /** {@code ipvsadm -L -n [--stats|--rate]}: the version line, the title and every service. */
    public static String listAll(List<VirtualServiceInfo> services, int tableSize, Format format) {
        StringBuilder sb = new StringBuilder(256);
        sb.append(versionLine(tableSize));
        title(sb, format);
        for (VirtualServiceInfo s : sorted(services, format)) {
            service(sb, s, format);
        }
        return sb.toString();
    }

    /** {@code ipvsadm -L -n -t VIP:PORT}: the title and one service (no version line, as ipvsadm). */
    public static String listOne(VirtualServiceInfo service, Format format) {
        StringBuilder sb = new StringBuilder(256);
        title(sb, format);
        service(sb, service, format);
        return sb.toString();
    }

    /** Services in ipvsadm's order (address family, protocol, address, port) unless {@code --nosort}. */
    static List<VirtualServiceInfo> sorted(List<VirtualServiceInfo> services, Format format) {
        if (format.noSort()) {
            return services;
        }
        List<VirtualServiceInfo> list = new ArrayList<>(services);
        list.sort(Comparator.<VirtualServiceInfo>comparingInt(s -> familyOrder(s.address()))
                .thenComparingInt(s -> s.protocol().number())
                .thenComparing(VirtualServiceInfo::address, IpvsText::compareAddresses)
                .thenComparingInt(VirtualServiceInfo::port));
        return list;
    }

    private static List<RealServerInfo> sortedDestinations(List<RealServerInfo> servers, Format format) {
        if (format.noSort()) {
            return servers;
        }
        List<RealServerInfo> list = new ArrayList<>(servers);
        list.sort(Comparator.<RealServerInfo>comparingInt(r -> familyOrder(r.address()))
                .thenComparing(RealServerInfo::address, IpvsText::compareAddresses)
                .thenComparingInt(RealServerInfo::port));
        return list;
    }

    private static int familyOrder(InetAddress a) {
        return a instanceof Inet6Address ? 1 : 0;
    }

    /** Compares addresses as unsigned big-endian numbers (network order), IPv4 before IPv6. */
    static int compareAddresses(InetAddress a, InetAddress b) {
        byte[] x = a.getAddress();
        byte[] y = b.getAddress();
        if (x.length != y.length) {
            return Integer.compare(x.length, y.length);
        }
        return Arrays.compareUnsigned(x, y);
    }

    private static void title(StringBuilder sb, Format format) {
        if (format.stats()) {
            sb.append(String.format(Locale.ROOT, "%-33s %8s %8s %8s %8s %8s\n  -> RemoteAddress:Port\n",
                    "Prot LocalAddress:Port", "Conns", "InPkts", "OutPkts", "InBytes", "OutBytes"));
        } else if (format.rate()) {
            sb.append(String.format(Locale.ROOT, "%-33s %8s %8s %8s %8s %8s\n  -> RemoteAddress:Port\n",
                    "Prot LocalAddress:Port", "CPS", "InPPS", "OutPPS", "InBPS", "OutBPS"));
        } else {
            sb.append("Prot LocalAddress:Port Scheduler Flags\n");
            sb.append("  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n");
        }
    }

    /** The service column: {@code TCP  10.0.0.100:80}, cut at 33 characters for IPv4 as ipvsadm does. */
    static String serviceName(Protocol protocol, InetAddress address, int port) {
        String name = String.format(Locale.ROOT, "%-4s %s", protocol.name(), addressPort(address, port));
        if (!(address instanceof Inet6Address) && name.length() > 33) {
            name = name.substring(0, 33);
        }
        return name;
    }

    /** {@code 10.0.0.1:80} or {@code [2001:db8::1]:80}. */
    public static String addressPort(InetAddress address, int port) {
        String a = IpText.format(address);
        return address instanceof Inet6Address ? "[" + a + "]:" + port : a + ":" + port;
    }

    /** The Forward column: Masq, Route, Tunnel or FullNat. */
    public static String forwardName(ForwardingMethod method) {
        return switch (method) {
            case NAT -> "Masq";
            case DR -> "Route";
            case TUN -> "Tunnel";
            case FNAT -> "FullNat";
        };
    }

    private static void service(StringBuilder sb, VirtualServiceInfo s, Format format) {
        String svc = serviceName(s.protocol(), s.address(), s.port());
        if (format.stats()) {
            sb.append(String.format(Locale.ROOT, "%-33s", svc));
            stats(sb, s.stats(), format);
        } else if (format.rate()) {
            sb.append(String.format(Locale.ROOT, "%-33s", svc));
            TrafficRates r = s.rates();
            largeNumber(sb, r.connectionsPerSecond(), format.exact());
            largeNumber(sb, r.packetsInPerSecond(), format.exact());
            largeNumber(sb, r.packetsOutPerSecond(), format.exact());
            largeNumber(sb, r.bytesInPerSecond(), format.exact());
            largeNumber(sb, r.bytesOutPerSecond(), format.exact());
        } else {
            sb.append(svc).append(' ').append(s.scheduler().keyword());
            if (s.persistenceTimeoutSeconds() > 0) {
                sb.append(" persistent ").append(Integer.toUnsignedString(s.persistenceTimeoutSeconds()));
            }
        }
        sb.append('\n');
        boolean v6 = s.address() instanceof Inet6Address;
        for (RealServerInfo r : sortedDestinations(s.realServers(), format)) {
            String dname = addressPort(r.address(), r.port());
            if (!v6 && dname.length() > 28) {
                dname = dname.substring(0, 28);
            }
            if (format.stats()) {
                sb.append(String.format(Locale.ROOT, "  -> %-28s", dname));
                stats(sb, r.stats(), format);
                sb.append('\n');
            } else if (format.rate()) {
                TrafficRates rt = r.rates();
                sb.append(String.format(Locale.ROOT, "  -> %-28s %8d %8d %8d", dname,
                        rt.connectionsPerSecond(), rt.packetsInPerSecond(), rt.packetsOutPerSecond()));
                largeNumber(sb, rt.bytesInPerSecond(), format.exact());
                largeNumber(sb, rt.bytesOutPerSecond(), format.exact());
                sb.append('\n');
            } else {
                sb.append(String.format(Locale.ROOT, "  -> %-28s %-7s %-6d %-10d %-10d\n", dname,
                        forwardName(r.forwardMethod()), r.weight(), r.activeConnections(),
                        r.inactiveConnections()));
            }
        }
    }

    private static void stats(StringBuilder sb, TrafficStats st, Format format) {
        largeNumber(sb, st.connections(), format.exact());
        largeNumber(sb, st.packetsIn(), format.exact());
        largeNumber(sb, st.packetsOut(), format.exact());
        largeNumber(sb, st.bytesIn(), format.exact());
        largeNumber(sb, st.bytesOut(), format.exact());
    }

    /**
     * One number of {@code --stats}/{@code --rate}: 9 characters, shortened with K (10^3), M (10^6), G (10^9) or
     * T (10^12) from 10^8 on; with {@code --exact} the full number, right-aligned in at least 9 characters with one
     * leading space.
     */
    static void largeNumber(StringBuilder sb, long value, boolean exact) {
        String digits = Long.toUnsignedString(value);
        if (exact) {
            int width = digits.length() <= 8 ? 9 : digits.length() + 1;
            pad(sb, width - digits.length()).append(digits);
            return;
        }
        if (Long.compareUnsigned(value, 100_000_000L) < 0) {
            pad(sb, 9 - digits.length()).append(digits);
        } else if (Long.compareUnsigned(value, 1_000_000_000L) < 0) {
            suffixed(sb, Long.divideUnsigned(value, 1_000L), 'K');
        } else if (Long.compareUnsigned(value, 100_000_000_000L) < 0) {
            suffixed(sb, Long.divideUnsigned(value, 1_000_000L), 'M');
        } else if (Long.compareUnsigned(value, 100_000_000_000_000L) < 0) {
            suffixed(sb, Long.divideUnsigned(value, 1_000_000_000L), 'G');
        } else {
            suffixed(sb, Long.divideUnsigned(value, 1_000_000_000_000L), 'T');
        }
    }

    private static void suffixed(StringBuilder sb, long scaled, char unit) {
        String d = Long.toUnsignedString(scaled);
        pad(sb, 8 - d.length()).append(d).append(unit);
    }

    private static StringBuilder pad(StringBuilder sb, int n) {
        for (int i = 0; i < n; i++) {
            sb.append(' ');
        }
        return sb;
    }

    /**
     * {@code ipvsadm -L -n -c}: {@code IPVS connection entries}, the title and one line per connection. When a FullNAT
     * connection is listed, a {@code local} column (its local address and port, as DPVS's {@code ipvsadm -lnc} shows
     * them; the client's for other methods, as DPVS does) comes between {@code virtual} and {@code destination}.
     */
    public static String connections(List<ConnectionEntry> entries) {
        boolean local = false;
        for (ConnectionEntry c : entries) {
            local |= c.localAddress() != null;
        }
        StringBuilder sb = new StringBuilder(128 + entries.size() * 100);
        sb.append("IPVS connection entries\n");
        if (local) {
            sb.append(String.format(Locale.ROOT, "pro expire %-11s %-18s %-18s %-18s %s\n",
                    "state", "source", "virtual", "local", "destination"));
        } else {
            sb.append(String.format(Locale.ROOT, "pro expire %-11s %-18s %-18s %s\n",
                    "state", "source", "virtual", "destination"));
        }
        for (ConnectionEntry c : entries) {
            long expires = Math.max(0, c.expiresSeconds());
            String expire = String.format(Locale.ROOT, "%02d:%02d", expires / 60, expires % 60);
            String source = addressPort(c.client(), c.clientPort());
            String virtual = addressPort(c.virtualAddress(), c.virtualPort());
            String destination = addressPort(c.destination(), c.destinationPort());
            if (local) {
                String l = c.localAddress() == null ? source : addressPort(c.localAddress(), c.localPort());
                sb.append(String.format(Locale.ROOT, "%-3s %-6s %-11s %-18s %-18s %-18s %s\n",
                        c.protocol().name(), expire, c.state(), source, virtual, l, destination));
            } else {
                sb.append(String.format(Locale.ROOT, "%-3s %-6s %-11s %-18s %-18s %s\n",
                        c.protocol().name(), expire, c.state(), source, virtual, destination));
            }
        }
        return sb.toString();
    }

    /**
     * DPVS's {@code ipvsadm -G}: the {@code VIP:VPORT TOTAL SNAT_IP CONFLICTS CONNS} title, then per FullNAT service
     * a line with its address and the number of local addresses, then one line per local address with its
     * connections. Fulcrum allocates local ports without conflicts, so CONFLICTS is always 0. As DPVS, the title is
     * printed with the first service only, so no service prints nothing.
     *
     * @param services the services to show, in the order to show them
     * @param addresses every local address (those of other services are ignored)
     */
    public static String localAddresses(List<ServiceKey> services, List<LocalAddressInfo> addresses) {
        StringBuilder sb = new StringBuilder(256);
        if (!services.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "%-20s %-8s %-20s %-10s %-10s\n",
                    "VIP:VPORT", "TOTAL", "SNAT_IP", "CONFLICTS", "CONNS"));
        }
        for (ServiceKey key : services) {
            List<LocalAddressInfo> mine = new ArrayList<>();
            for (LocalAddressInfo l : addresses) {
                if (l.service().equals(key)) {
                    mine.add(l);
                }
            }
            sb.append(String.format(Locale.ROOT, "%-20s %-8d \n", addressPort(key.address(), key.port()),
                    mine.size()));
            for (LocalAddressInfo l : mine) {
                sb.append(String.format(Locale.ROOT, "%-20s %-8s %-20s %-10d %-10d\n", "", "",
                        IpText.format(l.address()), 0, l.connections()));
            }
        }
        return sb.toString();
    }
}

package io.fulcrum.appliance.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fulcrum.appliance.admin.IpvsText.ConnectionEntry;
import io.fulcrum.dataplane.service.Protocol;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Golden tests of ipvsadm's layouts: the expected text is written out line by line (trailing blanks included, as
 * ipvsadm's {@code %-10u} leaves them) from ipvsadm 1.31's printf formats, and the output is rendered from the
 * {@link FakeAppliance#golden()} view through the same {@link ControlService} the control socket uses.
 */
class IpvsGoldenTest {

    private static String lines(String... lines) {
        return String.join("\n", lines) + "\n";
    }

    private static String run(FakeAppliance f, String... args) {
        AdminCommandLine.Parsed p = AdminCommandLine.parse(args);
        assertEquals(0, p.exit(), p.err());
        AdminResponse r = new ControlService(f, f, hooks()).execute(p.request());
        assertEquals("", r.err());
        assertEquals(0, r.exit());
        return r.out();
    }

    private static DaemonHooks hooks() {
        return new DaemonHooks() {
            @Override
            public List<ConnectionEntry> connections() {
                return List.of(
                        new ConnectionEntry(Protocol.TCP, FakeAppliance.ip("10.1.0.9"), 41234,
                                FakeAppliance.ip("10.0.0.100"), 80, FakeAppliance.ip("10.0.0.2"), 8080,
                                "ESTABLISHED", 899),
                        new ConnectionEntry(Protocol.UDP, FakeAppliance.ip("2001:db8::9"), 5353,
                                FakeAppliance.ip("2001:db8::100"), 53, FakeAppliance.ip("2001:db8::2"), 53,
                                "UDP", 245));
            }
        };
    }

    @Test
    void listNumericSortedLikeIpvsadm() {
        String expected = lines(
                "IP Virtual Server version 1.2.1 (size=4096)",
                "Prot LocalAddress:Port Scheduler Flags",
                "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn",
                "TCP  10.0.0.100:80 rr",
                "  -> 10.0.0.2:8080                Masq    1      3          0         ",
                "  -> 10.0.0.3:8080                Masq    2      0          0         ",
                "TCP  192.168.10.10:443 wrr",
                "  -> 172.16.0.1:443               FullNat 100    12345      7         ",
                "UDP  10.0.0.100:53 wlc persistent 300",
                "  -> 10.0.0.5:53                  Route   0      0          0         ",
                "TCP  [2001:db8::100]:80 sh",
                "  -> [2001:db8::2]:80             Tunnel  1      0          0         ");
        assertEquals(expected, run(FakeAppliance.golden(), "-L", "-n"));
        assertEquals(expected, run(FakeAppliance.golden(), "-Ln"));
        assertEquals(expected, run(FakeAppliance.golden(), "--list", "--numeric", "--sort"));
        assertEquals(expected, run(FakeAppliance.golden()));
    }

    @Test
    void noSortKeepsConfigurationOrder() {
        String out = run(FakeAppliance.golden(), "-L", "-n", "--nosort");
        List<String> services = out.lines().filter(l -> l.startsWith("TCP") || l.startsWith("UDP")).toList();
        assertEquals(List.of("TCP  192.168.10.10:443 wrr", "TCP  [2001:db8::100]:80 sh",
                "UDP  10.0.0.100:53 wlc persistent 300", "TCP  10.0.0.100:80 rr"), services);
        assertEquals(true, out.indexOf("10.0.0.3:8080") < out.indexOf("10.0.0.2:8080"), out);
    }

    @Test
    void oneServiceHasNoVersionLine() {
        assertEquals(lines(
                "Prot LocalAddress:Port Scheduler Flags",
                "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn",
                "UDP  10.0.0.100:53 wlc persistent 300",
                "  -> 10.0.0.5:53                  Route   0      0          0         "),
                run(FakeAppliance.golden(), "-L", "-n", "-u", "10.0.0.100:53"));
    }

    private static FakeAppliance webOnly() {
        FakeAppliance f = FakeAppliance.golden();
        f.services.keySet().removeIf(k -> k.port() != 80 || k.address().getAddress().length != 4);
        return f;
    }

    @Test
    void stats() {
        assertEquals(lines(
                "IP Virtual Server version 1.2.1 (size=4096)",
                "Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes",
                "  -> RemoteAddress:Port",
                "TCP  10.0.0.100:80                      15     1500     1400 99999999     123G",
                "  -> 10.0.0.2:8080                      10     1000      900 99999999  100000K",
                "  -> 10.0.0.3:8080                       5      500      500        0   23456M"),
                run(webOnly(), "-L", "-n", "--stats"));
    }

    @Test
    void statsExact() {
        String out = run(webOnly(), "-L", "-n", "--stats", "--exact");
        assertEquals(List.of(
                "TCP  10.0.0.100:80                      15     1500     1400 99999999 123456789012",
                "  -> 10.0.0.2:8080                      10     1000      900 99999999 100000000"),
                out.lines().skip(3).limit(2).toList());
    }

    @Test
    void rate() {
        assertEquals(lines(
                "IP Virtual Server version 1.2.1 (size=4096)",
                "Prot LocalAddress:Port                 CPS    InPPS   OutPPS    InBPS   OutBPS",
                "  -> RemoteAddress:Port",
                "TCP  10.0.0.100:80                      12      340      330    2500M   125000",
                "  -> 10.0.0.2:8080                       7      200      190    1200M    64000",
                "  -> 10.0.0.3:8080                       0        0        0        0        0"),
                run(webOnly(), "-L", "-n", "--rate"));
    }

    @Test
    void connections() {
        assertEquals(lines(
                "IPVS connection entries",
                "pro expire state       source             virtual            destination",
                "TCP 14:59  ESTABLISHED 10.1.0.9:41234     10.0.0.100:80      10.0.0.2:8080",
                "UDP 04:05  UDP         [2001:db8::9]:5353 [2001:db8::100]:53 [2001:db8::2]:53"),
                run(FakeAppliance.golden(), "-L", "-n", "-c"));
        assertEquals(run(FakeAppliance.golden(), "-Lnc"), run(FakeAppliance.golden(), "-L", "-n", "-c"));
    }

    @Test
    void localAddressesAsDpvs() {
        String expected = lines(
                "VIP:VPORT            TOTAL    SNAT_IP              CONFLICTS  CONNS     ",
                "192.168.10.10:443    2        ",
                "                              10.0.1.1             0          7         ",
                "                              10.0.1.2             0          0         ");
        assertEquals(expected, run(FakeAppliance.golden(), "-G"));
        assertEquals(expected, run(FakeAppliance.golden(), "-G", "-t", "192.168.10.10:443"));
        assertEquals(expected, run(FakeAppliance.golden(), "--get-laddr", "-n"));
    }

    @Test
    void largeNumbersFollowIpvsadmThresholds() {
        long[] values = {0, 99_999_999L, 100_000_000L, 999_999_999L, 1_000_000_000L, 99_999_999_999L,
            100_000_000_000L, 99_999_999_999_999L, 100_000_000_000_000L};
        String[] expected = {"        0", " 99999999", "  100000K", "  999999K", "    1000M", "   99999M",
            "     100G", "   99999G", "     100T"};
        for (int i = 0; i < values.length; i++) {
            StringBuilder sb = new StringBuilder();
            IpvsText.largeNumber(sb, values[i], false);
            assertEquals(expected[i], sb.toString(), "value " + values[i]);
        }
    }

    @Test
    void longIpv4NamesAreCutAsIpvsadmCutsThem() {
        // 33 columns for the service, 28 for a destination (IPv4 only).
        assertEquals("TCP  255.255.255.255:65535", IpvsText.serviceName(Protocol.TCP,
                FakeAppliance.ip("255.255.255.255"), 65535));
        assertEquals("TCP  [2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff]:65535", IpvsText.serviceName(Protocol.TCP,
                FakeAppliance.ip("2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff"), 65535));
    }
}

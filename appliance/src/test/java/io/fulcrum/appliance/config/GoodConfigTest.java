package io.fulcrum.appliance.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Configurations in the styles operators write, each loaded and its model asserted. */
class GoodConfigTest {

    static Path resource(String name) {
        try {
            return Path.of(GoodConfigTest.class.getResource("/configs/good/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static KeepalivedConfig load(String name) {
        return load(name, "testhost");
    }

    static KeepalivedConfig load(String name, String id) {
        LoadResult r = ConfigLoader.load(resource(name), id);
        assertTrue(r.ok(), () -> name + " has errors: " + r.errors());
        return r.config();
    }

    static String ip(java.net.InetAddress a) {
        return IpLiteral.format(a);
    }

    static List<String> rsAddresses(VirtualServer v) {
        return v.realServers().stream().map(r -> ip(r.address()) + ":" + r.port()).toList();
    }

    @Test
    void drPairSharesOneFileThroughConditionals() {
        KeepalivedConfig lb1 = load("01-dr-pair-conditionals.conf", "lb1");
        KeepalivedConfig lb2 = load("01-dr-pair-conditionals.conf", "lb2");
        assertEquals("LB1", lb1.globalDefs().routerId());
        assertEquals("LB2", lb2.globalDefs().routerId());
        VrrpInstance a = lb1.vrrpInstance("VI_WEB").orElseThrow();
        VrrpInstance b = lb2.vrrpInstance("VI_WEB").orElseThrow();
        assertEquals("MASTER", a.state());
        assertEquals(150, a.priority());
        assertEquals("BACKUP", b.state());
        assertEquals(100, b.priority());
        assertEquals("192.168.10.11", ip(a.unicastSrcIp()));
        assertEquals(List.of("192.168.10.12"), a.unicastPeer().stream().map(GoodConfigTest::ip).toList());
        assertEquals(List.of("192.168.10.11"), b.unicastPeer().stream().map(GoodConfigTest::ip).toList());
        assertEquals(Duration.ofSeconds(1), lb1.globalDefs().vrrpGarpMasterDelay());
        VrrpInstance.VirtualIp vip = a.virtualIpaddress().getFirst();
        assertEquals("192.168.10.100", ip(vip.address()));
        assertEquals(24, vip.prefixLength());
        assertEquals("eth0:vip", vip.label());
        VirtualServer vs = lb1.virtualServers().getFirst();
        assertEquals("DR", vs.lbKind());
        assertEquals("wrr", vs.lbAlgo());
        assertEquals(Duration.ofSeconds(6), vs.delayLoop());
        assertEquals(List.of("192.168.10.21:80", "192.168.10.22:80"), rsAddresses(vs));
        assertEquals(3, vs.realServers().get(0).weight());
        Checker.TcpCheck tcp = assertInstanceOf(Checker.TcpCheck.class, vs.realServers().get(0).checkers().getFirst());
        assertEquals(Duration.ofSeconds(2), tcp.common().connectTimeout());
        // neither id: no router_id, and no priority override
        KeepalivedConfig other = load("01-dr-pair-conditionals.conf", "other");
        assertNull(other.globalDefs().routerId());
        assertEquals(2, other.vrrpInstances().getFirst().unicastPeer().size());
    }

    @Test
    void macroStampedRealServers() {
        VirtualServer vs = load("02-macro-real-servers.conf").virtualServers().getFirst();
        assertEquals(List.of("10.1.0.1:8080", "10.1.0.2:8080", "10.1.0.3:8080"), rsAddresses(vs));
        assertEquals(List.of(5, 5, 1), vs.realServers().stream().map(RealServer::weight).toList());
        Checker.HttpCheck http = assertInstanceOf(Checker.HttpCheck.class, vs.realServers().get(2).checkers().getFirst());
        assertEquals("/health", http.urls().getFirst().path());
        assertEquals(List.of(new Checker.StatusRange(200, 200)), http.urls().getFirst().statusCode());
        assertEquals(Duration.ofSeconds(3), http.common().connectTimeout());
    }

    @Test
    void seqGeneratesRealServers() {
        VirtualServer vs = load("03-seq-real-servers.conf").virtualServers().getFirst();
        assertEquals(10, vs.realServers().size());
        assertEquals("172.16.0.1:443", rsAddresses(vs).getFirst());
        assertEquals("172.16.0.19:443", rsAddresses(vs).getLast());
        assertEquals(300, vs.persistenceTimeout());
        assertEquals(443, ((Checker.TcpCheck) vs.realServers().get(4).checkers().getFirst()).common().connectPort());
    }

    @Test
    void includesWithGlobsRelativeToTheIncludingFile() {
        KeepalivedConfig c = load("04-includes-glob.conf");
        assertEquals("INC", c.globalDefs().routerId());
        // glob results are sorted: 10-dns before 20-web
        assertEquals(List.of(53, 80), c.virtualServers().stream().map(VirtualServer::port).toList());
        assertEquals("UDP", c.virtualServers().getFirst().protocol());
        assertEquals("eth1", c.vrrpInstance("VI_INC").orElseThrow().interfaceName());
        // include inside an included file is relative to that file's directory
        assertEquals("/usr/bin/pgrep nginx", c.vrrpScript("chk_nginx").orElseThrow().script());
        assertTrue(c.virtualServers().getFirst().origin().file().endsWith("10-dns.conf"));
        assertEquals(1, c.virtualServers().getFirst().origin().line());
    }

    @Test
    void dpvsFullNat() {
        KeepalivedConfig c = load("05-fullnat-dpvs.conf");
        AddressGroup g = c.localAddressGroup("laddr_g1").orElseThrow();
        assertEquals(2, g.ranges().size());
        assertEquals("dpdk0", g.ranges().get(0).ifname());
        assertEquals("192.168.100.201", ip(g.ranges().get(1).first()));
        assertEquals("192.168.100.205", ip(g.ranges().get(1).last()));
        assertEquals(6, g.size());
        VirtualServer vs = c.virtualServers().getFirst();
        assertEquals("FNAT", vs.lbKind());
        assertEquals("laddr_g1", vs.laddrGroupName());
        assertTrue(vs.synProxy());
        assertTrue(vs.toa());
        assertEquals(Duration.ofSeconds(3), vs.delayLoop());
        RealServer rs = vs.realServers().getFirst();
        assertEquals(100, rs.weight());
        assertTrue(rs.inhibitOnFailure());
        Checker.TcpCheck t = (Checker.TcpCheck) rs.checkers().getFirst();
        assertEquals(2, t.common().retry());
        assertEquals(Duration.ofSeconds(2), t.common().delayBeforeRetry());
        assertEquals(3, ((Checker.TcpCheck) vs.realServers().get(1).checkers().getFirst()).common().retry());
        assertEquals(123, c.vrrpInstances().getFirst().virtualRouterId());
    }

    @Test
    void dpvsDenyAllowGroupsAndIpv6FullNat() {
        LoadResult r = ConfigLoader.load(resource("06-fullnat-deny-allow.conf"), "x");
        assertEquals(List.of(), r.diagnostics(), "FullNAT may mix families (NAT64) without a warning");
        KeepalivedConfig c = r.config();
        AddressGroup l = c.localAddressGroup("laddr_v6").orElseThrow();
        assertEquals("2001:db8:ff::10", ip(l.ranges().getFirst().first()));
        assertEquals("2001:db8:ff::1f", ip(l.ranges().getFirst().last()));
        assertEquals(20, l.size());
        AddressGroup deny = c.denyAddressGroups().getFirst();
        assertEquals("203.0.113.0", ip(deny.ranges().getFirst().first()));
        assertEquals("203.0.113.255", ip(deny.ranges().getFirst().last()));
        assertEquals(257, deny.size());
        assertEquals(50, c.allowAddressGroups().getFirst().size());
        VirtualServer vs = c.virtualServers().getFirst();
        assertEquals(Family.INET6, vs.ipFamily());
        assertEquals("blacklist", vs.daddrGroupName());
        assertEquals("whitelist", vs.waddrGroupName());
        assertEquals("mh", vs.lbAlgo());
        assertEquals(List.of("2001:db8:1::1:443", "10.9.0.1:443"), rsAddresses(vs));
    }

    @Test
    void httpGetWithUrlsDigestAndStatusRanges() {
        RealServer rs = load("07-http-get.conf").virtualServers().getFirst().realServers().getFirst();
        assertEquals(8080, rs.port());
        Checker.HttpCheck h = (Checker.HttpCheck) rs.checkers().getFirst();
        assertEquals("HTTP_GET", h.type());
        assertEquals(2, h.urls().size());
        assertEquals("9b3a0c85a887a256d6939da88aabd8cd", h.urls().get(0).digest());
        assertEquals("/status?full=1", h.urls().get(1).path());
        assertEquals(List.of(new Checker.StatusRange(200, 299), new Checker.StatusRange(301, 301)),
                h.urls().get(1).statusCode());
        assertEquals("www.example.com", h.urls().get(1).virtualhost());
        assertEquals(8080, h.common().connectPort());
        assertEquals(3, h.common().retry());
        assertEquals("1.1", h.httpProtocol());
    }

    @Test
    void httpRegexAlphaLevelsAndRealServerTimers() {
        KeepalivedConfig c = load("35-http-regex-alpha.conf");
        VirtualServer vs = c.virtualServers().getFirst();
        assertTrue(vs.alpha());
        RealServer a = vs.realServers().get(0);
        assertEquals(Boolean.FALSE, a.checkerDefaults().alpha());
        assertEquals(Duration.ofSeconds(6), a.checkerDefaults().delayLoop());
        assertEquals(2, a.checkerDefaults().retry());
        assertEquals("rs.example.com", a.virtualhost());
        Checker.HttpCheck h = (Checker.HttpCheck) a.checkers().get(0);
        assertTrue(h.fastRecovery());
        Checker.Url health = h.urls().get(0);
        // the quoted pattern's \\s became \s (keepalived's escape processing)
        assertEquals("status: (OK|GOOD)\\s*$", health.regex());
        assertEquals(List.of("caseless", "multiline"), health.regexOptions());
        assertEquals(0L, health.regexMinOffset());
        assertEquals(4096L, health.regexMaxOffset());
        assertEquals(List.of(32768L, 65536L), health.regexStack());
        assertFalse(health.regexNoMatch());
        assertTrue(h.urls().get(1).regexNoMatch());
        assertEquals(Boolean.TRUE, ((Checker.TcpCheck) a.checkers().get(1)).common().alpha());
        RealServer b = vs.realServers().get(1);
        assertNull(b.checkerDefaults().alpha());
        // unquoted, the escapes still apply: \\d is \d
        assertEquals("\\d+", ((Checker.HttpCheck) b.checkers().get(0)).urls().get(0).regex());
        Checker.FileCheck f = (Checker.FileCheck) b.checkers().get(1);
        assertEquals("rs_drain", f.trackFile());
        assertNull(f.weight());
        TrackFile tf = c.trackFiles().getFirst();
        assertEquals(0, tf.weight());
        assertEquals(0L, tf.initFile());
        // -t -d: the JSON keys are keepalived's keywords
        @SuppressWarnings("unchecked")
        Map<String, Object> rs0 = ((List<Map<String, Object>>) ((List<Map<String, Object>>) ConfigJson.of(c)
                .get("virtual_server")).getFirst().get("real_server")).getFirst();
        assertEquals(false, rs0.get("alpha"));
        assertEquals("rs.example.com", rs0.get("virtualhost"));
        @SuppressWarnings("unchecked")
        Map<String, Object> http0 = ((List<Map<String, Object>>) rs0.get("checkers")).getFirst();
        assertEquals(true, http0.get("fast_recovery"));
        @SuppressWarnings("unchecked")
        Map<String, Object> url0 = ((List<Map<String, Object>>) http0.get("url")).getFirst();
        assertEquals(List.of("caseless", "multiline"), url0.get("regex_options"));
        assertEquals(4096L, url0.get("regex_max_offset"));
        assertEquals(List.of(32768L, 65536L), url0.get("regex_stack"));
    }

    @Test
    void sslGet() {
        RealServer rs = load("08-ssl-get.conf").virtualServers().getFirst().realServers().getFirst();
        assertEquals(1, rs.weight());
        Checker.HttpCheck h = (Checker.HttpCheck) rs.checkers().getFirst();
        assertEquals("SSL_GET", h.type());
        assertTrue(h.enableSni());
        assertEquals("secure.example.com", h.virtualhost());
        assertEquals(Duration.ofSeconds(4), h.common().connectTimeout());
    }

    @Test
    void miscCheckWithQuotedArguments() {
        Checker.MiscCheck m = (Checker.MiscCheck) load("09-misc-check.conf").virtualServers().getFirst()
                .realServers().getFirst().checkers().getFirst();
        assertEquals("/usr/local/bin/check_mysql -H 10.0.1.22 -u 'monitor user'", m.miscPath());
        assertEquals(Duration.ofSeconds(5), m.miscTimeout());
        assertTrue(m.miscDynamic());
        assertEquals("nobody", m.user());
        assertEquals("nogroup", m.group());
        assertEquals(Duration.ofSeconds(3), m.common().warmup());
    }

    @Test
    void udpCheck() {
        VirtualServer vs = load("10-udp-check.conf").virtualServers().getFirst();
        assertEquals("UDP", vs.protocol());
        Checker.UdpCheck u = (Checker.UdpCheck) vs.realServers().getFirst().checkers().getFirst();
        assertEquals("4f5054494f4e53", u.payload());
        assertTrue(u.requireReply());
        assertEquals("5349502f", u.requireReplyPayload());
        assertEquals(4, u.minReplyLength());
        assertEquals(1400, u.maxReplyLength());
    }

    @Test
    void dnsCheckWithDefaults() {
        VirtualServer vs = load("11-dns-check.conf").virtualServers().getFirst();
        Checker.DnsCheck d1 = (Checker.DnsCheck) vs.realServers().get(0).checkers().getFirst();
        Checker.DnsCheck d2 = (Checker.DnsCheck) vs.realServers().get(1).checkers().getFirst();
        assertEquals("A", d1.queryType());
        assertEquals("www.example.com", d1.name());
        assertEquals(2, d1.common().retry());
        assertEquals("SOA", d2.queryType());
        assertEquals(".", d2.name());
    }

    @Test
    void pingCheckIpv6() {
        VirtualServer vs = load("12-ping-check-ipv6.conf").virtualServers().getFirst();
        assertEquals(Family.INET6, vs.ipFamily());
        assertEquals("2001:db8::1", ip(vs.address()));
        assertEquals(List.of("2001:db8:0:1::10:80", "2001:db8:0:1::11:80"), rsAddresses(vs));
        Checker.PingCheck p = (Checker.PingCheck) vs.realServers().getFirst().checkers().getFirst();
        assertEquals(Duration.ofSeconds(2), p.common().delayLoop());
        assertEquals("[2001:db8::1]:tcp:80", vs.label());
    }

    @Test
    void smtpCheckWithHosts() {
        Checker.SmtpCheck s = (Checker.SmtpCheck) load("13-smtp-check.conf").virtualServers().getFirst()
                .realServers().getFirst().checkers().getFirst();
        assertEquals("lb.example.com", s.heloName());
        assertEquals(Duration.ofSeconds(10), s.common().connectTimeout());
        assertEquals(2, s.hosts().size());
        assertEquals("10.0.2.25", ip(s.hosts().get(1).connectIp()));
        assertEquals(2525, s.hosts().get(1).connectPort());
        assertEquals("10.0.0.1", ip(s.hosts().get(1).bindto()));
    }

    @Test
    void fileCheckAndTrackFile() {
        KeepalivedConfig c = load("14-file-check.conf");
        TrackFile t = c.trackFiles().getFirst();
        assertEquals("/run/fulcrum/rs1.weight", t.file());
        assertEquals(2, t.weight());
        assertEquals(5L, t.initFile());
        assertTrue(t.overwrite());
        Checker.FileCheck f = (Checker.FileCheck) c.virtualServers().getFirst().realServers().getFirst().checkers().getFirst();
        assertEquals("rs_weight", f.trackFile());
        assertEquals(-3, f.weight());
        assertTrue(f.reverse());
    }

    @Test
    void bfdCheckBesideTcpCheck() {
        List<Checker> cs = load("15-bfd-check.conf").virtualServers().getFirst().realServers().getFirst().checkers();
        assertEquals(List.of("BFD_CHECK", "TCP_CHECK"), cs.stream().map(Checker::type).toList());
        Checker.BfdCheck b = (Checker.BfdCheck) cs.get(0);
        assertEquals("bfd_rs27", b.name());
        assertEquals(20, b.weight());
        Checker.TcpCheck t = (Checker.TcpCheck) cs.get(1);
        assertEquals("10.0.1.27", ip(t.common().connectIp()));
        assertEquals(8080, t.common().connectPort());
        assertEquals(40000, t.common().bindPort());
    }

    @Test
    void ipv6InstanceIsVrrpV3AndMayShareVridWithIpv4() {
        KeepalivedConfig c = load("16-ipv6-vrrp.conf");
        VrrpInstance v6 = c.vrrpInstance("VI6").orElseThrow();
        assertEquals(Family.INET6, v6.family());
        assertEquals(3, v6.version());
        assertEquals(Duration.ofMillis(250), v6.advertInt());
        assertEquals(List.of("2001:db8:10::100", "fe80::100"),
                v6.virtualIpaddress().stream().map(v -> ip(v.address())).toList());
        assertNull(v6.virtualIpaddress().get(1).scope(), "keepalived ignores scope on IPv6 addresses");
        assertEquals(64, v6.virtualIpaddress().get(0).prefixLength());
        assertEquals(2, v6.virtualIpaddressExcluded().size());
        assertEquals("2001:db8:10::2", ip(v6.unicastPeer().getFirst()));
        VrrpInstance v4 = c.vrrpInstance("VI4").orElseThrow();
        assertEquals(Family.INET, v4.family());
        assertEquals(60, v4.virtualRouterId());
        assertEquals(2, v4.version());
        assertEquals("BACKUP", v4.state());
        assertEquals(100, v4.priority());
    }

    @Test
    void virtualServerGroupWithRangesAndFwmark() {
        KeepalivedConfig c = load("17-virtual-server-group.conf");
        VirtualServerGroup g = c.virtualServerGroups().getFirst();
        assertEquals(4, g.entries().size());
        assertEquals("10.0.0.35", ip(g.entries().get(1).lastAddress()));
        assertEquals(80, g.entries().get(2).port());
        assertEquals(7, g.entries().get(3).fwmark());
        VirtualServer vs = c.virtualServers().getFirst();
        assertEquals("web_vips", vs.group());
        assertNull(vs.address());
    }

    @Test
    void fwmarkService() {
        VirtualServer vs = load("18-fwmark.conf").virtualServers().getFirst();
        assertEquals(5, vs.fwmark());
        assertEquals(600, vs.persistenceTimeout());
        assertEquals(List.of("10.0.1.40:0", "10.0.1.41:0"), rsAddresses(vs));
        assertEquals(0, vs.realServers().get(1).weight());
        assertEquals("FWM 5", vs.label());
    }

    @Test
    void syncGroupAndNotifyScripts() {
        KeepalivedConfig c = load("19-sync-group.conf");
        VrrpSyncGroup g = c.vrrpSyncGroups().getFirst();
        assertEquals(List.of("VI_EXT", "VI_INT"), g.group());
        assertEquals("/etc/fulcrum/notify.sh master", g.notifyScripts().get("notify_master"));
        assertEquals("/etc/fulcrum/notify.sh fault", g.notifyScripts().get("notify_fault"));
        assertTrue(g.smtpAlert());
        assertEquals("/usr/local/bin/notify_all", c.vrrpInstance("VI_INT").orElseThrow().notifyScripts().get("notify"));
    }

    @Test
    void vrrpScriptsAndTracking() {
        KeepalivedConfig c = load("20-vrrp-script.conf");
        assertTrue(c.globalDefs().enableScriptSecurity());
        assertEquals("keepalived_script", c.globalDefs().scriptUser());
        VrrpScript h = c.vrrpScript("chk_haproxy").orElseThrow();
        assertEquals("/usr/bin/killall -0 haproxy", h.script());
        assertEquals(Duration.ofSeconds(2), h.interval());
        assertEquals(Duration.ofSeconds(1), h.timeout());
        assertEquals(-20, h.weight());
        assertEquals(2, h.rise());
        assertEquals(3, h.fall());
        assertEquals("root", h.user());
        VrrpScript api = c.vrrpScript("chk_api").orElseThrow();
        assertEquals("</dev/tcp/127.0.0.1/6443", api.script());
        assertEquals(Duration.ofSeconds(3), api.interval());
        assertEquals(Duration.ofSeconds(3), api.timeout());
        assertTrue(api.weightReverse());
        assertTrue(api.initFail());
        VrrpInstance i = c.vrrpInstances().getFirst();
        assertTrue(i.nopreempt());
        assertEquals(Duration.ofSeconds(30), i.preemptDelay());
        assertEquals(List.of(new VrrpInstance.TrackRef("chk_haproxy", null, false),
                new VrrpInstance.TrackRef("chk_api", 5, false)), i.trackScript());
    }

    @Test
    void trackInterfaceTrackFileAndGarp() {
        KeepalivedConfig c = load("21-track-interface.conf");
        VrrpInstance i = c.vrrpInstances().getFirst();
        assertEquals(List.of(new VrrpInstance.TrackInterface("eth2", 0, false),
                new VrrpInstance.TrackInterface("eth3", -30, false),
                new VrrpInstance.TrackInterface("eth4", 10, true)), i.trackInterface());
        assertEquals("maint", i.trackFile().getFirst().name());
        assertEquals(-100, c.trackFiles().getFirst().weight());
        assertTrue(i.dontTrackPrimary());
        assertEquals(Duration.ofSeconds(2), i.garpMasterDelay());
        assertEquals(3, i.garpMasterRepeat());
        assertEquals(Duration.ofSeconds(60), i.garpMasterRefresh());
        assertEquals(2, i.garpMasterRefreshRepeat());
    }

    @Test
    void braceStyles() {
        KeepalivedConfig c = load("22-brace-styles.conf");
        assertEquals("BRACES", c.globalDefs().routerId());
        assertEquals(2, c.vrrpInstances().getFirst().virtualIpaddress().size());
        VirtualServer vs = c.virtualServers().getFirst();
        assertEquals("rr", vs.lbAlgo());
        assertEquals(List.of(4, 5), vs.realServers().stream().map(RealServer::weight).toList());
    }

    @Test
    void quotesEscapesAndComments() {
        VrrpInstance i = load("23-quotes-escapes.conf").vrrpInstances().getFirst();
        assertEquals("eth0", i.interfaceName());
        assertEquals("/usr/bin/logger -t fulcrum \"became master # not a comment\"", i.notifyScripts().get("notify_master"));
        assertEquals("/usr/bin/logger backup!now", i.notifyScripts().get("notify_backup"));
        assertEquals("/usr/bin/logger stop!now", i.notifyScripts().get("notify_stop"));
        assertEquals("/bin/echo a\tb", i.notifyScripts().get("notify_fault"));
    }

    @Test
    void globalDefsKeywords() {
        GlobalDefs g = load("24-global-defs.conf").globalDefs();
        assertEquals(List.of("ops@example.com", "noc@example.com"), g.notificationEmail());
        assertEquals("lb@example.com", g.notificationEmailFrom());
        assertEquals("127.0.0.1", g.smtpServer());
        assertEquals(Duration.ofSeconds(30), g.smtpConnectTimeout());
        assertEquals(3, g.vrrpVersion());
        assertEquals(Duration.ofSeconds(2), g.vrrpGarpMasterDelay());
        assertEquals(4, g.vrrpGarpMasterRepeat());
        assertEquals(Duration.ofSeconds(120), g.vrrpGarpMasterRefresh());
        assertEquals(2, g.vrrpGarpMasterRefreshRepeat());
        assertEquals(Duration.ofMillis(1), g.vrrpGarpInterval());
        assertEquals(Duration.ofNanos(1000), g.vrrpGnaInterval());
        assertEquals(16_777_216L, g.vrrpNetlinkMonitorRcvBufs());
        assertTrue(g.vrrpNetlinkMonitorRcvBufsForce());
        assertEquals(8_388_608L, g.vrrpNetlinkCmdRcvBufs());
        assertTrue(g.vrrpNetlinkCmdRcvBufsForce());
        assertEquals("/run/fulcrum/notify.fifo", g.notifyFifo());
        assertEquals("fulcrum", g.scriptGroup());
        assertEquals(Duration.ofSeconds(7200), g.lvsTimeouts().tcp());
        assertEquals(Duration.ofSeconds(120), g.lvsTimeouts().tcpfin());
        assertEquals(Duration.ofSeconds(300), g.lvsTimeouts().udp());
        assertTrue(g.vrrpStrict());
        assertTrue(g.other().containsKey("vrrp_skip_check_adv_addr"));
    }

    @Test
    void virtualRoutes() {
        List<VrrpInstance.VirtualRoute> r = load("25-virtual-routes.conf").vrrpInstances().getFirst().virtualRoutes();
        assertEquals(4, r.size());
        assertEquals("192.168.50.0/24", r.get(0).destination());
        assertEquals("10.0.10.1", ip(r.get(0).src()));
        assertEquals("10.0.10.254", ip(r.get(0).via()));
        assertEquals("eth0", r.get(0).dev());
        assertEquals(100, r.get(1).metric());
        assertEquals("100", r.get(1).table());
        assertEquals("blackhole", r.get(2).type());
        assertEquals("default", r.get(3).destination());
    }

    @Test
    void lstReplicatesWithSeveralVariables() {
        VirtualServer vs = load("26-lst.conf").virtualServers().getFirst();
        assertEquals(List.of("10.0.12.11:80", "10.0.12.12:80", "10.0.12.13:80"), rsAddresses(vs));
        assertEquals(List.of(1, 2, 3), vs.realServers().stream().map(RealServer::weight).toList());
    }

    @Test
    void seqxMakesHexIpv6Addresses() {
        VrrpInstance i = load("27-seqx-ipv6.conf").vrrpInstances().getFirst();
        assertEquals(List.of("2001:db8::90:1", "2001:db8::a0:1", "2001:db8::b0:1", "2001:db8::c0:1"),
                i.virtualIpaddress().stream().map(v -> ip(v.address())).toList());
    }

    @Test
    void authenticationAndVipOptions() {
        VrrpInstance i = load("28-authentication.conf").vrrpInstances().getFirst();
        assertEquals(new VrrpInstance.Authentication("PASS", "s3cret"), i.authentication());
        assertEquals(255, i.priority());
        assertEquals(Duration.ofSeconds(3), i.advertInt());
        VrrpInstance.VirtualIp v = i.virtualIpaddress().getFirst();
        assertEquals("10.0.13.255", ip(v.brd()));
        assertEquals("eth0", v.dev());
        assertEquals("eth0:1", v.label());
    }

    @Test
    void sorryServerQuorumAndFlags() {
        LoadResult r = ConfigLoader.load(resource("29-sorry-server-quorum.conf"), "x");
        // as keepalived: TUN cannot translate ports, quorum above the total weight and hysteresis >= quorum are reduced
        assertEquals(3, r.warnings().size(), r.warnings().toString());
        VirtualServer vs = r.config().virtualServers().getFirst();
        assertEquals("TUN", vs.lbKind());
        assertEquals("sed", vs.lbAlgo());
        assertEquals("255.255.255.0", vs.persistenceGranularity());
        assertEquals("10.0.15.1", ip(vs.sorryServer().address()));
        assertEquals(80, vs.sorryServer().port());
        assertTrue(vs.sorryServerInhibit());
        assertEquals(1, vs.quorum());
        assertEquals(0, vs.hysteresis());
        assertEquals("/etc/fulcrum/quorum.sh up", vs.quorumUp());
        assertTrue(vs.alpha() && vs.omega() && vs.inhibitOnFailure() && vs.haSuspend());
        assertEquals("www.example.org", vs.virtualhost());
        assertEquals("/etc/fulcrum/rs.sh down", vs.realServers().getFirst().notifyDown());
    }

    @Test
    void natUdpAndSctpServicesWithCheckerDefaults() {
        KeepalivedConfig c = load("30-nat-udp.conf");
        VirtualServer udp = c.virtualServers().get(0);
        assertEquals("UDP", udp.protocol());
        assertEquals("nq", udp.lbAlgo());
        assertEquals(Duration.ofSeconds(3), udp.connectTimeout());
        assertEquals(2, udp.retry());
        assertEquals(Duration.ofSeconds(1), udp.delayBeforeRetry());
        VirtualServer sctp = c.virtualServers().get(1);
        assertEquals("SCTP", sctp.protocol());
        assertEquals("dh", sctp.lbAlgo());
        assertEquals("[10.0.16.1]:sctp:162", sctp.label());
        assertTrue(sctp.realServers().getFirst().checkers().isEmpty());
    }

    @Test
    void multilineInstanceDefinitionWithConditionalsInside() {
        KeepalivedConfig high = load("31-multiline-instances.conf", "high");
        assertEquals(List.of("VI_0", "VI_1"), high.vrrpInstances().stream().map(VrrpInstance::name).toList());
        assertEquals(List.of("eth0.0", "eth0.1"), high.vrrpInstances().stream().map(VrrpInstance::interfaceName).toList());
        assertEquals(List.of(100, 101), high.vrrpInstances().stream().map(VrrpInstance::virtualRouterId).toList());
        assertEquals(130, high.vrrpInstances().getFirst().priority());
        assertEquals("10.0.1.254", ip(high.vrrpInstances().get(1).virtualIpaddress().getFirst().address()));
        assertEquals(120, load("31-multiline-instances.conf", "low").vrrpInstances().getFirst().priority());
        assertEquals(100, load("31-multiline-instances.conf", "neither").vrrpInstances().getFirst().priority());
    }

    @Test
    void lvsSynonymsAndPerServerMethod() {
        LoadResult r = ConfigLoader.load(resource("32-lvs-synonyms.conf"), "x");
        assertEquals(List.of("virtual_server 10.0.18.1 80: no protocol set, so UDP is used (as keepalived does); add 'protocol TCP'"),
                r.warnings().stream().map(Diagnostic::message).toList());
        assertEquals(1, r.warnings().getFirst().line());
        VirtualServer vs = r.config().virtualServers().getFirst();
        assertEquals("UDP", vs.protocol());
        assertEquals("ovf", vs.lbAlgo());
        assertEquals("TUN", vs.lbKind());
        RealServer rs = vs.realServers().getFirst();
        assertEquals("DR", rs.lbKind());
        assertEquals(1000, rs.uthreshold());
        assertEquals(100, rs.lthreshold());
    }

    @Test
    void unknownKeywordsAreWarningsAndTheRestLoads() {
        LoadResult r = ConfigLoader.load(resource("33-unknown-keywords-warn.conf"), "x");
        assertTrue(r.ok(), () -> r.errors().toString());
        Map<Integer, String> warnings = r.warnings().stream()
                .collect(Collectors.toMap(Diagnostic::line, Diagnostic::message));
        assertEquals("unknown keyword 'made_up_global' in global_defs, ignored", warnings.get(3));
        assertEquals("unknown keyword 'frobnicate' in vrrp_instance VI_W, ignored", warnings.get(11));
        assertEquals("'static_ipaddress' is not supported by Fulcrum, ignored", warnings.get(13));
        assertEquals("WARN", r.config().globalDefs().routerId());
        assertEquals(17, r.config().vrrpInstances().getFirst().virtualRouterId());
        assertFalse(r.warnings().isEmpty());
        assertNotNull(r.config().vrrpInstances().getFirst().virtualIpaddress().getFirst());
    }

    @Test
    void manPageExampleOfNestedSeqInstances() {
        KeepalivedConfig c = load("34-nested-seq-instances.conf");
        assertEquals(2 * 8 * 254, c.vrrpInstances().size());
        assertEquals(2 * 8 * 254, c.trackFiles().size());
        VrrpInstance first = c.vrrpInstances().getFirst();
        VrrpInstance last = c.vrrpInstances().getLast();
        assertEquals("vrrp4.0.0.1", first.name());
        assertEquals("vrrp4.1.7.254", last.name());
        assertEquals("bond1.7", last.interfaceName());
        assertEquals(254, last.virtualRouterId());
        assertEquals("10.1.7.254", ip(last.virtualIpaddress().getFirst().address()));
        assertEquals("vrrp4.1.7.254", last.useVmac());
        assertEquals("offset_instance_4.1.7.254", last.trackFile().getFirst().name());
        assertEquals(-100, c.trackFiles().getLast().weight());
        assertTrue(c.trackFiles().getLast().file().endsWith("/679/track_files/4.1.7.254"));
    }
}

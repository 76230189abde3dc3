package io.fulcrum.appliance.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.appliance.Fulcrum;
import io.fulcrum.appliance.json.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The {@code fulcrum} command line: {@code -t} exit codes and messages, the {@code -t -d} JSON, the mode stubs. */
class FulcrumCliTest {

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Fulcrum.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    static Path repoConf(String name) {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("conf"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("conf/ not found above " + Path.of("").toAbsolutePath());
        }
        return p.resolve("conf").resolve(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dr-pair.conf", "fullnat-pair.conf", "nat-service.conf"})
    void shippedSamplesPassConfigTest(String name) {
        for (String id : List.of("lb1", "lb2")) {
            Run r = run("-t", "-i", id, "-f", repoConf(name).toString());
            assertEquals(0, r.code(), name + " -i " + id + ": " + r.err());
            assertEquals("", r.err(), "no warnings expected from the sample " + name);
        }
    }

    @Test
    void configTestFailsWithEveryErrorListed() throws IOException {
        Path f = dir.resolve("bad.conf");
        Files.writeString(f, """
                vrrp_instance VI_1 {
                    interface eth0
                    virtual_router_id 256
                    priority 0
                    foo bar
                }
                """);
        Run r = run("-t", "-f", f.toString());
        assertEquals(Fulcrum.EXIT_CONFIG_ERROR, r.code());
        List<String> lines = r.err().lines().toList();
        assertEquals(List.of(
                f + ":3: virtual_router_id 256 out of range 1..255",
                f + ":4: priority 0 out of range 1..255",
                f + ":5: warning: unknown keyword 'foo' in vrrp_instance VI_1, ignored",
                "fulcrum: configuration " + f + " is invalid: 2 errors"), lines);
        assertEquals("", r.out(), "no dump for an invalid configuration");
        assertTrue(!r.err().contains("Exception") && !r.err().contains("\tat "), "no stack trace");
    }

    @Test
    void configTestPassesWithWarningsPrinted() throws IOException {
        Path f = dir.resolve("warn.conf");
        Files.writeString(f, "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 5\n colour blue\n}\n");
        Run r = run("-t", "-f", f.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(f + ":4: warning: unknown keyword 'colour' in vrrp_instance VI_1, ignored", r.err().strip());
    }

    @Test
    void missingFileIsAnError() {
        Run r = run("-t", "-f", dir.resolve("none.conf").toString());
        assertEquals(Fulcrum.EXIT_CONFIG_ERROR, r.code());
        assertTrue(r.err().startsWith(dir.resolve("none.conf") + ": configuration file not found"), r.err());
    }

    @Test
    @SuppressWarnings("unchecked")
    void dumpIsJsonWithKeepalivedKeywords() {
        Run r = run("-t", "-d", "-i", "lb1", "-f", repoConf("dr-pair.conf").toString());
        assertEquals(0, r.code(), r.err());
        Map<String, Object> root = (Map<String, Object>) Json.parse(r.out());
        Map<String, Object> global = (Map<String, Object>) root.get("global_defs");
        assertEquals("lb1", global.get("router_id"));
        assertEquals(16777216L, global.get("vrrp_netlink_monitor_rcv_bufs"));
        List<Map<String, Object>> instances = (List<Map<String, Object>>) root.get("vrrp_instance");
        Map<String, Object> vi = instances.getFirst();
        assertEquals("VI_WEB", vi.get("name"));
        assertEquals("eth0", vi.get("interface"));
        assertEquals(51L, vi.get("virtual_router_id"));
        assertEquals(150L, vi.get("priority"));
        assertEquals("MASTER", vi.get("state"));
        assertEquals(1L, vi.get("advert_int"));
        assertEquals("192.168.50.11", vi.get("unicast_src_ip"));
        assertEquals(List.of("192.168.50.12"), vi.get("unicast_peer"));
        Map<String, Object> vip = ((List<Map<String, Object>>) vi.get("virtual_ipaddress")).getFirst();
        assertEquals("192.168.50.100", vip.get("address"));
        assertEquals(24L, vip.get("prefix"));
        assertEquals("chk_local", ((List<Map<String, Object>>) vi.get("track_script")).getFirst().get("name"));
        Map<String, Object> script = ((List<Map<String, Object>>) root.get("vrrp_script")).getFirst();
        assertEquals(-60L, script.get("weight"));
        Map<String, Object> vs = ((List<Map<String, Object>>) root.get("virtual_server")).getFirst();
        assertEquals("192.168.50.100", vs.get("address"));
        assertEquals(80L, vs.get("port"));
        assertEquals("TCP", vs.get("protocol"));
        assertEquals("wrr", vs.get("lb_algo"));
        assertEquals("DR", vs.get("lb_kind"));
        List<Map<String, Object>> rs = (List<Map<String, Object>>) vs.get("real_server");
        assertEquals(2, rs.size());
        assertEquals("192.168.50.21", rs.get(0).get("address"));
        assertEquals(80L, rs.get(0).get("port"));
        assertEquals(3L, rs.get(0).get("weight"));
        Map<String, Object> tcp = ((List<Map<String, Object>>) rs.get(0).get("checkers")).getFirst();
        assertEquals("TCP_CHECK", tcp.get("checker"));
        assertEquals(2L, tcp.get("connect_timeout"));
        Map<String, Object> http = ((List<Map<String, Object>>) rs.get(1).get("checkers")).getFirst();
        assertEquals("HTTP_GET", http.get("checker"));
        Map<String, Object> url = ((List<Map<String, Object>>) http.get("url")).getFirst();
        assertEquals("/healthz", url.get("path"));
        assertEquals(List.of("200-299"), url.get("status_code"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void dumpOfFullNatHasLocalAddressGroups() {
        Run r = run("-t", "-d", "-i", "lb2", "-f", repoConf("fullnat-pair.conf").toString());
        assertEquals(0, r.code(), r.err());
        Map<String, Object> root = (Map<String, Object>) Json.parse(r.out());
        Map<String, Object> g = ((List<Map<String, Object>>) root.get("local_address_group")).getFirst();
        assertEquals("laddr_g1", g.get("name"));
        Map<String, Object> first = ((List<Map<String, Object>>) g.get("addresses")).getFirst();
        assertEquals(Map.of("address", "10.20.0.200", "last", "10.20.0.203", "ifname", "eth1"), first);
        Map<String, Object> vs = ((List<Map<String, Object>>) root.get("virtual_server")).getFirst();
        assertEquals("FNAT", vs.get("lb_kind"));
        assertEquals("laddr_g1", vs.get("laddr_group_name"));
        assertEquals(true, vs.get("syn_proxy"));
        assertEquals(true, vs.get("toa"));
        assertEquals(8443L, ((List<Map<String, Object>>) vs.get("real_server")).getFirst().get("port"));
        Map<String, Object> vi = ((List<Map<String, Object>>) root.get("vrrp_instance")).getFirst();
        assertEquals(100L, vi.get("priority"));
        assertEquals("BACKUP", vi.get("state"));
    }

    @Test
    void vrrpOnlyAndCheckOnlyTogetherAreRefused() {
        String conf = repoConf("nat-service.conf").toString();
        Run both = run("-P", "-C", "-f", conf);
        assertEquals(Fulcrum.EXIT_USAGE, both.code());
        assertTrue(both.err().contains("-P and -C together"), both.err());
    }

    @Test
    void aBadConfigurationStopsTheDaemonBeforeAnyMode() throws IOException {
        Path f = dir.resolve("bad.conf");
        Files.writeString(f, "virtual_server 10.0.0.1 99999 {\n}\n");
        Run r = run("-f", f.toString());
        assertEquals(Fulcrum.EXIT_CONFIG_ERROR, r.code());
        assertTrue(r.err().contains(f + ":1: virtual_server 10.0.0.1: port '99999' is not a port number 0..65535"), r.err());
        assertTrue(r.err().contains("fulcrum: not starting: the configuration has errors"), r.err());
    }

    @Test
    void badTuningFailsTheConfigTest() throws IOException {
        Path t = dir.resolve("tuning.conf");
        Files.writeString(t, "fulcrum.dataplane.ring-size = 1000\n");
        Run r = run("-t", "--tuning", t.toString(), "-f", repoConf("nat-service.conf").toString());
        assertEquals(Fulcrum.EXIT_CONFIG_ERROR, r.code());
        assertTrue(r.err().contains("fulcrum.dataplane.ring-size = 1000: must be a power of two in 64..65536"), r.err());
    }

    @Test
    void versionHelpAndUsageErrors() {
        Run v = run("-v");
        assertEquals(0, v.code());
        assertTrue(v.out().startsWith("Fulcrum "), v.out());
        Run h = run("-h");
        assertEquals(0, h.code());
        for (String flag : List.of("--use-file", "--config-test", "--dump-conf", "--vrrp", "--check", "--log-console",
                "--log-detail", "--dont-fork", "--pid", "--config-id", "--tuning", "--version", "--help")) {
            assertTrue(h.out().contains(flag), "help lists " + flag);
        }
        Run bad = run("--no-such-flag");
        assertEquals(Fulcrum.EXIT_USAGE, bad.code());
        assertTrue(bad.err().contains("Unknown option: '--no-such-flag'"), bad.err());
    }

    @Test
    void demoIsDispatchedToTheDemoHook() {
        // an unknown demo argument is the demo's own usage error (running the demo needs root and builds a lab)
        assertEquals(64, Fulcrum.run(new String[] {"demo", "--no-such-option"}, new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter())));
    }
}

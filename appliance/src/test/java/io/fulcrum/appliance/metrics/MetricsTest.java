package io.fulcrum.appliance.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.appliance.ApplianceView.CheckerInfo;
import io.fulcrum.appliance.ApplianceView.VrrpInstanceInfo;
import io.fulcrum.appliance.admin.FakeAppliance;
import io.fulcrum.appliance.metrics.PrometheusTextParser.Family;
import io.fulcrum.appliance.metrics.PrometheusTextParser.Sample;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The metrics endpoint's text parsed by a strict Prometheus text-format parser ({@link PrometheusTextParser}), with
 * values checked against the {@link FakeAppliance} view; the HTTP endpoint on loopback; escaping.
 */
class MetricsTest {

    private static FakeAppliance fixture() {
        FakeAppliance f = FakeAppliance.golden();
        f.vrrp.add(new VrrpInstanceInfo("VI_1", "veth0", 51, 3, "MASTER", 150, 140, FakeAppliance.ip("10.0.0.1"),
                100, List.of(FakeAppliance.ip("10.0.0.100"), FakeAppliance.ip("10.0.0.101")),
                Map.of("advert_rcvd", 3L, "advert_sent", 120L, "become_master", 1L, "release_master", 0L)));
        f.vrrp.add(new VrrpInstanceInfo("VI_\"odd\\name\"", "veth1", 52, 2, "BACKUP", 100, 100, null, 100,
                List.of(), Map.of()));
        f.worker(0, 1000);
        f.worker(1, 2000);
        f.checkers.add(new CheckerInfo("[10.0.0.100]:tcp:80", "[10.0.0.2]:tcp:8080", List.of("TCP_CHECK"), true, 1,
                2, Instant.parse("2026-11-21T20:01:02.500Z")));
        f.checkers.add(new CheckerInfo("[10.0.0.100]:tcp:80", "[10.0.0.3]:tcp:8080",
                List.of("HTTP_GET", "TCP_CHECK"), false, 0, 5, Instant.parse("2026-11-21T20:03:00Z")));
        return f;
    }

    private static double value(Map<String, Family> m, String name, String... labels) {
        Family f = m.get(name);
        assertNotNull(f, "no family " + name);
        for (Sample s : f.samples()) {
            boolean match = true;
            for (int i = 0; i < labels.length; i += 2) {
                match &= labels[i + 1].equals(s.labels().get(labels[i]));
            }
            if (match) {
                return s.value();
            }
        }
        throw new AssertionError("no sample of " + name + " with " + List.of(labels) + " in " + f.samples());
    }

    @Test
    void parsesStrictlyAndCarriesTheViewsValues() throws Exception {
        String text = ApplianceMetrics.render(fixture());
        Map<String, Family> m = PrometheusTextParser.parse(text);
        for (Family f : m.values()) {
            assertNotNull(f.help(), "HELP for " + f.name());
            assertTrue(f.type().equals("counter") || f.type().equals("gauge"), f.name() + " " + f.type());
            assertTrue(f.name().startsWith("fulcrum_"), f.name());
            if (f.type().equals("counter")) {
                assertTrue(f.name().endsWith("_total"), "counter " + f.name() + " must end in _total");
                f.samples().forEach(s -> assertTrue(s.value() >= 0, f.name() + " " + s));
            }
        }
        // keepalived-exporter's names, fulcrum_vrrp_ prefix; one state sample per VIP; keepalived's numbers.
        assertEquals(2, value(m, "fulcrum_vrrp_state", "iname", "VI_1", "ip_address", "10.0.0.101"));
        assertEquals(1, value(m, "fulcrum_vrrp_state", "iname", "VI_\"odd\\name\"", "ip_address", ""));
        assertEquals(1, value(m, "fulcrum_vrrp_master_info", "iname", "VI_1", "master_address", "10.0.0.1"));
        assertEquals(1, value(m, "fulcrum_vrrp_master_info", "iname", "VI_\"odd\\name\"", "master_address", ""));
        assertEquals(3, value(m, "fulcrum_vrrp_advertisements_received_total", "iname", "VI_1", "intf", "veth0",
                "vrid", "51"));
        assertEquals(120, value(m, "fulcrum_vrrp_advertisements_sent_total", "iname", "VI_1"));
        assertEquals(1, value(m, "fulcrum_vrrp_become_master_total", "iname", "VI_1"));
        assertEquals(0, value(m, "fulcrum_vrrp_priority_zero_sent_total", "iname", "VI_1"));
        assertEquals(150, value(m, "fulcrum_vrrp_priority", "iname", "VI_1"));
        assertEquals(140, value(m, "fulcrum_vrrp_effective_priority", "iname", "VI_1"));
        assertEquals(1.0, value(m, "fulcrum_vrrp_advertisement_interval_seconds", "iname", "VI_1"));
        // node_exporter's ipvs names and labels.
        assertEquals(123_456_789_012d, value(m, "fulcrum_ipvs_outgoing_bytes_total", "local_address", "10.0.0.100",
                "local_port", "80", "proto", "TCP", "local_mark", ""));
        assertEquals(15, value(m, "fulcrum_ipvs_connections_total", "local_address", "10.0.0.100",
                "local_port", "80", "proto", "TCP"));
        assertEquals(12345, value(m, "fulcrum_ipvs_backend_connections_active", "remote_address", "172.16.0.1",
                "remote_port", "443", "local_address", "192.168.10.10"));
        assertEquals(7, value(m, "fulcrum_ipvs_backend_connections_inactive", "remote_address", "172.16.0.1"));
        assertEquals(100, value(m, "fulcrum_ipvs_backend_weight", "remote_address", "172.16.0.1"));
        assertEquals(900, value(m, "fulcrum_ipvs_backend_outgoing_packets_total", "remote_address", "10.0.0.2"));
        assertEquals(1, value(m, "fulcrum_ipvs_backend_weight", "remote_address", "2001:db8::2",
                "local_address", "2001:db8::100"));
        // Dataplane per worker; drops by reason.
        assertEquals(1000, value(m, "fulcrum_dataplane_rx_packets_total", "worker", "0"));
        assertEquals(2002, value(m, "fulcrum_dataplane_tx_packets_total", "worker", "1"));
        assertTrue(value(m, "fulcrum_dataplane_drops_total", "worker", "1", "reason", "malformed") >= 2000);
        assertEquals(2048, value(m, "fulcrum_connection_table_capacity", "worker", "1"));
        assertEquals(7, value(m, "fulcrum_connection_table_entries", "worker", "1"));
        assertEquals(7, value(m, "fulcrum_laddr_ports_used", "laddr", "10.0.1.1"));
        assertEquals(28232, value(m, "fulcrum_laddr_ports_total", "laddr", "10.0.1.2"));
        assertEquals(0, value(m, "fulcrum_checker_up", "real_server", "[10.0.0.3]:tcp:8080"));
        assertEquals("HTTP_GET,TCP_CHECK", m.get("fulcrum_checker_up").samples().get(1).labels().get("checkers"));
        assertEquals(1_795_291_262.5, value(m, "fulcrum_checker_last_change_timestamp_seconds",
                "real_server", "[10.0.0.2]:tcp:8080"));
        assertEquals(2, value(m, "fulcrum_netlink_overruns_total"));
        assertEquals(1, value(m, "fulcrum_up", "mode", "full", "dataplane", "AF_PACKET"));
    }

    @Test
    void labelEscapingRoundTrips() throws Exception {
        String text = ApplianceMetrics.render(fixture());
        assertTrue(text.contains("iname=\"VI_\\\"odd\\\\name\\\"\""), text);
        PrometheusText t = new PrometheusText();
        t.family("fulcrum_test", PrometheusText.Type.GAUGE, "Help with a \\ backslash\nand a line feed.");
        t.sample(1L, "v", "a\"b\\c\nd");
        t.sample(Double.POSITIVE_INFINITY, "v", "inf");
        t.sample(Double.NaN, "v", "nan");
        t.sample(0.25, "v", "quarter");
        Map<String, Family> m = PrometheusTextParser.parse(t.text());
        Family f = m.get("fulcrum_test");
        assertEquals("Help with a \\ backslash\nand a line feed.", f.help());
        assertEquals("a\"b\\c\nd", f.samples().get(0).labels().get("v"));
        assertEquals(Double.POSITIVE_INFINITY, f.samples().get(1).value());
        assertTrue(Double.isNaN(f.samples().get(2).value()));
        assertEquals(0.25, f.samples().get(3).value());
    }

    @Test
    void theParserIsStrict() {
        String[] bad = {
            "fulcrum_x 1",                                           // no final line feed
            "fulcrum_x{a=\"1\",a=\"2\"} 1\n",                        // duplicate label
            "fulcrum_x{a=\"\\t\"} 1\n",                              // bad escape
            "fulcrum_x 1\nfulcrum_y 1\nfulcrum_x 2\n",               // not contiguous
            "fulcrum_x 1\n# TYPE fulcrum_x gauge\n",                 // TYPE after samples
            "fulcrum_x one\n",                                       // bad value
            "fulcrum_x 1\nfulcrum_x 2\n",                            // duplicate series
            "# TYPE fulcrum_x gauge\n# TYPE fulcrum_x gauge\n",      // second TYPE
            "9fulcrum 1\n",                                          // bad name
        };
        for (String b : bad) {
            assertThrows(PrometheusTextParser.FormatException.class, () -> PrometheusTextParser.parse(b), b);
        }
    }

    @Test
    void httpEndpointOnLoopback() throws Exception {
        FakeAppliance f = fixture();
        try (MetricsServer s = MetricsServer.start(new InetSocketAddress("127.0.0.1", 0), f);
             HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            String base = "http://127.0.0.1:" + s.address().getPort();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertEquals(PrometheusText.CONTENT_TYPE, r.headers().firstValue("Content-Type").orElse(""));
            Map<String, Family> m = PrometheusTextParser.parse(r.body());
            assertEquals(15, value(m, "fulcrum_ipvs_connections_total", "local_address", "10.0.0.100",
                    "local_port", "80", "proto", "TCP"));
            // The endpoint reads the view on every scrape.
            f.generation = 41;
            r = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(41, value(PrometheusTextParser.parse(r.body()), "fulcrum_config_generation"));
            assertEquals(404, http.send(HttpRequest.newBuilder(URI.create(base + "/nope")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
            assertEquals(405, http.send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
        }
    }

    @Test
    void emptyApplianceStillParses() throws Exception {
        FakeAppliance f = new FakeAppliance();
        f.connectionTable = null;
        f.netlinkOverruns = -1;
        Map<String, Family> m = PrometheusTextParser.parse(ApplianceMetrics.render(f));
        assertTrue(m.containsKey("fulcrum_up"));
        assertTrue(!m.containsKey("fulcrum_netlink_overruns_total"));
    }
}

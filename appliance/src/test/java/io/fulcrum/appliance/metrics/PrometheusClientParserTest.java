package io.fulcrum.appliance.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.appliance.ApplianceView.VrrpInstanceInfo;
import io.fulcrum.appliance.admin.FakeAppliance;
import io.fulcrum.appliance.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The metrics text read by a parser nobody here wrote: the Prometheus project's Python client
 * ({@code prometheus_client.parser.text_string_to_metric_families}, Debian's {@code python3-prometheus-client}, listed
 * in {@code scripts/lib/deps.sh}). Every family and sample the strict in-house parser sees must come out of it the
 * same: names, types, label sets, values.
 */
class PrometheusClientParserTest {

    private static final String PYTHON = "/usr/bin/python3";
    private static final String SCRIPT = """
            import json, sys
            from prometheus_client.parser import text_string_to_metric_families
            out = []
            for f in text_string_to_metric_families(sys.stdin.read()):
                out.append({"name": f.name, "type": f.type, "help": f.documentation,
                            "samples": [{"name": s.name, "labels": s.labels, "value": s.value} for s in f.samples]})
            print(json.dumps(out))
            """;

    @Test
    void prometheusClientReadsWhatWeWrite() throws Exception {
        FakeAppliance f = FakeAppliance.golden();
        f.vrrp.add(new VrrpInstanceInfo("VI_\"q\"", "veth0", 51, 3, "BACKUP", 100, 90, null, 100,
                List.of(FakeAppliance.ip("10.0.0.100")), Map.of("advert_rcvd", 42L)));
        f.worker(0, 10);
        String text = ApplianceMetrics.render(f);

        assertTrue(Files.isExecutable(Path.of(PYTHON)), PYTHON + " is missing: install python3-prometheus-client "
                + "(scripts/lib/deps.sh lists it)");
        Process p = new ProcessBuilder(PYTHON, "-c", SCRIPT).redirectErrorStream(false).start();
        try (var in = p.getOutputStream()) {
            in.write(text.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "python parser did not finish");
        assertEquals(0, p.exitValue(), "prometheus_client refused the text: " + err
                + (err.contains("No module named") ? " (install python3-prometheus-client, scripts/lib/deps.sh)" : ""));

        Map<String, PrometheusTextParser.Family> ours = PrometheusTextParser.parse(text);
        List<?> theirs = (List<?>) Json.parse(out.strip());
        TreeSet<String> oursSamples = new TreeSet<>();
        ours.values().forEach(fam -> fam.samples().forEach(s -> oursSamples.add(s.name() + new java.util.TreeMap<>(
                s.labels()) + "=" + s.value())));
        TreeSet<String> theirSamples = new TreeSet<>();
        for (Object o : theirs) {
            Map<?, ?> fam = (Map<?, ?>) o;
            String name = (String) fam.get("name");
            // prometheus_client names a counter family without its _total suffix.
            PrometheusTextParser.Family mine = ours.containsKey(name) ? ours.get(name) : ours.get(name + "_total");
            assertTrue(mine != null, "family " + name + " unknown to the strict parser");
            assertEquals(mine.type(), fam.get("type"), name);
            assertEquals(mine.help(), fam.get("help"), name);
            for (Object so : (List<?>) fam.get("samples")) {
                Map<?, ?> s = (Map<?, ?>) so;
                Object v = s.get("value");
                double value = v instanceof Long l ? l : (Double) v;
                theirSamples.add(s.get("name") + new java.util.TreeMap<>((Map<?, ?>) s.get("labels")).toString()
                        + "=" + value);
            }
        }
        assertEquals(ours.size(), theirs.size());
        assertEquals(oursSamples, theirSamples);
        assertTrue(theirSamples.contains("fulcrum_vrrp_state{iname=VI_\"q\", intf=veth0, ip_address=10.0.0.100, "
                + "vrid=51}=1.0"), theirSamples.toString());
    }

    @Test
    void thePythonParserIsAParser() throws IOException, InterruptedException {
        // The same harness refuses broken text, so agreement above means something.
        Process p = new ProcessBuilder(PYTHON, "-c", SCRIPT).start();
        try (var in = p.getOutputStream()) {
            in.write("fulcrum_x{a=\"1\" 1\n".getBytes(StandardCharsets.UTF_8));
        }
        p.getInputStream().readAllBytes();
        p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertTrue(p.exitValue() != 0, "prometheus_client accepted a broken line");
    }
}

package io.fulcrum.appliance.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fulcrum.testkit.Cmd;
import io.fulcrum.testkit.InteropTest;
import io.fulcrum.testkit.NetnsLab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fulcrum's parser and Debian's keepalived ({@code keepalived -t}) agree on the samples and on test configurations:
 * both accept them without a complaint, in a namespace that has the interfaces they name (eth0, eth1). And where
 * keepalived complains (a service without {@code protocol}), Fulcrum warns too.
 */
@InteropTest
class KeepalivedAgreementTest {

    private static NetnsLab lab;
    private static String ns;

    @BeforeAll
    static void lab() {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/keepalived")), "keepalived is not installed");
        lab = NetnsLab.create();
        ns = lab.ns("lb");
        String sw = lab.ns("sw");
        lab.veth(ns, "eth0", sw, "p0");
        lab.veth(ns, "eth1", sw, "p1");
    }

    @AfterAll
    static void close() {
        if (lab != null) {
            lab.close();
        }
    }

    private static Cmd.Result keepalivedTest(Path conf, String id) {
        return lab.exec(Duration.ofSeconds(30), ns, "/usr/sbin/keepalived", "-t", "-l", "-n", "-i", id, "-f",
                conf.toAbsolutePath().toString());
    }

    private static Path repo() {
        Path p = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(p.resolve("conf"))) {
            p = p.getParent();
        }
        return p;
    }

    @Test
    void bothAcceptTheSamplesAndTestConfigurations() {
        List<Path> files = new ArrayList<>(List.of(repo().resolve("conf/dr-pair.conf"), repo().resolve("conf/nat-service.conf")));
        for (String name : List.of("01-dr-pair-conditionals.conf", "02-macro-real-servers.conf", "03-seq-real-servers.conf",
                "07-http-get.conf", "10-udp-check.conf", "11-dns-check.conf", "13-smtp-check.conf", "19-sync-group.conf",
                "22-brace-styles.conf", "23-quotes-escapes.conf", "26-lst.conf", "27-seqx-ipv6.conf",
                "28-authentication.conf", "35-http-regex-alpha.conf")) {
            files.add(GoodConfigTest.resource(name));
        }
        List<String> disagreements = new ArrayList<>();
        for (Path f : files) {
            for (String id : List.of("lb1", "lb2")) {
                Cmd.Result k = keepalivedTest(f, id);
                LoadResult r = ConfigLoader.load(f, id);
                if (k.exitCode() != 0 || !r.ok() || !r.warnings().isEmpty()) {
                    disagreements.add(f.getFileName() + " -i " + id + ": keepalived rc=" + k.exitCode() + " "
                            + k.stdout().strip() + k.stderr().strip() + " / fulcrum " + r.diagnostics());
                }
            }
        }
        assertEquals(List.of(), disagreements);
    }

    @Test
    void bothComplainAboutAServiceWithoutProtocol() {
        Path f = GoodConfigTest.resource("32-lvs-synonyms.conf");
        Cmd.Result k = keepalivedTest(f, "x");
        assertNotEquals(0, k.exitCode());
        assertTrue((k.stdout() + k.stderr()).contains("no protocol set - defaulting to UDP"), k.stdout() + k.stderr());
        LoadResult r = ConfigLoader.load(f, "x");
        assertEquals("UDP", r.config().virtualServers().getFirst().protocol());
        assertTrue(r.warnings().getFirst().message().contains("no protocol set, so UDP is used"));
    }
}

package io.fulcrum.dataplane.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.dataplane.service.ForwardingMethod;
import io.fulcrum.dataplane.service.SchedulerKind;
import io.fulcrum.testkit.KernelTest;
import org.junit.jupiter.api.Test;

/**
 * FullNAT, NAT and DR through the dataplane over AF_XDP (copy mode on veth, the steering program attached with a BPF
 * link), end to end with curl and nginx (see {@link LbLab#verifyService}); afterwards no XDP program stays attached.
 */
@KernelTest
class XdpPortE2eTest {

    private static void run(ForwardingMethod method, String expectedSource, int slack, boolean dr) throws Exception {
        LbLab l = new LbLab();
        try {
            if (dr) {
                l.directRoutingReturnPath();
            }
            l.startNginx();
            l.startDataplane(new IoContext().mode(PortMode.XDP).workers(1), LbLab.spec(method, SchedulerKind.RR));
            assertEquals(DataplaneIo.PortKind.AF_XDP, l.io.portKind(), l.io.selectionReason());
            String link = l.lab.exec(l.lb, "ip", "-d", "link", "show", "eth0").orThrow().stdout();
            assertTrue(link.contains("xdp"), link);
            l.verifyService(expectedSource, slack);
            l.io.close();
            l.assertNoXdpAttached();
        } finally {
            l.close();
        }
    }

    @Test
    void fullNatOverAfXdp() throws Exception {
        run(ForwardingMethod.FNAT, LbLab.LIP, 5, false);
    }

    @Test
    void natOverAfXdp() throws Exception {
        run(ForwardingMethod.NAT, LbLab.CLIENT, 5, false);
    }

    @Test
    void directRoutingOverAfXdp() throws Exception {
        run(ForwardingMethod.DR, LbLab.CLIENT, 5, true);
    }

    @Test
    void fullNatIpv6OverAfXdp() throws Exception {
        try (LbLab l = new LbLab()) {
            l.ipv6();
            l.startNginx();
            l.startDataplane(new IoContext().mode(PortMode.XDP).workers(1), LbLab.specV6());
            String url = "http://[" + LbLab.VIP6 + "]/";
            // neighbour discovery for the VIP (our advertisement) and for the real servers (our solicitations)
            io.fulcrum.testkit.Await.until("first IPv6 request", java.time.Duration.ofSeconds(15), () -> l.lab.exec(
                    java.time.Duration.ofSeconds(5), l.client, "curl", "-g", "-s", "-m", "2", url)
                    .stdout().startsWith("rs"));
            int[] before = new int[3];
            for (int i = 1; i <= 3; i++) {
                before[i - 1] = l.accessLog(i).size();
            }
            String out = l.clientRun(java.time.Duration.ofSeconds(90), "curl", "-s", "-Z", "--parallel-max", "8",
                    "-m", "10", url + "r[1-300]");
            int[] counts = new int[3];
            for (String line : out.split("\n")) {
                if (line.startsWith("rs")) {
                    counts[Integer.parseInt(line.substring(2).trim()) - 1]++;
                }
            }
            LbLab.assertSpread(counts, 300, 5);
            for (int i = 1; i <= 3; i++) {
                java.util.List<String> log = l.accessLog(i);
                for (String line : log.subList(before[i - 1], log.size())) {
                    assertTrue(line.startsWith(LbLab.LIP6 + " "), "IPv6 FullNAT source seen by rs" + i + ": " + line);
                }
            }
            java.nio.file.Path got = l.lab.workDir().resolve("got6.bin");
            l.clientRun(java.time.Duration.ofSeconds(60), "curl", "-g", "-s", "-f", "-m", "50", "-o", got.toString(),
                    url + "big.bin");
            assertEquals(l.bigSha, LbLab.sha256(got), "64 MB download over IPv6");
            l.io.close();
            l.assertNoXdpAttached();
        }
    }
}

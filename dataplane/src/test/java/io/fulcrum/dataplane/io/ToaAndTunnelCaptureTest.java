package io.fulcrum.dataplane.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.dataplane.service.ForwardingMethod;
import io.fulcrum.dataplane.service.SchedulerKind;
import io.fulcrum.dataplane.service.ServiceTableSpec;
import io.fulcrum.dataplane.service.VirtualServiceSpec;
import io.fulcrum.testkit.Await;
import io.fulcrum.testkit.KernelTest;
import io.fulcrum.testkit.NetnsLab;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Captures on the real servers' side of what only a capture can show: the TOA option (kind 254, the client's port and
 * address) in the FullNAT SYNs, and IP-in-IP encapsulated packets of a TUN service (this kernel has no IPIP driver for
 * a real server to decapsulate them).
 */
@KernelTest
class ToaAndTunnelCaptureTest {

    private static ServiceTableSpec with(ServiceTableSpec base, ForwardingMethod method, boolean toa) {
        VirtualServiceSpec v = base.services().get(0);
        VirtualServiceSpec vs = new VirtualServiceSpec(v.protocol(), v.address(), v.port(), v.lbAlgo(), method,
                0, toa, false, method == ForwardingMethod.FNAT ? "lg" : null, v.realServers());
        return new ServiceTableSpec(List.of(vs), base.localAddressPools(), base.ownedAddresses(), base.nodeAddresses());
    }

    private static String capture(LbLab l, Runnable traffic, String filter, String... fields) throws Exception {
        Path pcap = l.lab.workDir().resolve("cap-" + System.nanoTime() + ".pcap");
        NetnsLab.Spawned tshark = l.lab.spawn(l.sw, "tshark", "-n", "-i", "p-rs1", "-i", "p-rs2", "-i", "p-rs3",
                "-a", "duration:7", "-w", pcap.toString());
        Await.until("tshark capturing", Duration.ofSeconds(15), () -> tshark.output().contains("Capturing on"));
        traffic.run();
        assertTrue(tshark.process().waitFor(30, TimeUnit.SECONDS), "tshark ends");
        String[] cmd = new String[8 + 2 * fields.length];
        int i = 0;
        for (String s : new String[] {"tshark", "-n", "-r", pcap.toString(), "-Y", filter, "-T", "fields"}) {
            cmd[i++] = s;
        }
        for (String f : fields) {
            cmd[i++] = "-e";
            cmd[i++] = f;
        }
        return l.lab.exec(Duration.ofSeconds(60), l.sw, cmd).orThrow().stdout();
    }

    @Test
    void fullNatSynCarriesToaWithTheClientAddress() throws Exception {
        try (LbLab l = new LbLab()) {
            l.startNginx();
            l.startDataplane(new IoContext().mode(PortMode.PACKET),
                    with(LbLab.spec(ForwardingMethod.FNAT, SchedulerKind.RR), ForwardingMethod.FNAT, true));
            String out = capture(l, () -> {
                // tshark says "Capturing on" before every interface is live: keep connecting for 4 s (at most 100
                // connections) so that at least six SYNs fall inside the capture however fast they go through
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
                for (int i = 0; i < 100 && System.nanoTime() < until; i++) {
                    l.lab.exec(Duration.ofSeconds(10), l.client, "curl", "-s", "-m", "3", "http://" + LbLab.VIP + "/");
                }
            }, "tcp.flags.syn == 1 && tcp.flags.ack == 0 && tcp.dstport == 80", "ip.src", "tcp.srcport", "tcp.options");
            List<String> syns = out.lines().filter(x -> !x.isBlank()).toList();
            assertTrue(syns.size() >= 6, "SYNs to the real servers: " + out);
            for (String syn : syns) {
                String[] f = syn.split("\t");
                assertEquals(LbLab.LIP, f[0], syn);
                // kind 254, length 8, then the client's port and address (10.0.1.2 = 0a000102)
                assertTrue(f[2].matches(".*fe08[0-9a-f]{4}0a000102.*"), "TOA option in " + syn);
            }
            // and the requests still succeed (Linux ignores the unknown option)
            assertTrue(l.lab.exec(l.client, "curl", "-s", "-m", "3", "http://" + LbLab.VIP + "/").stdout()
                    .startsWith("rs"));
        }
    }

    @Test
    void tunnelServiceSendsIpInIpToTheRealServers() throws Exception {
        try (LbLab l = new LbLab()) {
            l.startDataplane(new IoContext().mode(PortMode.PACKET),
                    with(LbLab.spec(ForwardingMethod.FNAT, SchedulerKind.RR), ForwardingMethod.TUN, false));
            String out = capture(l, () -> {
                // each new connection goes to the next real server; its first SYN may wait for ARP (retransmitted 1 s
                // later), nothing ever answers (no decapsulation), so curl gives up after 1.5 s
                for (int i = 0; i < 3; i++) {
                    l.lab.exec(Duration.ofSeconds(10), l.client, "curl", "-s", "-m", "1.5", "http://" + LbLab.VIP + "/");
                }
            }, "ip.proto == 4 && !icmp", "ip.src", "ip.dst", "tcp.dstport");
            List<String> pkts = out.lines().filter(x -> !x.isBlank()).toList();
            assertTrue(pkts.size() >= 3, "encapsulated packets: " + out);
            assertEquals(3, pkts.stream().map(x -> x.split("\t")[1].split(",")[0]).distinct().count(),
                    "every real server got encapsulated SYNs: " + out);
            for (String p : pkts) {
                String[] f = p.split("\t");
                // outer source: the node's address; outer destination: a real server; inner: client -> VIP:80
                assertEquals(LbLab.LB_CLIENT_SIDE + "," + LbLab.CLIENT, f[0], p);
                assertTrue(f[1].startsWith("10.0.2.1") && f[1].endsWith("," + LbLab.VIP), p);
                assertEquals("80", f[2], p);
            }
        }
    }
}

package io.fulcrum.dataplane.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.dataplane.service.ForwardingMethod;
import io.fulcrum.dataplane.service.SchedulerKind;
import io.fulcrum.testkit.Await;
import io.fulcrum.testkit.KernelTest;
import io.fulcrum.testkit.NetnsLab;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * FullNAT through the dataplane over AF_PACKET TPACKET_V3, end to end: curl in the client namespace, nginx on three
 * real servers, the dataplane's workers in the test JVM with their sockets in the LB namespace.
 */
@KernelTest
class FullNatPacketE2eTest {

    @Test
    void fullNatOverAfPacket() throws Exception {
        try (LbLab l = new LbLab()) {
            l.startNginx();
            // A TCP service on the LB's own kernel address.
            NetnsLab.Spawned kernelService = l.lab.spawn(l.lb, "socat", "TCP-LISTEN:7000,bind=" + LbLab.LB_CLIENT_SIDE
                    + ",fork,reuseaddr", "SYSTEM:echo lb-kernel-ok");
            l.startDataplane(new IoContext().mode(PortMode.PACKET).workers(1),
                    LbLab.spec(ForwardingMethod.FNAT, SchedulerKind.RR));
            assertEquals(DataplaneIo.PortKind.AF_PACKET, l.io.portKind());

            // The first request resolves the VIP through our ARP responder and the real server through our ARP request.
            Await.until("first request through the VIP", Duration.ofSeconds(10), () -> l.lab.exec(
                    Duration.ofSeconds(5), l.client, "curl", "-s", "-m", "2", "http://" + LbLab.VIP + "/")
                    .stdout().startsWith("rs"));
            int[] before = new int[3];
            for (int i = 1; i <= 3; i++) {
                before[i - 1] = l.accessLog(i).size();
            }

            // 1,000 requests, each on its own connection (nginx keepalive_timeout 0), 8 at a time.
            String out = l.clientRun(Duration.ofSeconds(90), "curl", "-s", "-Z", "--parallel-max", "8",
                    "-m", "10", "--retry", "0", "http://" + LbLab.VIP + "/r[1-1000]");
            int[] counts = new int[3];
            int lines = 0;
            for (String line : out.split("\n")) {
                if (line.startsWith("rs")) {
                    counts[Integer.parseInt(line.substring(2).trim()) - 1]++;
                    lines++;
                }
            }
            assertEquals(1000, lines, "successful responses");
            LbLab.assertSpread(counts, 1000);
            int[] logged = new int[3];
            for (int i = 1; i <= 3; i++) {
                List<String> log = l.accessLog(i);
                for (String line : log.subList(before[i - 1], log.size())) {
                    assertTrue(line.startsWith(LbLab.LIP + " "), "FullNAT source seen by rs" + i + ": " + line);
                    logged[i - 1]++;
                }
            }
            LbLab.assertSpread(logged, 1000);

            // The LB's own kernel service keeps answering while the dataplane runs.
            assertEquals("lb-kernel-ok", l.clientRun(Duration.ofSeconds(10), "socat", "-T", "3", "-",
                    "TCP:" + LbLab.LB_CLIENT_SIDE + ":7000").strip());

            // Capture on the real servers' side (the LB's bridge port) with checksum validation while a few requests and
            // the download run.
            Path pcap = l.lab.workDir().resolve("rs-side.pcap");
            NetnsLab.Spawned tshark = l.lab.spawn(l.sw, "tshark", "-n", "-i", "p-lb", "-a", "duration:25",
                    "-w", pcap.toString());
            Await.until("tshark capturing", Duration.ofSeconds(15), () -> tshark.output().contains("Capturing on"));

            // A 64 MB download arrives intact.
            Path got = l.lab.workDir().resolve("got.bin");
            l.clientRun(Duration.ofSeconds(60), "curl", "-s", "-f", "-m", "50", "-o", got.toString(),
                    "http://" + LbLab.VIP + "/big.bin");
            assertEquals(l.bigSha, LbLab.sha256(got), () -> "64 MB download checksum: got "
                    + got.toFile().length() + " bytes; " + l.lab.exec(l.client, "cmp", got.toString(),
                    l.www.resolve("big.bin").toString()).stdout());
            l.clientRun(Duration.ofSeconds(30), "curl", "-s", "-m", "10", "http://" + LbLab.VIP + "/c[1-30]");
            tshark.process().destroy(); // SIGTERM: tshark finishes the file
            tshark.process().waitFor();

            String all = l.lab.exec(Duration.ofSeconds(60), l.sw, "tshark", "-n", "-r", pcap.toString(),
                    "-Y", "tcp").orThrow().stdout();
            long tcpPackets = all.lines().count();
            assertTrue(tcpPackets > 10_000, "captured TCP packets on the real servers' side: " + tcpPackets);
            String bad = l.lab.exec(Duration.ofSeconds(60), l.sw, "tshark", "-n", "-r", pcap.toString(),
                    "-o", "tcp.check_checksum:TRUE", "-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE",
                    "-Y", "ip.checksum.status == \"Bad\" || tcp.checksum.status == \"Bad\""
                            + " || udp.checksum.status == \"Bad\"").orThrow().stdout();
            assertEquals("", bad.strip(), "packets with bad checksums on the real servers' side");
            String lipSeen = l.lab.exec(Duration.ofSeconds(60), l.sw, "tshark", "-n", "-r", pcap.toString(),
                    "-Y", "ip.src == " + LbLab.LIP + " && tcp.dstport == 80").orThrow().stdout();
            assertTrue(lipSeen.lines().count() > 10, "the real servers see the local address as source");
            kernelService.kill();
        }
    }
}

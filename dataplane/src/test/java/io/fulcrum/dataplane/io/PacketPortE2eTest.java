package io.fulcrum.dataplane.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.dataplane.service.ForwardingMethod;
import io.fulcrum.dataplane.service.SchedulerKind;
import io.fulcrum.dataplane.counters.DataplaneCounter;
import io.fulcrum.testkit.KernelTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * FullNAT, NAT and DR through the dataplane over AF_PACKET TPACKET_V3, end to end: curl in the client namespace, nginx
 * on three real servers, the dataplane's workers in the test JVM with their sockets in the LB namespace (see
 * {@link LbLab#verifyService}).
 */
@KernelTest
class PacketPortE2eTest {

    @Test
    void fullNatOverAfPacket() throws Exception {
        try (LbLab l = new LbLab()) {
            l.startNginx();
            l.startDataplane(new IoContext().mode(PortMode.PACKET).workers(1),
                    LbLab.spec(ForwardingMethod.FNAT, SchedulerKind.RR));
            assertEquals(DataplaneIo.PortKind.AF_PACKET, l.io.portKind());
            l.verifyService(LbLab.LIP, 0);
        }
    }

    @Test
    void fullNatOverAfPacketWithTwoWorkers() throws Exception {
        try (LbLab l = new LbLab()) {
            l.startNginx();
            l.startDataplane(new IoContext().mode(PortMode.PACKET).workers(2),
                    LbLab.spec(ForwardingMethod.FNAT, SchedulerKind.RR));
            l.verifyService(LbLab.LIP, 1); // one rr cursor per worker: each worker's share is even to ±1
            // Linux clients connect() from even ports first, so the fanout (source port mod 2 towards the VIP, local
            // port mod 2 for replies) put all of that on worker 0; twenty connections from odd ports go to worker 1,
            // and their FullNAT replies must come back to it.
            long before = l.io.sources().get(1).txFrames();
            String out = l.clientRun(Duration.ofSeconds(60), "sh", "-c", "for p in $(seq 40001 2 40039); do curl -s -m 5"
                    + " --local-port $p http://" + LbLab.VIP + "/ || exit 1; done");
            assertEquals(20, out.lines().filter(x -> x.startsWith("rs")).count(), out);
            long w1 = l.io.sources().get(1).txFrames() - before;
            assertTrue(w1 >= 20 * 6, "worker 1 forwarded the odd-port connections both ways: " + w1 + "; "
                    + describe(l.io));
            assertEquals(0, l.dataplane.counters().total(DataplaneCounter.DROP_NO_CONNECTION),
                    "replies that missed their connection (arrived on the wrong worker)");
        }
    }

    static String describe(DataplaneIo io) {
        StringBuilder sb = new StringBuilder();
        for (PortFrameSource s : io.sources()) {
            sb.append("[tx ").append(s.txFrames()).append(" passed ").append(s.passed()).append(" dropped ")
                    .append(s.dropped()).append(" replies ").append(s.replies());
            for (IoPort p : s.ports()) {
                sb.append(' ').append(p.ifName()).append(" rx ").append(p.rxPackets());
            }
            sb.append(']');
        }
        return sb.toString();
    }

    @Test
    void natOverAfPacket() throws Exception {
        try (LbLab l = new LbLab()) {
            l.startNginx();
            l.startDataplane(new IoContext().mode(PortMode.PACKET).workers(1),
                    LbLab.spec(ForwardingMethod.NAT, SchedulerKind.RR));
            l.verifyService(LbLab.CLIENT, 0);
        }
    }

    @Test
    void directRoutingOverAfPacket() throws Exception {
        try (LbLab l = new LbLab()) {
            l.directRoutingReturnPath();
            l.startNginx();
            l.startDataplane(new IoContext().mode(PortMode.PACKET).workers(1),
                    LbLab.spec(ForwardingMethod.DR, SchedulerKind.RR));
            l.verifyService(LbLab.CLIENT, 0);
        }
    }

    @Test
    void fullNatIpv6OverAfPacket() throws Exception {
        try (LbLab l = new LbLab()) {
            l.ipv6();
            l.startNginx();
            l.startDataplane(new IoContext().mode(PortMode.PACKET).workers(1), LbLab.specV6());
            l.verifyIpv6();
        }
    }
}

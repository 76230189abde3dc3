package io.fulcrum.dataplane.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.dataplane.io.packet.TpacketV3Port;
import io.fulcrum.dataplane.service.ForwardingMethod;
import io.fulcrum.dataplane.service.SchedulerKind;
import io.fulcrum.testkit.KernelTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A client whose interface leaves TCP checksums to offload (veth with {@code tx on}: frames arrive CHECKSUM_PARTIAL,
 * the AF_PACKET ring marks them TP_STATUS_CSUMNOTREADY) still gets through FullNAT over AF_PACKET: the port completes
 * each partial checksum before the frame is rewritten, so the real servers accept the segments (without that, every
 * SYN reaches them with a bad checksum and is discarded).
 */
@KernelTest
class PartialChecksumKernelTest {

    @Test
    void fullNatCompletesChecksumsLeftToOffload() throws Exception {
        try (LbLab l = new LbLab()) {
            l.lab.exec(l.client, "ethtool", "-K", "eth0", "tx", "on").orThrow();
            l.startNginx();
            l.startDataplane(new IoContext().mode(PortMode.PACKET).workers(1),
                    LbLab.spec(ForwardingMethod.FNAT, SchedulerKind.RR));
            String out = l.clientRun(Duration.ofSeconds(60), "curl", "-s", "-m", "5",
                    "http://" + LbLab.VIP + "/r[1-20]");
            assertEquals(20, out.lines().filter(x -> x.startsWith("rs")).count(), out);
            long completed = 0;
            for (PortFrameSource s : l.io.sources()) {
                for (IoPort p : s.ports()) {
                    if (p instanceof TpacketV3Port t) {
                        completed += t.checksumsCompleted();
                    }
                }
            }
            assertTrue(completed >= 20 * 3, "partial checksums completed: " + completed);
        }
    }
}

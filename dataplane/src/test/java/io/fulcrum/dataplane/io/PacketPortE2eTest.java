package io.fulcrum.dataplane.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fulcrum.dataplane.service.ForwardingMethod;
import io.fulcrum.dataplane.service.SchedulerKind;
import io.fulcrum.testkit.KernelTest;
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
            l.verifyService(LbLab.CLIENT, 5);
        }
    }
}

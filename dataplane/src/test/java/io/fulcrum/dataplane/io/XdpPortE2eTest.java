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
        run(ForwardingMethod.FNAT, LbLab.LIP, 0, false);
    }

    @Test
    void natOverAfXdp() throws Exception {
        run(ForwardingMethod.NAT, LbLab.CLIENT, 0, false);
    }

    @Test
    void directRoutingOverAfXdp() throws Exception {
        run(ForwardingMethod.DR, LbLab.CLIENT, 0, true);
    }

    @Test
    void fullNatIpv6OverAfXdp() throws Exception {
        try (LbLab l = new LbLab()) {
            l.ipv6();
            l.startNginx();
            l.startDataplane(new IoContext().mode(PortMode.XDP).workers(1), LbLab.specV6());
            l.verifyIpv6();
            l.io.close();
            l.assertNoXdpAttached();
        }
    }
}

package io.fulcrum.dataplane.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.dataplane.io.xdp.XdpSteering;
import io.fulcrum.netlink.Interfaces;
import io.fulcrum.netlink.NetNs;
import io.fulcrum.testkit.KernelTest;
import io.fulcrum.testkit.NetnsLab;
import java.net.InetAddress;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The XDP steering program: passes the verifier, attaches with a BPF link, keeps its maps, and detaches on close. */
@KernelTest
class XdpSteeringKernelTest {

    @Test
    void loadsAttachesSyncsAndDetaches() throws Exception {
        try (NetnsLab lab = NetnsLab.create()) {
            String a = lab.ns("a");
            String b = lab.ns("b");
            lab.veth(a, "eth0", b, "eth0");
            lab.addr(a, "eth0", "10.9.0.1/24");
            lab.addr(b, "eth0", "10.9.0.2/24");
            XdpSteering steering = XdpSteering.load("eth0");
            try {
                String mode = NetNs.callIn(a, () -> steering.attach(Interfaces.indexOf("eth0"), false));
                assertEquals("generic", mode);
                String link = lab.exec(a, "ip", "-d", "link", "show", "eth0").orThrow().stdout();
                assertTrue(link.contains("xdpgeneric"), link);
                InetAddress vip = InetAddress.getByName("10.9.0.100");
                InetAddress vip6 = InetAddress.getByName("fd00::100");
                assertEquals(3, steering.sync(Set.of(vip, vip6), Set.of(), Set.of(InetAddress.getByName("10.9.0.1"))));
                assertTrue(steering.steers(vip));
                assertTrue(steering.steers(vip6));
                assertEquals(1, steering.sync(Set.of(vip6), Set.of(), Set.of(InetAddress.getByName("10.9.0.1"))));
                assertFalse(steering.steers(vip));
                // Everything not owned passes to the kernel: the node's own address still answers.
                assertTrue(lab.exec(b, "ping", "-c", "1", "-W", "2", "10.9.0.1").ok());
            } finally {
                steering.close();
            }
            String after = lab.exec(a, "ip", "-d", "link", "show", "eth0").orThrow().stdout();
            assertFalse(after.contains("xdp"), after);
        }
    }
}

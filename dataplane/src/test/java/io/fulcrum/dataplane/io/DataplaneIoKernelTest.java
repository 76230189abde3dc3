package io.fulcrum.dataplane.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.dataplane.Dataplane;
import io.fulcrum.dataplane.DataplaneContext;
import io.fulcrum.dataplane.io.arp.KernelNeighbourTable;
import io.fulcrum.dataplane.service.ForwardingMethod;
import io.fulcrum.dataplane.service.SchedulerKind;
import io.fulcrum.dataplane.service.ServiceTableSpec;
import io.fulcrum.netlink.NetNs;
import io.fulcrum.testkit.Await;
import io.fulcrum.testkit.KernelTest;
import io.fulcrum.testkit.LogCapture;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Start-up checks, port selection, ARP ownership (a BACKUP stays silent) and gratuitous ARP, in namespaces. */
@KernelTest
class DataplaneIoKernelTest {

    @Test
    void missingInterfaceAndBadModeAreClearErrors() throws Exception {
        try (LbLab l = new LbLab()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> NetNs.callIn(l.lb,
                    () -> DataplaneIo.open(new IoContext().interfaces("eth0", "nope0").mode(PortMode.PACKET))));
            assertEquals("dataplane.interfaces: interface nope0 does not exist (ENODEV)", e.getMessage());
            IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> PortMode.parse("dpdk"));
            assertEquals("dataplane.port dpdk is not one of auto, xdp, packet", bad.getMessage());
            IllegalArgumentException workers = assertThrows(IllegalArgumentException.class,
                    () -> new IoContext().interfaces("eth0").workers(0).conclude());
            assertEquals("dataplane.workers 0 out of range 1..64", workers.getMessage());
            l.assertNoXdpAttached();
        }
    }

    @Test
    void warnsWhenTheKernelWouldForwardTooWithAfPacket() throws Exception {
        try (LbLab l = new LbLab(); LogCapture logs = LogCapture.attach()) {
            l.lab.sysctl(l.lb, "net.ipv4.conf.eth1.forwarding", "1");
            NetNs.callIn(l.lb, () -> DataplaneIo.open(new IoContext().interfaces("eth0", "eth1")
                    .mode(PortMode.PACKET))).close();
            assertTrue(logs.contains("net.ipv4.conf.eth1.forwarding is 1"), String.join("\n", logs.lines()));
            assertFalse(logs.contains("net.ipv4.conf.eth0.forwarding is 1"));
        }
    }

    @Test
    void refusedXdpAttachIsNamedAndAutoFallsBackToAfPacket() throws Exception {
        try (LbLab l = new LbLab()) {
            // someone else's XDP program already holds eth1
            int prog = io.fulcrum.dataplane.io.xdp.XdpLoader.load(
                    new io.fulcrum.dataplane.io.xdp.BpfAssembler().movImm(0, 2).exit(), "other");
            int link = NetNs.callIn(l.lb, () -> io.fulcrum.dataplane.io.xdp.XdpLoader.link(prog,
                    io.fulcrum.netlink.Interfaces.indexOf("eth1"), io.fulcrum.dataplane.io.xdp.XdpLoader.FLAGS_SKB_MODE,
                    "eth1"));
            try {
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> NetNs.callIn(l.lb,
                        () -> DataplaneIo.open(new IoContext().interfaces("eth0", "eth1").mode(PortMode.XDP))));
                assertTrue(e.getMessage().startsWith("dataplane.port xdp: AF_XDP unavailable: bpf(BPF_LINK_CREATE) XDP")
                        && e.getMessage().contains("on eth1 failed: E"), e.getMessage());
                DataplaneIo auto = NetNs.callIn(l.lb, () -> DataplaneIo.open(new IoContext().interfaces("eth0", "eth1")));
                try (auto) {
                    assertEquals(DataplaneIo.PortKind.AF_PACKET, auto.portKind());
                    assertTrue(auto.selectionReason().startsWith("AF_XDP unavailable: bpf(BPF_LINK_CREATE)"),
                            auto.selectionReason());
                }
                // our program on eth0 was removed again when eth1 refused
                assertFalse(l.lab.exec(l.lb, "ip", "-d", "link", "show", "eth0").orThrow().stdout().contains("xdp"));
            } finally {
                io.fulcrum.netlink.Bpf.closeFd(link);
                io.fulcrum.netlink.Bpf.closeFd(prog);
            }
            l.assertNoXdpAttached();
        }
    }

    @Test
    void moreWorkersThanQueuesIsAClearError() throws Exception {
        try (LbLab l = new LbLab()) {
            DataplaneIo io = NetNs.callIn(l.lb, () -> DataplaneIo.open(new IoContext().interfaces("eth0", "eth1")
                    .mode(PortMode.XDP).workers(2)));
            try (io) {
                Dataplane dp = Dataplane.launch(
                        new DataplaneContext().workers(2).portMacs(io.portMacs())
                                .neighbourTable(io.neighbourTable()).connectionCapacity(1024).counterEntities(16)
                                .persistenceCapacity(8).timerWheelSlots(16));
                try (dp) {
                    RuntimeException e = assertThrows(RuntimeException.class, () -> NetNs.runIn(l.lb,
                            () -> io.start(dp)));
                    assertTrue(e.getMessage().contains("eth0 queue 1") && e.getMessage().contains("EINVAL")
                            && e.getMessage().contains("dataplane.workers"), e.getMessage());
                }
            }
            l.assertNoXdpAttached();
        }
    }

    @Test
    void autoModeChoosesXdpAndLogsWhyThenDetaches() throws Exception {
        try (LbLab l = new LbLab(); LogCapture logs = LogCapture.attach()) {
            DataplaneIo io = NetNs.callIn(l.lb, () -> DataplaneIo.open(new IoContext().interfaces("eth0", "eth1")));
            try {
                assertEquals(DataplaneIo.PortKind.AF_XDP, io.portKind(), io.selectionReason());
                assertTrue(io.selectionReason().contains("generic") || io.selectionReason().contains("native"),
                        io.selectionReason());
                assertTrue(logs.lines().stream().anyMatch(s -> s.contains("dataplane: AF_XDP ports on eth0, eth1")),
                        String.join("\n", logs.lines()));
                assertTrue(l.lab.exec(l.lb, "ip", "-d", "link", "show", "eth0").orThrow().stdout().contains("xdp"));
            } finally {
                io.close();
            }
            l.assertNoXdpAttached();
        }
    }

    @Test
    void answersArpOnlyWhileOwningAndAnnouncesOnRequest() throws Exception {
        try (LbLab l = new LbLab()) {
            ServiceTableSpec master = LbLab.spec(ForwardingMethod.FNAT, SchedulerKind.RR);
            ServiceTableSpec backup = new ServiceTableSpec(master.services(), master.localAddressPools(), List.of(),
                    master.nodeAddresses());
            l.startDataplane(new IoContext().mode(PortMode.PACKET), backup);
            String lbMac = KernelNeighbourTable.formatMac(l.io.portMacs()[0]);
            // BACKUP: nobody answers for the VIP.
            l.lab.exec(Duration.ofSeconds(10), l.client, "ping", "-c", "2", "-W", "1", LbLab.VIP);
            String neigh = l.lab.exec(l.client, "ip", "neigh", "show", LbLab.VIP).stdout();
            assertFalse(neigh.contains(lbMac), "a BACKUP answered ARP: " + neigh);
            // The node's own address is still answered by the kernel.
            assertTrue(l.lab.exec(l.client, "ping", "-c", "1", "-W", "2", LbLab.LB_CLIENT_SIDE).ok());
            // MASTER: answered with the port's MAC.
            l.dataplane.publish(master);
            l.lab.exec(l.client, "ip", "neigh", "flush", "dev", "eth0");
            Await.until("ARP answer for the VIP", Duration.ofSeconds(10), () -> {
                l.lab.exec(Duration.ofSeconds(5), l.client, "ping", "-c", "1", "-W", "1", LbLab.VIP);
                return l.lab.exec(l.client, "ip", "neigh", "show", LbLab.VIP).stdout().contains(lbMac);
            });
            // Gratuitous ARP on request: a client that accepts it learns the VIP without asking.
            l.lab.sysctl(l.client, "net.ipv4.conf.eth0.arp_accept", "1");
            l.lab.exec(l.client, "ip", "neigh", "flush", "dev", "eth0");
            assertEquals(1, l.io.announce(InetAddress.getByName(LbLab.VIP)));
            Await.until("the client learned the VIP from the gratuitous ARP", Duration.ofSeconds(5),
                    () -> l.lab.exec(l.client, "ip", "neigh", "show", LbLab.VIP).stdout().contains(lbMac));
        }
    }
}

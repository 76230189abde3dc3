package io.fulcrum.vrrp.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.netlink.NetNs;
import io.fulcrum.netlink.rtnl.NetlinkMonitorContext;
import io.fulcrum.testkit.Await;
import io.fulcrum.testkit.KernelTest;
import io.fulcrum.testkit.LogCapture;
import io.fulcrum.vrrp.Vrrp;
import io.fulcrum.vrrp.VrrpContext;
import io.fulcrum.vrrp.VrrpInstance;
import io.fulcrum.vrrp.VrrpInstanceSpec;
import io.fulcrum.vrrp.VrrpState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The field failure keepalived had: 255 instances tracking one interface, the netlink monitor's buffer forced down to
 * 4 KiB, the tracked link flapped while 150 veth pairs come and go. After every link-up all 255 must be MASTER again.
 */
@KernelTest
class LinkFlapStormKernelTest {

    private static final int INSTANCES = 255;

    @Test
    void all255InstancesRecoverAfterEveryLinkUp() throws Exception {
        try (VrrpLab lab = new VrrpLab(); LogCapture log = LogCapture.attach()) {
            lab.lab.veth(lab.a, "eth1", lab.sw, "t1");
            // one shared monitor (link events and the VIP guard) forced down to a 4 KiB receive buffer
            KernelNetlink kernel = new KernelNetlink(new NetlinkMonitorContext().receiveBufferBytes(4096)
                    .forceReceiveBuffer(true));
            VrrpContext ctx = new VrrpContext().transport(RawVrrpTransport::new)
                    .ownership(() -> new KernelVipOwnership(kernel))
                    .linkStateSource(() -> new NetlinkLinkStateSource(kernel))
                    .threadInitializer(() -> NetNs.enter(lab.a));
            for (int v = 1; v <= INSTANCES; v++) {
                ctx.instance(VrrpInstanceSpec.builder("VI_" + v).interfaceName("eth0").vrid(v).version(3)
                        .priority(100).advertIntervalCentis(50).vip("10.1." + v + ".1/32")
                        .trackInterface("eth1", 0, false).garp(0, 1, 0).build());
            }
            Path add = lab.lab.workDir().resolve("add.batch");
            Path del = lab.lab.workDir().resolve("del.batch");
            StringBuilder a = new StringBuilder();
            StringBuilder d = new StringBuilder();
            for (int i = 0; i < 150; i++) {
                a.append("link add vx").append(i).append(" type veth peer name vy").append(i).append('\n');
                a.append("link set vx").append(i).append(" up\n");
                d.append("link del vx").append(i).append('\n');
            }
            Files.writeString(add, a.toString());
            Files.writeString(del, d.toString());
            try (Vrrp vrrp = Vrrp.launch(ctx)) {
                Await.until(() -> "all MASTER at start: " + count(vrrp, VrrpState.MASTER), Duration.ofSeconds(20),
                        () -> count(vrrp, VrrpState.MASTER) == INSTANCES);
                AtomicBoolean churn = new AtomicBoolean(true);
                Thread churner = Thread.ofPlatform().name("veth-churn").start(() -> {
                    for (int round = 0; round < 20 && churn.get(); round++) {
                        lab.lab.exec(Duration.ofSeconds(60), lab.a, "ip", "-force", "-batch", add.toString());
                        lab.lab.exec(Duration.ofSeconds(60), lab.a, "ip", "-force", "-batch", del.toString());
                    }
                });
                try {
                    for (int round = 1; round <= 3; round++) {
                        int flap = round;
                        Await.pause(300);
                        lab.lab.exec(lab.a, "ip", "link", "set", "eth1", "down").orThrow();
                        Await.until(() -> "flap " + flap + ": all FAULT, got " + count(vrrp, VrrpState.FAULT),
                                Duration.ofSeconds(20), () -> count(vrrp, VrrpState.FAULT) == INSTANCES);
                        lab.lab.exec(lab.a, "ip", "link", "set", "eth1", "up").orThrow();
                        Await.until(() -> "flap " + flap + ": all MASTER again, got " + count(vrrp, VrrpState.MASTER)
                                        + " MASTER, " + count(vrrp, VrrpState.FAULT) + " FAULT",
                                Duration.ofSeconds(30), () -> count(vrrp, VrrpState.MASTER) == INSTANCES);
                    }
                } finally {
                    churn.set(false);
                    churner.join(120_000);
                }
                long overruns = kernel.monitor().overruns();
                System.out.println("STORM monitor overruns: " + overruns);
                assertTrue(log.contains("Netlink reports eth1 down"));
                assertTrue(log.contains("Netlink reports eth1 up"));
                assertTrue(overruns > 0 || log.contains("Receive buffer overrun"),
                        "the 4 KiB monitor buffer never overflowed: the test did not exercise recovery");
                Await.until("all 255 VIPs configured", Duration.ofSeconds(10), () -> vipCount(lab) == INSTANCES);
            }
        }
    }

    private static long count(Vrrp vrrp, VrrpState state) {
        return vrrp.agent().instances().stream().map(VrrpInstance::state).filter(s -> s == state).count();
    }

    private static long vipCount(VrrpLab lab) {
        return lab.lab.exec(lab.a, "ip", "-o", "-4", "addr", "show", "dev", "eth0").stdout().lines()
                .filter(l -> l.contains(" 10.1.")).count();
    }

}

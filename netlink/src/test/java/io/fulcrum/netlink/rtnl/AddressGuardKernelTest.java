package io.fulcrum.netlink.rtnl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.netlink.NetNs;
import io.fulcrum.testkit.Await;
import io.fulcrum.testkit.KernelTest;
import io.fulcrum.testkit.LogCapture;
import io.fulcrum.testkit.NetnsLab;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.CompositeAgent;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The guard against a real {@code ip addr del}, with the monitor and guard on one thread inside the namespace. */
@KernelTest
class AddressGuardKernelTest {

    private NetnsLab lab;
    private String ns;
    private Rtnetlink rtnl;
    private NetlinkMonitorAgent monitor;
    private AddressGuard guard;
    private AgentRunner runner;
    private LogCapture logs;

    @BeforeEach
    void setUp() throws Exception {
        logs = LogCapture.attach();
        lab = NetnsLab.create();
        ns = lab.ns("g");
        lab.exec(ns, "ip", "link", "add", "w0", "type", "veth", "peer", "name", "w1").orThrow();
        lab.exec(ns, "ip", "link", "set", "w1", "up").orThrow();
        lab.exec(ns, "ip", "link", "set", "w0", "up").orThrow();
        rtnl = NetNs.callIn(ns, Rtnetlink::open);
        monitor = NetNs.callIn(ns, () -> new NetlinkMonitorAgent(new NetlinkMonitorContext()));
        guard = new AddressGuard(rtnl, new SystemNanoClock(), 5, Duration.ofSeconds(3));
        monitor.addListener(guard);
        runner = new AgentRunner(new SleepingMillisIdleStrategy(1), Throwable::printStackTrace, null,
                new CompositeAgent(monitor, guard));
        AgentRunner.startOnThread(runner, NetNs.threadFactory(ns));
    }

    @AfterEach
    void tearDown() {
        runner.close();
        monitor.close();
        rtnl.close();
        lab.close();
        logs.close();
    }

    private boolean present() {
        return lab.exec(ns, "ip", "-o", "addr", "show", "dev", "w0").stdout().contains("inet 10.5.0.1/24");
    }

    @Test
    void restoresADeletedAddressWithinOneSecondAndDoesNotSpin() throws Exception {
        int w0 = rtnl.indexOf("w0");
        guard.own(w0, InetAddress.getByName("10.5.0.1"), 24, "(VI_1)");
        assertTrue(present());

        lab.exec(ns, "ip", "addr", "del", "10.5.0.1/24", "dev", "w0").orThrow();
        long t0 = System.nanoTime();
        Await.until("owned address back", Duration.ofSeconds(1), this::present);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        logs.await("Netlink: owned address 10.5.0.1/24 of (VI_1) was removed from w0 by another agent",
                Duration.ofSeconds(1));
        logs.await("Netlink: restored owned address 10.5.0.1/24 of (VI_1) on w0", Duration.ofSeconds(1));
        assertTrue(ms < 1000, "restored after " + ms + " ms");

        // Fight: delete it 50 times in a row (one ip -batch, with -force to go on when it is already gone).
        Path batch = lab.workDir().resolve("fight.batch");
        Files.writeString(batch, "addr del 10.5.0.1/24 dev w0\n".repeat(50));
        long fightStart = System.nanoTime();
        for (int round = 0; round < 10; round++) {
            lab.exec(ns, "ip", "-force", "-batch", batch.toString());
            Await.pause(20);
        }
        long fightMs = (System.nanoTime() - fightStart) / 1_000_000;
        logs.await("another agent is fighting Fulcrum over it; backing off", Duration.ofSeconds(2));
        // Bounded: at most 5 restores per 3 s window (plus the first one above), however many deletions happened.
        long windows = 1 + fightMs / 3000 + 1;
        assertTrue(guard.restores() <= 5 * windows + 1, "restores " + guard.restores() + " in " + fightMs + " ms");
        assertTrue(guard.backoffs() >= 1);
        // After the window the guard restores it again.
        Await.until("owned address back after backing off", Duration.ofSeconds(5), this::present);
        logs.await("Netlink: resuming restores of owned address 10.5.0.1/24", Duration.ofSeconds(1));
        assertEquals(1, guard.ownedAddresses().size());
    }

    @Test
    void followsItsInterfaceWhenItIsCreatedAgain() throws Exception {
        int oldIndex = rtnl.indexOf("w0");
        guard.own(oldIndex, InetAddress.getByName("10.5.0.1"), 24, "(VI_1)");
        lab.exec(ns, "ip", "link", "del", "w0").orThrow();
        logs.await("Netlink: interface w0 carrying owned address 10.5.0.1/24 of (VI_1) was removed",
                Duration.ofSeconds(2));
        lab.exec(ns, "ip", "link", "add", "w0", "type", "veth", "peer", "name", "w1").orThrow();
        Await.until("owned address restored on the new w0", Duration.ofSeconds(1), this::present);
        int newIndex = rtnl.indexOf("w0");
        assertTrue(newIndex != oldIndex);
        assertEquals(newIndex, guard.ownedAddresses().get(0).ifindex());
        logs.await("Netlink: interface w0 is back (index " + newIndex + "); restoring owned address 10.5.0.1/24",
                Duration.ofSeconds(1));
    }
}

package io.fulcrum.vrrp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.testkit.Await;
import io.fulcrum.testkit.LogCapture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** track_interface / track_script / track_file, sync groups and notifications, on the virtual clock. */
class TrackingAndSyncTest {

    private LogCapture log;
    private final EngineHarness h = new EngineHarness();

    @BeforeEach
    void attach() {
        log = LogCapture.attach();
    }

    @AfterEach
    void detach() {
        h.engines.forEach(VrrpAgent::onClose);
        log.close();
    }

    private static VrrpInstanceSpec.Builder vi(String name, int vrid, int prio) {
        return VrrpInstanceSpec.builder(name).interfaceName("eth0").vrid(vrid).version(3).priority(prio)
                .vip("10.0." + vrid + ".100/24").garp(0, 1, 0);
    }

    @Test
    void weightedTrackInterfaceLowersPriorityAndHandsOver() {
        VrrpAgent a = h.engine("10.0.0.1", null, c -> c.instance(vi("VI_1", 1, 150).trackInterface("eth1", -60,
                false).build()));
        VrrpAgent b = h.engine("10.0.0.2", null, c -> c.instance(vi("VI_1", 1, 100).build()));
        h.startAll();
        h.runUntil(5000, () -> a.instance("VI_1").state() == VrrpState.MASTER);
        a.linkListener().onLinkState("eth1", false);
        h.run(1);
        assertTrue(log.contains("Netlink reports eth1 down"));
        assertTrue(log.contains("(VI_1) Changing effective priority from 150 to 90"));
        assertEquals(90, a.instance("VI_1").effectivePriority());
        h.runUntil(5000, () -> b.instance("VI_1").state() == VrrpState.MASTER);
        h.runUntil(100, () -> a.instance("VI_1").state() == VrrpState.BACKUP);
        a.linkListener().onLinkState("eth1", true);
        h.runUntil(5000, () -> a.instance("VI_1").state() == VrrpState.MASTER);
        assertTrue(log.contains("(VI_1) Changing effective priority from 90 to 150"));
    }

    @Test
    void ownInterfaceDownForcesFaultAndUpRecovers() {
        VrrpAgent a = h.engine("10.0.0.1", null, c -> c.instance(vi("VI_1", 1, 150).build()));
        h.startAll();
        h.runUntil(5000, () -> a.instance("VI_1").state() == VrrpState.MASTER);
        a.linkListener().onLinkState("eth0", false);
        h.run(1);
        assertEquals(VrrpState.FAULT, a.instance("VI_1").state());
        assertTrue(log.contains("Netlink reports eth0 down"));
        assertTrue(log.contains("(VI_1) Entering FAULT STATE"));
        assertTrue(h.owners.get(0).owned.isEmpty());
        a.linkListener().onLinkState("eth0", true);
        h.run(1);
        assertEquals(VrrpState.BACKUP, a.instance("VI_1").state());
        h.runUntil(5000, () -> a.instance("VI_1").state() == VrrpState.MASTER);
    }

    @Test
    void reverseTrackInterfaceTreatsUpAsDown() {
        VrrpAgent a = h.engine("10.0.0.1", null, c -> c.instance(vi("VI_1", 1, 150).trackInterface("eth9", 0, true)
                .build()));
        a.linkListener().onLinkState("eth9", true);
        h.startAll();
        assertEquals(VrrpState.FAULT, a.instance("VI_1").state());
        assertTrue(log.contains("(VI_1) Entering FAULT STATE (init)"));
        a.linkListener().onLinkState("eth9", false);
        h.run(1);
        assertEquals(VrrpState.BACKUP, a.instance("VI_1").state());
    }

    @Test
    void syncGroupMembersFollowEachOther() {
        VrrpAgent a = h.engine("10.0.0.1", null, c -> c.instance(vi("VI_1", 1, 150).build())
                .instance(vi("VI_2", 2, 150).build())
                .syncGroup(new VrrpSyncGroupSpec("G1", List.of("VI_1", "VI_2"), null)));
        VrrpAgent b = h.engine("10.0.0.2", null, c -> c.instance(vi("VI_1", 1, 200).build()));
        h.start(a);
        h.runUntil(5000, () -> a.instance("VI_1").state() == VrrpState.MASTER
                && a.instance("VI_2").state() == VrrpState.MASTER);
        assertTrue(log.contains("VRRP_Group(G1) Syncing instances to MASTER state"));
        h.start(b);
        // b outranks a on VI_1 only; VI_2 must follow VI_1 into BACKUP
        h.runUntil(10_000, () -> b.instance("VI_1").state() == VrrpState.MASTER);
        h.runUntil(100, () -> a.instance("VI_2").state() == VrrpState.BACKUP);
        assertTrue(log.contains("VRRP_Group(G1) Syncing instances to BACKUP state"));
        // a fault on one member takes the whole group to FAULT
        a.linkListener().onLinkState("eth0", false);
        h.run(1);
        assertEquals(VrrpState.FAULT, a.instance("VI_2").state());
    }

    @Test
    void trackFileWeightAndFault(@TempDir Path dir) throws Exception {
        Path weighted = dir.resolve("w");
        Path fault = dir.resolve("f");
        Files.writeString(weighted, "0\n");
        Files.writeString(fault, "0\n");
        VrrpAgent a = h.engine("10.0.0.1", null, c -> c.instance(vi("VI_1", 1, 100).trackFile(weighted, -2)
                .trackFile(fault, 0).build()));
        h.startAll();
        assertEquals(100, a.instance("VI_1").effectivePriority());
        a.post(new VrrpMessage.FileValue(weighted, 10));
        h.run(1);
        assertEquals(80, a.instance("VI_1").effectivePriority());
        assertTrue(log.contains("(VI_1) Changing effective priority from 100 to 80"));
        a.post(new VrrpMessage.FileValue(fault, 1));
        h.run(1);
        assertEquals(VrrpState.FAULT, a.instance("VI_1").state());
        // the real file poller (a separate thread) reads the file and posts the value
        Files.writeString(fault, "0\n");
        Await.until("track_file poller cleared the fault", Duration.ofSeconds(5), () -> {
            h.run(1);
            return a.instance("VI_1").state() == VrrpState.BACKUP;
        });
    }

    @Test
    void trackScriptRiseFallAndWeight() {
        VrrpScriptSpec chk = new VrrpScriptSpec("chk", "/bin/false", 100_000, 1000, -30, 2, 2, null, false);
        VrrpAgent a = h.engine("10.0.0.1", null, c -> c.script(chk).instance(vi("VI_1", 1, 100)
                .trackScript("chk", null, false).build()));
        h.startAll();
        // the real runner ran /bin/false once (interval 100 s): one failure is below fall 2
        Await.until("time for the first real run to be posted", Duration.ofSeconds(5), () -> {
            h.run(1);
            return timeWaited(500);
        });
        assertEquals(100, a.instance("VI_1").effectivePriority());
        a.post(new VrrpMessage.ScriptResult("chk", 1, false));
        h.run(1);
        assertEquals(70, a.instance("VI_1").effectivePriority());
        assertTrue(log.contains("VRRP_Script(chk) failed (exited with status 1)"));
        a.post(new VrrpMessage.ScriptResult("chk", 0, false));
        h.run(1);
        assertEquals(70, a.instance("VI_1").effectivePriority(), "rise 2 needs two successes");
        a.post(new VrrpMessage.ScriptResult("chk", 0, false));
        h.run(1);
        assertEquals(100, a.instance("VI_1").effectivePriority());
        assertTrue(log.contains("VRRP_Script(chk) succeeded"));
    }

    private long waitedSince;

    private boolean timeWaited(long ms) {
        if (waitedSince == 0) {
            waitedSince = System.nanoTime();
        }
        return System.nanoTime() - waitedSince > ms * 1_000_000L;
    }

    @Test
    void zeroWeightScriptFailureForcesFaultWithoutBlockingTheLoop(@TempDir Path dir) throws Exception {
        // a script that hangs past its timeout: the VRRP loop keeps running meanwhile
        VrrpScriptSpec slow = new VrrpScriptSpec("slow", "sleep 5", 100_000, 300, 0, 1, 1, null, false);
        VrrpAgent a = h.engine("10.0.0.1", null, c -> c.script(slow).instance(vi("VI_1", 1, 100)
                .trackScript("slow", null, false).build()));
        h.startAll();
        long t0 = System.nanoTime();
        h.run(5000); // 5000 virtual ms of timers, on this thread, while the script hangs
        assertTrue(System.nanoTime() - t0 < 3_000_000_000L, "the loop was blocked");
        assertEquals(VrrpState.MASTER, a.instance("VI_1").state());
        Await.until("the timed-out script forces FAULT", Duration.ofSeconds(5), () -> {
            h.run(1);
            return a.instance("VI_1").state() == VrrpState.FAULT;
        });
        assertTrue(log.contains("VRRP_Script(slow) timed out"));
    }

    @Test
    void notifyFifoAndNotifyScriptFollowKeepalivedConventions(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("fifo");
        Path out = dir.resolve("notify.out");
        Path script = dir.resolve("notify.sh");
        Files.writeString(script, "#!/bin/sh\necho \"$@\" >> " + out + "\n");
        script.toFile().setExecutable(true);
        Path master = dir.resolve("master.out");
        NotifySpec n = new NotifySpec("touch " + master, null, null, null, script.toString());
        VrrpAgent a = h.engine("10.0.0.1", null, c -> c.notifyFifo(fifo).instance(vi("VI_1", 1, 150).notify(n)
                .build()));
        h.startAll();
        h.runUntil(5000, () -> a.instance("VI_1").state() == VrrpState.MASTER);
        Await.until("fifo lines", Duration.ofSeconds(5), () -> read(fifo).contains("INSTANCE \"VI_1\" MASTER 150"));
        assertTrue(read(fifo).startsWith("INSTANCE \"VI_1\" BACKUP 150\n"), read(fifo));
        Await.until("notify script lines", Duration.ofSeconds(5), () -> read(out).contains("INSTANCE VI_1 MASTER 150"));
        assertTrue(read(out).contains("INSTANCE VI_1 BACKUP 150"));
        Await.until("notify_master ran", Duration.ofSeconds(5), () -> Files.exists(master));
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }
}

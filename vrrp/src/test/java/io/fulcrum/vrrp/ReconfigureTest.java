package io.fulcrum.vrrp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.testkit.LogCapture;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Instances added, removed and changed on the VRRP thread while unchanged ones keep running (virtual clock). */
class ReconfigureTest {

    private final EngineHarness h = new EngineHarness();
    private LogCapture log;

    @BeforeEach
    void attach() {
        log = LogCapture.attach();
    }

    @AfterEach
    void detach() {
        log.close();
    }

    private static VrrpInstanceSpec vi(String name, int vrid, int prio) {
        return VrrpInstanceSpec.builder(name).interfaceName("eth0").vrid(vrid).version(3).priority(prio)
                .advertIntervalCentis(10).vip("10.0.0." + vrid + "/24").garp(0, 1, 0).build();
    }

    private <T> T apply(CompletableFuture<T> f) {
        h.settle();
        assertTrue(f.isDone());
        return f.join();
    }

    @Test
    void unchangedInstancesKeepRunningChangedOnesRestartNewOnesStartRemovedOnesStop() {
        VrrpAgent a = h.engine("10.0.0.1", null, c -> c.instance(vi("VI_1", 51, 150)).instance(vi("VI_2", 52, 150)));
        VrrpAgent b = h.engine("10.0.0.2", null, c -> c.instance(vi("VI_1", 51, 100)).instance(vi("VI_2", 52, 100)));
        h.startAll();
        h.runUntil(2000, () -> a.instance("VI_1").state() == VrrpState.MASTER
                && a.instance("VI_2").state() == VrrpState.MASTER);
        h.run(500);
        VrrpInstance vi1 = a.instance("VI_1");
        long sent = a.stat("VI_1", VrrpStat.ADVERT_SENT);
        int callsBefore = h.owners.get(0).calls.size();

        // VI_1 unchanged, VI_2 now below the peer, VI_3 new
        VrrpAgent.Reconfiguration r = apply(a.reconfigure(List.of(vi("VI_1", 51, 150), vi("VI_2", 52, 90),
                vi("VI_3", 53, 150))));
        assertEquals(List.of("VI_1"), r.kept());
        assertEquals(List.of("VI_2"), r.restarted());
        assertEquals(List.of("VI_3"), r.added());
        assertEquals(List.of(), r.removed());

        assertSame(vi1, a.instance("VI_1"), "the unchanged instance is the same running object");
        assertEquals(VrrpState.MASTER, vi1.state());
        assertEquals(1, a.stat("VI_1", VrrpStat.BECOME_MASTER), "VI_1 never left MASTER");
        assertTrue(a.stat("VI_1", VrrpStat.ADVERT_SENT) >= sent, "VI_1 counters kept");
        List<String> calls = h.owners.get(0).calls.subList(callsBefore, h.owners.get(0).calls.size());
        assertFalse(calls.contains("release VI_1"), calls.toString());
        assertTrue(calls.contains("release VI_2"), calls.toString());
        assertTrue(log.contains("(VI_2) sent 0 priority"));

        // the peer takes VI_2 after its skew time; VI_3 (no peer) becomes MASTER on its own; VI_1 stays
        h.runUntil(1000, () -> b.instance("VI_2").state() == VrrpState.MASTER);
        h.runUntil(1000, () -> a.instance("VI_3").state() == VrrpState.MASTER);
        h.run(300);
        assertEquals(VrrpState.BACKUP, a.instance("VI_2").state());
        assertEquals(90, a.instance("VI_2").effectivePriority());
        assertEquals(VrrpState.MASTER, vi1.state());
        assertEquals(VrrpState.BACKUP, b.instance("VI_1").state());
        assertEquals(1, a.stat("VI_1", VrrpStat.BECOME_MASTER));
        assertTrue(h.owners.get(0).owned.contains("10.0.0.53"));
        assertTrue(a.stat("VI_3", VrrpStat.ADVERT_SENT) > 0);

        // VI_3 removed: priority 0, its address released, no longer known; the others untouched
        r = apply(a.reconfigure(List.of(vi("VI_1", 51, 150), vi("VI_2", 52, 90))));
        assertEquals(List.of("VI_3"), r.removed());
        assertEquals(List.of("VI_1", "VI_2"), r.kept());
        assertFalse(h.owners.get(0).owned.contains("10.0.0.53"));
        assertThrows(IllegalArgumentException.class, () -> a.instance("VI_3"));
        assertEquals(2, a.instances().size());
        h.run(300);
        assertEquals(VrrpState.MASTER, vi1.state());
        assertEquals(1, a.stat("VI_1", VrrpStat.BECOME_MASTER));
    }

    @Test
    void refusedSetsChangeNothing() {
        VrrpAgent a = h.engine("10.0.0.1", null, c -> c.instance(vi("VI_1", 51, 150)).instance(vi("VI_2", 52, 150))
                .syncGroup(new VrrpSyncGroupSpec("G1", List.of("VI_2"), NotifySpec.NONE)));
        h.startAll();
        h.runUntil(2000, () -> a.instance("VI_1").state() == VrrpState.MASTER);
        VrrpInstance vi1 = a.instance("VI_1");
        // a duplicate VRID is refused at once
        assertThrows(IllegalArgumentException.class,
                () -> a.reconfigure(List.of(vi("VI_1", 51, 150), vi("VI_2", 52, 150), vi("VI_3", 51, 100))));
        // a sync group member cannot change in place
        CompletableFuture<VrrpAgent.Reconfiguration> f = a.reconfigure(List.of(vi("VI_1", 51, 120),
                vi("VI_2", 52, 140)));
        h.settle();
        CompletionException e = assertThrows(CompletionException.class, f::join);
        assertTrue(e.getCause().getMessage().contains("VI_2 belongs to a vrrp_sync_group"), e.getMessage());
        assertSame(vi1, a.instance("VI_1"));
        assertEquals(150, a.instance("VI_1").spec().priority());
        assertEquals(VrrpState.MASTER, a.instance("VI_1").state());
    }
}

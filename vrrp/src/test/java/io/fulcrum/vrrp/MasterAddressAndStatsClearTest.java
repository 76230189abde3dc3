package io.fulcrum.vrrp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The master's address as each node sees it, and stats-clear through the command inbox, on a virtual clock. */
class MasterAddressAndStatsClearTest {

    private final EngineHarness h = new EngineHarness();

    private static VrrpInstanceSpec.Builder vi(String name, int vrid, int prio) {
        return VrrpInstanceSpec.builder(name).interfaceName("eth0").vrid(vrid).version(3).priority(prio)
                .advertIntervalCentis(10).vip("10.0.0." + vrid + "/24").garp(0, 1, 0);
    }

    private static String master(VrrpAgent a, String name) {
        var m = a.instance(name).masterAddress();
        return m == null ? null : m.getHostAddress();
    }

    @Test
    void backupReportsTheMastersAddressAndTheMasterItsOwn() {
        VrrpAgent a = h.engine("10.0.0.1", null, c -> c.instance(vi("VI_1", 51, 150).build()));
        VrrpAgent b = h.engine("10.0.0.2", null, c -> c.instance(vi("VI_1", 51, 100).build()));
        h.startAll();
        assertNull(master(b, "VI_1"), "no master heard yet");
        h.runUntil(2000, () -> a.instance("VI_1").state() == VrrpState.MASTER);
        h.run(300);
        assertEquals(VrrpState.BACKUP, b.instance("VI_1").state());
        assertEquals("10.0.0.1", master(b, "VI_1"));
        assertEquals("10.0.0.1", master(a, "VI_1"));

        // the master dies: the backup takes over and reports itself
        h.node(0).unplugged = true;
        h.runUntil(2000, () -> b.instance("VI_1").state() == VrrpState.MASTER);
        assertEquals("10.0.0.2", master(b, "VI_1"));

        // the old master returns with its higher priority: the other node goes back to BACKUP and reports it again
        h.node(0).unplugged = false;
        h.runUntil(2000, () -> b.instance("VI_1").state() == VrrpState.BACKUP);
        h.run(300);
        assertEquals("10.0.0.1", master(b, "VI_1"));

        // a graceful stop: the instance no longer knows a master
        a.onClose();
        assertNull(master(a, "VI_1"));
    }

    @Test
    void unicastSourceIsTheMasterAddress() {
        VrrpAgent a = h.engine("10.0.0.1", null, c -> c.instance(vi("VI_1", 51, 150)
                .unicastSrcIp("10.0.0.11").unicastPeer("10.0.0.2").build()));
        VrrpAgent b = h.engine("10.0.0.2", null, c -> c.instance(vi("VI_1", 51, 100)
                .unicastSrcIp("10.0.0.2").unicastPeer("10.0.0.11").build()));
        h.startAll();
        h.runUntil(2000, () -> a.instance("VI_1").state() == VrrpState.MASTER);
        h.run(300);
        assertEquals("10.0.0.11", master(a, "VI_1"));
        assertEquals("10.0.0.11", master(b, "VI_1"));
    }

    @Test
    void statsClearZeroesOnTheVrrpThreadOneInstanceOrAll() {
        VrrpAgent a = h.engine("10.0.0.1", null, c -> c.instance(vi("VI_1", 51, 150).build())
                .instance(vi("VI_2", 52, 150).build()));
        VrrpAgent b = h.engine("10.0.0.2", null, c -> c.instance(vi("VI_1", 51, 100).build())
                .instance(vi("VI_2", 52, 100).build()));
        h.startAll();
        h.runUntil(2000, () -> a.instance("VI_2").state() == VrrpState.MASTER);
        h.run(500);
        assertTrue(a.stat("VI_1", VrrpStat.ADVERT_SENT) > 3);
        assertEquals(1, a.stat("VI_1", VrrpStat.BECOME_MASTER));

        CompletableFuture<Integer> one = a.clearStats("VI_1");
        // posted, not yet run: the counters belong to the VRRP thread
        assertFalse(one.isDone());
        assertTrue(a.stat("VI_1", VrrpStat.ADVERT_SENT) > 3);
        h.settle();
        assertTrue(one.isDone());
        assertEquals(1, one.join());
        assertEquals(0, a.stat("VI_1", VrrpStat.ADVERT_SENT));
        assertEquals(0, a.stat("VI_1", VrrpStat.BECOME_MASTER));
        assertTrue(a.stat("VI_2", VrrpStat.ADVERT_SENT) > 3, "the other instance keeps its counters");
        h.run(250);
        long after = a.stat("VI_1", VrrpStat.ADVERT_SENT);
        assertTrue(after >= 2 && after <= 3, "counting resumes from zero: " + after);

        assertTrue(b.stat("VI_2", VrrpStat.ADVERT_RCVD) > 3);
        CompletableFuture<Integer> all = b.clearStats(null);
        h.settle();
        assertEquals(2, all.join());
        for (String n : new String[] {"VI_1", "VI_2"}) {
            for (VrrpStat s : VrrpStat.values()) {
                assertEquals(0, b.stat(n, s), n + " " + s);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> a.clearStats("VI_9"));
    }
}

package io.fulcrum.vrrp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** garp_master_delay / garp_master_refresh scheduling on the virtual clock, and vrrp_script's user. */
class GarpAndScriptUserTest {

    private static long announces(EngineHarness h) {
        return h.owners.get(0).calls.stream().filter(c -> c.startsWith("announce VI_1 x3")).count();
    }

    @Test
    void garpBurstAtMasterThenAfterDelayThenEveryRefresh() {
        EngineHarness h = new EngineHarness();
        VrrpAgent a = h.engine("10.0.0.1", null, c -> c.instance(VrrpInstanceSpec.builder("VI_1")
                .interfaceName("eth0").vrid(1).version(3).priority(255).vip("10.0.0.100/24")
                .garp(5000, 3, 60_000).build()));
        h.startAll();
        assertEquals(VrrpState.MASTER, a.instance("VI_1").state());
        assertEquals(1, announces(h), "burst on entering MASTER");
        h.run(4999);
        assertEquals(1, announces(h));
        h.run(1);
        assertEquals(2, announces(h), "second burst after garp_master_delay");
        h.run(60_000);
        assertEquals(3, announces(h), "refresh after garp_master_refresh");
        h.run(60_000);
        assertEquals(4, announces(h));
        a.onClose();
        h.run(120_000);
        assertEquals(4, announces(h), "no announcements once released");
        assertTrue(h.owners.get(0).calls.contains("release VI_1"));
    }

    @Test
    void scriptRunsAsTheConfiguredUser() {
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "switching user needs root");
        VrrpScriptSpec asNobody = new VrrpScriptSpec("u", "sh -c 'test \"$(id -un)\" = nobody'", 1000, 5000, 0, 1,
                1, "nobody", false);
        VrrpMessage.ScriptResult r = VrrpScriptRunner.runOnce(asNobody);
        assertFalse(r.timedOut());
        assertEquals(0, r.exitCode(), "the script did not run as nobody");
        VrrpScriptSpec asMe = new VrrpScriptSpec("u", "sh -c 'test \"$(id -un)\" = nobody'", 1000, 5000, 0, 1, 1,
                null, false);
        assertEquals(1, VrrpScriptRunner.runOnce(asMe).exitCode());
    }

    @Test
    void scriptPastItsTimeoutIsKilledAndFails() {
        VrrpScriptSpec slow = new VrrpScriptSpec("slow", "sleep 10", 1000, 200, 0, 1, 1, null, false);
        long t0 = System.nanoTime();
        VrrpMessage.ScriptResult r = VrrpScriptRunner.runOnce(slow);
        assertTrue(r.timedOut());
        assertTrue(System.nanoTime() - t0 < 3_000_000_000L);
    }
}

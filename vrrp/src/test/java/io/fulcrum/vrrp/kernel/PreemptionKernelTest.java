package io.fulcrum.vrrp.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.testkit.Await;
import io.fulcrum.testkit.InteropTest;
import io.fulcrum.testkit.LogCapture;
import io.fulcrum.vrrp.Vrrp;
import io.fulcrum.vrrp.VrrpInstanceSpec;
import io.fulcrum.vrrp.VrrpState;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** preempt, nopreempt, preempt_delay (RFC 5798 §6.4.2) and the tie-break on the primary address, against keepalived. */
@InteropTest
class PreemptionKernelTest {

    static VrrpInstanceSpec.Builder spec(int priority) {
        return VrrpInstanceSpec.builder("VI_1").interfaceName("eth0").vrid(51).version(3).priority(priority)
                .advertIntervalCentis(50).vip("10.0.0.100/24").garp(0, 1, 0);
    }

    static String ka(int priority) {
        return "  state BACKUP\n  interface eth0\n  virtual_router_id 51\n  priority " + priority
                + "\n  advert_int 0.5\n  version 3\n  virtual_ipaddress {\n    10.0.0.100/24\n  }\n";
    }

    @Test
    void nopreemptLeavesKeepalivedMaster() {
        try (VrrpLab lab = new VrrpLab(); KeepalivedPeer ka = new KeepalivedPeer(lab.lab, lab.b, "ka")) {
            ka.start(ka(100));
            ka.awaitState("MASTER", Duration.ofSeconds(10));
            try (Vrrp f = lab.fulcrum(lab.a, spec(150).preempt(false).build())) {
                Await.pause(5000); // more than two Master_Down_Intervals (1.8 s)
                assertEquals(VrrpState.BACKUP, f.agent().instance("VI_1").state());
                assertEquals("MASTER", ka.state());
            }
        }
    }

    @Test
    void preemptDelayHoldsOffThenTakesOver() {
        try (VrrpLab lab = new VrrpLab(); LogCapture log = LogCapture.attach();
             KeepalivedPeer ka = new KeepalivedPeer(lab.lab, lab.b, "ka")) {
            ka.start(ka(100));
            ka.awaitState("MASTER", Duration.ofSeconds(10));
            long t0 = System.nanoTime();
            try (Vrrp f = lab.fulcrum(lab.a, spec(150).preemptDelayMillis(3000).build())) {
                Await.until("Fulcrum MASTER", Duration.ofSeconds(10),
                        () -> f.agent().instance("VI_1").state() == VrrpState.MASTER);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertTrue(ms >= 3000, "preempted after " + ms + " ms, before preempt_delay 3 s");
                assertTrue(log.contains("(VI_1) start preempt delay (3.000000)"));
                ka.awaitState("BACKUP", Duration.ofSeconds(5));
            }
        }
    }

    @Test
    void tieBreakPicksTheHigherPrimaryAddress() {
        try (VrrpLab lab = new VrrpLab("10.0.0.9", "10.0.0.2"); LogCapture log = LogCapture.attach();
             KeepalivedPeer ka = new KeepalivedPeer(lab.lab, lab.b, "ka")) {
            // both start cut off from each other, so both become MASTER; then the segment joins
            lab.lab.exec(lab.sw, "nft", "add table bridge cut; add chain bridge cut c { type filter hook forward"
                    + " priority 0; policy drop; }").orThrow();
            ka.start(ka(100));
            try (Vrrp f = lab.fulcrum(lab.a, spec(100).build())) {
                ka.awaitState("MASTER", Duration.ofSeconds(10));
                Await.until("Fulcrum MASTER", Duration.ofSeconds(10),
                        () -> f.agent().instance("VI_1").state() == VrrpState.MASTER);
                lab.lab.exec(lab.sw, "nft", "delete table bridge cut").orThrow();
                ka.awaitState("BACKUP", Duration.ofSeconds(10));
                assertTrue(ka.log().contains("with same priority 100 but higher IP address than ours"), ka.tail());
                Await.pause(2000);
                assertEquals(VrrpState.MASTER, f.agent().instance("VI_1").state());
                assertTrue(log.contains("Received advert from 10.0.0.2 with lower priority 100, ours 100")
                        || log.contains("(VI_1) Entering MASTER STATE"));
            }
        }
    }
}

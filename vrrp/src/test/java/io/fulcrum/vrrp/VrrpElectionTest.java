package io.fulcrum.vrrp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.testkit.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two (or more) engines on a fake LAN and a virtual clock: elections, failover, preemption, tie-break. */
class VrrpElectionTest {

    private LogCapture log;
    private final EngineHarness h = new EngineHarness();

    @BeforeEach
    void attach() {
        log = LogCapture.attach();
    }

    @AfterEach
    void detach() {
        log.close();
    }

    static VrrpInstanceSpec.Builder vi(int version, int prio) {
        return VrrpInstanceSpec.builder("VI_1").interfaceName("eth0").vrid(51).version(version).priority(prio)
                .vip("10.0.0.100/24").garp(0, 1, 0);
    }

    private VrrpAgent node(String addr, VrrpInstanceSpec spec) {
        return h.engine(addr, null, c -> c.instance(spec));
    }

    private static VrrpState st(VrrpAgent a) {
        return a.instance("VI_1").state();
    }

    @Test
    void higherPriorityIsElectedAndOwnsTheAddresses() {
        VrrpAgent a = node("10.0.0.1", vi(2, 150).build());
        VrrpAgent b = node("10.0.0.2", vi(2, 100).build());
        h.startAll();
        assertEquals(VrrpState.BACKUP, st(a));
        assertTrue(log.contains("(VI_1) Entering BACKUP STATE (init)"));
        h.runUntil(5000, () -> st(a) == VrrpState.MASTER);
        h.run(3000);
        assertEquals(VrrpState.MASTER, st(a));
        assertEquals(VrrpState.BACKUP, st(b));
        assertTrue(h.owners.get(0).owned.contains("10.0.0.100"));
        assertTrue(h.owners.get(1).owned.isEmpty());
        assertTrue(log.contains("(VI_1) Entering MASTER STATE"));
        assertTrue(a.stat("VI_1", VrrpStat.ADVERT_SENT) >= 3);
        assertTrue(b.stat("VI_1", VrrpStat.ADVERT_RCVD) >= 3);
        assertEquals(1, a.stat("VI_1", VrrpStat.BECOME_MASTER));
    }

    @Test
    void sigkillFailoverV2TakesMasterDownInterval() {
        VrrpAgent a = node("10.0.0.1", vi(2, 150).build());
        VrrpAgent b = node("10.0.0.2", vi(2, 100).build());
        h.startAll();
        h.runUntil(5000, () -> st(a) == VrrpState.MASTER);
        h.run(2000);
        // let an advert just have been received, then cut the master off
        long sentBefore = a.stat("VI_1", VrrpStat.ADVERT_SENT);
        h.runUntil(1100, () -> a.stat("VI_1", VrrpStat.ADVERT_SENT) > sentBefore);
        h.node(0).unplugged = true;
        long ms = h.runUntil(5000, () -> st(b) == VrrpState.MASTER);
        // RFC 3768: 3 x 1 s + (256 - 100) / 256 s = 3609.4 ms
        assertTrue(ms >= 3609 && ms <= 3611, "took " + ms + " ms");
        assertTrue(log.contains("(VI_1) Receive advertisement timeout"));
        assertTrue(h.owners.get(1).owned.contains("10.0.0.100"));
    }

    @Test
    void sigkillFailoverV3CentisecondInterval() {
        VrrpAgent a = node("10.0.0.1", vi(3, 150).advertIntervalCentis(10).build());
        VrrpAgent b = node("10.0.0.2", vi(3, 100).advertIntervalCentis(10).build());
        h.startAll();
        h.runUntil(2000, () -> st(a) == VrrpState.MASTER);
        h.run(500);
        long sentBefore = a.stat("VI_1", VrrpStat.ADVERT_SENT);
        h.runUntil(200, () -> a.stat("VI_1", VrrpStat.ADVERT_SENT) > sentBefore);
        h.node(0).unplugged = true;
        long ms = h.runUntil(2000, () -> st(b) == VrrpState.MASTER);
        // RFC 5798 §6.1: 3 x 100 ms + (256 - 100) x 100 ms / 256 = 360.9 ms
        assertTrue(ms >= 360 && ms <= 362, "took " + ms + " ms");
    }

    @Test
    void gracefulStopSendsPriorityZeroAndPeerTakesOverAfterSkew() {
        VrrpAgent a = node("10.0.0.1", vi(2, 150).build());
        VrrpAgent b = node("10.0.0.2", vi(2, 100).build());
        h.startAll();
        h.runUntil(5000, () -> st(a) == VrrpState.MASTER);
        h.run(1500);
        a.onClose();
        assertEquals(VrrpState.STOP, st(a));
        assertEquals(1, a.stat("VI_1", VrrpStat.PRI_ZERO_SENT));
        assertTrue(h.owners.get(0).owned.isEmpty());
        long ms = h.runUntil(2000, () -> st(b) == VrrpState.MASTER);
        // RFC 3768 Skew_Time = (256 - 100) / 256 s = 609.4 ms
        assertTrue(ms >= 609 && ms <= 611, "took " + ms + " ms");
        assertEquals(1, b.stat("VI_1", VrrpStat.PRI_ZERO_RCVD));
        assertTrue(log.contains("(VI_1) Backup received priority 0 advertisement"));
    }

    @Test
    void higherPriorityPreemptsARunningMaster() {
        VrrpAgent b = node("10.0.0.2", vi(2, 100).build());
        VrrpAgent a = node("10.0.0.1", vi(2, 150).build());
        h.start(b);
        h.runUntil(5000, () -> st(b) == VrrpState.MASTER);
        h.start(a);
        h.runUntil(5000, () -> st(a) == VrrpState.MASTER);
        h.runUntil(100, () -> st(b) == VrrpState.BACKUP);
        assertTrue(log.contains("(VI_1) received lower priority (100) advert from 10.0.0.2 - discarding"));
        assertTrue(log.contains("(VI_1) Master received advert from 10.0.0.1 with higher priority 150, ours 100"));
        assertEquals(1, b.stat("VI_1", VrrpStat.RELEASE_MASTER));
        assertTrue(h.owners.get(0).owned.isEmpty());
    }

    @Test
    void nopreemptLeavesTheRunningMasterAlone() {
        VrrpAgent b = node("10.0.0.2", vi(2, 100).build());
        VrrpAgent a = node("10.0.0.1", vi(2, 150).preempt(false).build());
        h.start(b);
        h.runUntil(5000, () -> st(b) == VrrpState.MASTER);
        h.start(a);
        h.run(10_000);
        assertEquals(VrrpState.BACKUP, st(a));
        assertEquals(VrrpState.MASTER, st(b));
    }

    @Test
    void preemptDelayHoldsOffTakeover() {
        VrrpAgent b = node("10.0.0.2", vi(2, 100).build());
        VrrpAgent a = node("10.0.0.1", vi(2, 150).preemptDelayMillis(5000).build());
        h.start(b);
        h.runUntil(5000, () -> st(b) == VrrpState.MASTER);
        h.start(a);
        long ms = h.runUntil(20_000, () -> st(a) == VrrpState.MASTER);
        // the delay (5 s) must pass before lower adverts are discarded; then Master_Down_Interval (3.41 s) runs out
        assertTrue(ms >= 5000, "took " + ms + " ms");
        assertTrue(ms <= 5000 + 1000 + 3500, "took " + ms + " ms");
        assertTrue(log.contains("(VI_1) start preempt delay (5.000000)"));
    }

    @Test
    void tieBreakPicksTheHigherPrimaryAddress() {
        VrrpAgent low = node("10.0.0.1", vi(3, 100).build());
        VrrpAgent high = node("10.0.0.9", vi(3, 100).build());
        // RFC 5798 §6.4.2: an equal-priority backup accepts the master, so the tie-break only acts between two
        // masters: let both become MASTER without hearing each other, then join the segment
        h.lan.dropAll = true;
        h.startAll();
        h.runUntil(10_000, () -> st(high) == VrrpState.MASTER && st(low) == VrrpState.MASTER);
        h.lan.dropAll = false;
        h.runUntil(10_000, () -> st(high) == VrrpState.MASTER && st(low) == VrrpState.BACKUP);
        h.run(5000);
        assertEquals(VrrpState.MASTER, st(high));
        assertEquals(VrrpState.BACKUP, st(low));
        assertTrue(log.contains("(VI_1) Master received advert from 10.0.0.9 with same priority 100 but higher IP "
                + "address than ours"));
    }

    @Test
    void addressOwnerStartsAsMaster() {
        VrrpAgent a = node("10.0.0.1", vi(3, 255).build());
        h.start(a);
        assertEquals(VrrpState.MASTER, st(a));
        assertFalse(log.contains("(VI_1) Entering BACKUP STATE"));
    }

    @Test
    void stateMasterTakesOverAtOnceThenYieldsToHigherPriority() {
        VrrpAgent a = node("10.0.0.1", vi(2, 150).build());
        VrrpAgent b = node("10.0.0.2", vi(2, 100).initialMaster(true).build());
        h.start(b);
        h.run(1);
        assertEquals(VrrpState.MASTER, st(b));
        assertFalse(log.contains("(VI_1) Entering BACKUP STATE (init)"), "keepalived logs no BACKUP for state MASTER");
        h.start(a);
        h.runUntil(5000, () -> st(a) == VrrpState.MASTER && st(b) == VrrpState.BACKUP);
    }

    @Test
    void v3BackupLearnsTheMastersInterval() {
        VrrpAgent a = node("10.0.0.1", vi(3, 150).advertIntervalCentis(50).build());
        VrrpAgent b = node("10.0.0.2", vi(3, 100).advertIntervalCentis(100).build());
        h.startAll();
        h.runUntil(5000, () -> st(a) == VrrpState.MASTER);
        h.run(1000);
        assertEquals(50, b.instance("VI_1").masterAdverIntervalCentis());
        assertTrue(log.contains("(VI_1) advertisement interval updated from 1000ms to 500ms by master"));
        h.node(0).unplugged = true;
        long ms = h.runUntil(5000, () -> st(b) == VrrpState.MASTER);
        // 3 x 500 ms + (256 - 100) x 500 / 256 ms = 1804.7 ms, minus up to one interval since the last advert
        assertTrue(ms <= 1806 && ms >= 1300, "took " + ms);
        assertTrue(log.contains("(VI_1) changing advert interval from 500ms to locally configured 1000ms"));
        assertEquals(100, b.instance("VI_1").masterAdverIntervalCentis());
    }

    @Test
    void ipv6V3Election() {
        VrrpInstanceSpec s1 = VrrpInstanceSpec.builder("VI_6").interfaceName("eth0").vrid(7).version(3)
                .priority(150).vip("fe80::100/64", "fd00::100/64").build();
        VrrpInstanceSpec s2 = VrrpInstanceSpec.builder("VI_6").interfaceName("eth0").vrid(7).version(3)
                .priority(100).vip("fe80::100/64", "fd00::100/64").build();
        VrrpAgent a = h.engine("10.0.0.1", "fe80::1", c -> c.instance(s1));
        VrrpAgent b = h.engine("10.0.0.2", "fe80::2", c -> c.instance(s2));
        h.startAll();
        h.runUntil(5000, () -> a.instance("VI_6").state() == VrrpState.MASTER);
        h.run(3000);
        assertEquals(VrrpState.BACKUP, b.instance("VI_6").state());
        assertTrue(b.stat("VI_6", VrrpStat.ADVERT_RCVD) >= 2);
        assertEquals(0, b.stat("VI_6", VrrpStat.CHECKSUM_ERR));
    }

    @Test
    void unicastPeersElect() {
        VrrpAgent a = node("10.0.0.1", vi(3, 150).unicastSrcIp("10.0.0.1").unicastPeer("10.0.0.2").build());
        VrrpAgent b = node("10.0.0.2", vi(3, 100).unicastSrcIp("10.0.0.2").unicastPeer("10.0.0.1").build());
        h.startAll();
        h.runUntil(5000, () -> st(a) == VrrpState.MASTER);
        h.run(3000);
        assertEquals(VrrpState.BACKUP, st(b));
        assertTrue(b.stat("VI_1", VrrpStat.ADVERT_RCVD) >= 2);
        assertFalse(h.lan.sent.stream().anyMatch(InMemoryLan.Frame::multicast));
    }

    @Test
    void passAuthenticationMismatchKeepsThemApartAndIsCounted() {
        VrrpAgent a = node("10.0.0.1", vi(2, 150).authPass("secret").build());
        VrrpAgent b = node("10.0.0.2", vi(2, 100).authPass("other").build());
        h.startAll();
        h.run(8000);
        assertEquals(VrrpState.MASTER, st(a));
        assertEquals(VrrpState.MASTER, st(b));
        assertTrue(a.stat("VI_1", VrrpStat.AUTH_FAILURE) > 0);
        assertTrue(b.stat("VI_1", VrrpStat.AUTH_FAILURE) > 0);
        assertTrue(log.contains("(VI_1) received an invalid passwd!"));
    }

    @Test
    void passAuthenticationMatchElects() {
        VrrpAgent a = node("10.0.0.1", vi(2, 150).authPass("secret").build());
        VrrpAgent b = node("10.0.0.2", vi(2, 100).authPass("secret").build());
        h.startAll();
        h.run(8000);
        assertEquals(VrrpState.MASTER, st(a));
        assertEquals(VrrpState.BACKUP, st(b));
        assertEquals(0, b.stat("VI_1", VrrpStat.AUTH_FAILURE));
    }

    @Test
    void twoHundredFiftyFiveInstancesOnOneInterface() {
        VrrpAgent a = h.engine("10.0.0.1", null, c -> {
            for (int v = 1; v <= 255; v++) {
                c.instance(VrrpInstanceSpec.builder("VI_" + v).interfaceName("eth0").vrid(v).version(3)
                        .priority(150).vip("10.1." + v + ".1/32").garp(0, 1, 0).build());
            }
        });
        VrrpAgent b = h.engine("10.0.0.2", null, c -> {
            for (int v = 1; v <= 255; v++) {
                c.instance(VrrpInstanceSpec.builder("VI_" + v).interfaceName("eth0").vrid(v).version(3)
                        .priority(100).vip("10.1." + v + ".1/32").garp(0, 1, 0).build());
            }
        });
        h.startAll();
        h.runUntil(5000, () -> a.instances().stream().allMatch(i -> i.state() == VrrpState.MASTER));
        h.run(2000);
        assertTrue(b.instances().stream().allMatch(i -> i.state() == VrrpState.BACKUP));
        assertEquals(255, h.owners.get(0).owned.size());
    }
}

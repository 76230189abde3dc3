package io.fulcrum.vrrp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.testkit.LogCapture;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Start-up of an instance configured {@code state MASTER}, as keepalived 2.x does it: the instance passes through
 * BACKUP with a Master_Down_Timer of 1 us, silently (no "Entering BACKUP STATE (init)", no notify, no state event),
 * and is MASTER on the first timer check, before any advertisement interval elapses. A plain BACKUP start notifies
 * BACKUP and waits Master_Down_Interval. On the virtual clock.
 */
class StateMasterStartupTest {

    private LogCapture log;
    private final EngineHarness h = new EngineHarness();
    private final List<String> events = new ArrayList<>();

    @BeforeEach
    void attach() {
        log = LogCapture.attach();
    }

    @AfterEach
    void detach() {
        log.close();
    }

    private VrrpAgent node(String addr, VrrpInstanceSpec spec) {
        return h.engine(addr, null, c -> c.instance(spec).stateListener(new VrrpStateListener() {
            @Override
            public void onInstanceState(String instance, VrrpState state, int priority) {
                events.add(addr + " " + instance + " " + state);
            }

            @Override
            public void onGroupState(String group, VrrpState state) {
                events.add(addr + " group " + group + " " + state);
            }
        }));
    }

    private static VrrpInstanceSpec.Builder vi(int prio) {
        return VrrpInstanceSpec.builder("VI_1").interfaceName("eth0").vrid(51).version(3).priority(prio)
                .advertIntervalCentis(100).vip("10.0.0.100/24").garp(0, 1, 0);
    }

    @Test
    void stateMasterIsMasterAtOnceWithoutABackupNotification() {
        VrrpAgent a = node("10.0.0.1", vi(150).initialMaster(true).build());
        h.start(a);
        // the 1 us Master_Down_Timer: MASTER within the first virtual millisecond, not after 3 x advert_int + skew
        long ms = h.runUntil(1, () -> a.instance("VI_1").state() == VrrpState.MASTER);
        assertTrue(ms <= 1, "MASTER after " + ms + " ms");
        assertEquals(List.of("10.0.0.1 VI_1 MASTER"), events, "keepalived notifies only MASTER for state MASTER");
        assertFalse(log.contains("Entering BACKUP STATE"), "no BACKUP line for state MASTER");
        assertTrue(log.contains("(VI_1) Entering MASTER STATE"));
        assertEquals(1, a.stat("VI_1", VrrpStat.BECOME_MASTER));
        assertTrue(h.owners.get(0).owned.contains("10.0.0.100"));
    }

    @Test
    void stateBackupNotifiesBackupAndWaitsMasterDownInterval() {
        VrrpAgent a = node("10.0.0.1", vi(150).build());
        h.start(a);
        assertEquals(List.of("10.0.0.1 VI_1 BACKUP"), events);
        assertTrue(log.contains("(VI_1) Entering BACKUP STATE (init)"));
        // RFC 5798 §6.4.1: Master_Down_Interval = 3 x 1 s + (256 - 150) x 1 s / 256 = 3414 ms
        long ms = h.runUntil(5000, () -> a.instance("VI_1").state() == VrrpState.MASTER);
        assertTrue(ms >= 3413 && ms <= 3415, "took " + ms + " ms");
        assertEquals(List.of("10.0.0.1 VI_1 BACKUP", "10.0.0.1 VI_1 MASTER"), events);
    }

    @Test
    void stateMasterWithALowerPriorityYieldsToTheRunningHigherMaster() {
        VrrpAgent high = node("10.0.0.1", vi(200).build());
        h.start(high);
        h.runUntil(5000, () -> high.instance("VI_1").state() == VrrpState.MASTER);
        events.clear();
        VrrpAgent low = node("10.0.0.2", vi(100).initialMaster(true).build());
        h.start(low);
        h.runUntil(3000, () -> events.contains("10.0.0.2 VI_1 BACKUP"));
        h.run(3000);
        assertEquals(VrrpState.BACKUP, low.instance("VI_1").state());
        assertEquals(VrrpState.MASTER, high.instance("VI_1").state());
        // as keepalived: MASTER first (no BACKUP notify at start), then BACKUP on the higher advertisement
        assertEquals(List.of("10.0.0.2 VI_1 MASTER", "10.0.0.2 VI_1 BACKUP"),
                events.stream().filter(e -> e.startsWith("10.0.0.2")).toList());
    }
}

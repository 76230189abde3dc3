package io.fulcrum.vrrp;

import static io.fulcrum.vrrp.VrrpEvent.*;
import static io.fulcrum.vrrp.VrrpState.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The (state, event) -> state table, every pair checked against the RFC 5798 §6.4 reading written out here. */
class VrrpTransitionsTest {

    private static final Map<VrrpState, Map<VrrpEvent, VrrpState>> CHANGES = new EnumMap<>(VrrpState.class);

    private static void change(VrrpState from, VrrpEvent e, VrrpState to) {
        CHANGES.computeIfAbsent(from, k -> new EnumMap<>(VrrpEvent.class)).put(e, to);
    }

    static {
        change(INIT, STARTUP, BACKUP);            // §6.4.1
        change(INIT, STARTUP_OWNER, MASTER);      // §6.4.1
        change(INIT, VrrpEvent.FAULT, VrrpState.FAULT);
        change(INIT, SYNC_FAULT, VrrpState.FAULT);
        change(INIT, SHUTDOWN, STOP);
        change(BACKUP, MASTER_DOWN_TIMER, MASTER); // §6.4.2
        change(BACKUP, SYNC_MASTER, MASTER);
        change(BACKUP, VrrpEvent.FAULT, VrrpState.FAULT);
        change(BACKUP, SYNC_FAULT, VrrpState.FAULT);
        change(BACKUP, SHUTDOWN, STOP);            // §6.4.2 Shutdown
        change(MASTER, ADVERT_HIGHER, BACKUP);     // §6.4.3
        change(MASTER, SYNC_BACKUP, BACKUP);
        change(MASTER, VrrpEvent.FAULT, VrrpState.FAULT);
        change(MASTER, SYNC_FAULT, VrrpState.FAULT);
        change(MASTER, SHUTDOWN, STOP);            // §6.4.3 Shutdown
        change(VrrpState.FAULT, FAULT_CLEARED, BACKUP);
        change(VrrpState.FAULT, SHUTDOWN, STOP);
    }

    @Test
    void everyStateEventPairFollowsTheTable() {
        int checked = 0;
        for (VrrpState s : VrrpState.values()) {
            for (VrrpEvent e : VrrpEvent.values()) {
                VrrpState expected = CHANGES.getOrDefault(s, Map.of()).getOrDefault(e, s);
                if (s == STOP) {
                    expected = STOP;
                }
                assertEquals(expected, VrrpTransitions.next(s, e), s + " + " + e);
                checked++;
            }
        }
        assertEquals(VrrpState.values().length * VrrpEvent.values().length, checked);
    }
}

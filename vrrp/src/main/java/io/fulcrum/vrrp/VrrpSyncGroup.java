package io.fulcrum.vrrp;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running {@code vrrp_sync_group}: when one member changes state, the others follow it (keepalived semantics).
 *
 * <p>Used only on the VRRP thread.
 */
final class VrrpSyncGroup {

    private static final Logger LOG = LoggerFactory.getLogger("io.fulcrum.vrrp.Vrrp");

    final VrrpSyncGroupSpec spec;
    final List<VrrpInstance> members;
    private final VrrpAgent engine;
    private VrrpState state = VrrpState.INIT;
    private boolean syncing;

    VrrpSyncGroup(VrrpSyncGroupSpec spec, List<VrrpInstance> members, VrrpAgent engine) {
        this.spec = spec;
        this.members = List.copyOf(members);
        this.engine = engine;
    }

    VrrpState state() {
        return state;
    }

    boolean anyOwnFault() {
        for (VrrpInstance m : members) {
            if (m.ownFault) {
                return true;
            }
        }
        return false;
    }

    /** Member {@code origin} entered {@code to}: move the others with it. */
    void follow(VrrpInstance origin, VrrpState to, long now) {
        if (syncing) {
            return;
        }
        syncing = true;
        try {
            switch (to) {
                case MASTER -> {
                    if (members.size() > 1 && state != VrrpState.MASTER) {
                        LOG.info("VRRP_Group({}) Syncing instances to MASTER state", spec.name());
                    }
                    for (VrrpInstance m : members) {
                        if (m != origin && m.state() == VrrpState.BACKUP) {
                            m.handle(VrrpEvent.SYNC_MASTER, now);
                        }
                    }
                }
                case BACKUP -> {
                    if (members.size() > 1 && state == VrrpState.MASTER) {
                        LOG.info("VRRP_Group({}) Syncing instances to BACKUP state", spec.name());
                    }
                    for (VrrpInstance m : members) {
                        if (m == origin) {
                            continue;
                        }
                        if (m.state() == VrrpState.MASTER) {
                            m.handle(VrrpEvent.SYNC_BACKUP, now);
                        } else if (m.state() == VrrpState.FAULT && !m.ownFault) {
                            m.handle(VrrpEvent.FAULT_CLEARED, now);
                        }
                    }
                }
                case FAULT -> {
                    if (members.size() > 1 && state != VrrpState.FAULT) {
                        LOG.info("VRRP_Group({}) Syncing instances to FAULT state", spec.name());
                    }
                    for (VrrpInstance m : members) {
                        if (m != origin && m.state() != VrrpState.FAULT && m.state() != VrrpState.STOP) {
                            m.handle(VrrpEvent.SYNC_FAULT, now);
                        }
                    }
                }
                default -> {
                }
            }
        } finally {
            syncing = false;
        }
        if (state != to) {
            state = to;
            engine.notifyGroup(this, to);
        }
    }
}

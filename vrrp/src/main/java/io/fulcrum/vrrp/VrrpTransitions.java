package io.fulcrum.vrrp;

/**
 * The VRRP state transition table: the one function that says which state an event leads to.
 *
 * <p>Pure and stateless; safe from any thread. Side effects (timers, adverts, addresses, logs, notifications) are
 * applied by the instance in exactly one place when the state changes.
 */
public final class VrrpTransitions {

    private VrrpTransitions() {
    }

    /** The state an instance in {@code from} moves to on {@code event} (the same state when it stays). */
    public static VrrpState next(VrrpState from, VrrpEvent event) {
        if (event == VrrpEvent.SHUTDOWN) {
            // RFC 5798 §6.4.2 / §6.4.3: on Shutdown cancel timers (master sends priority 0) and go to Initialize
            return VrrpState.STOP;
        }
        return switch (from) {
            case INIT -> switch (event) {
                case STARTUP_OWNER -> VrrpState.MASTER;   // RFC 5798 §6.4.1: priority 255 -> Master
                case STARTUP -> VrrpState.BACKUP;         // RFC 5798 §6.4.1: otherwise -> Backup
                case FAULT, SYNC_FAULT -> VrrpState.FAULT;
                default -> VrrpState.INIT;
            };
            case BACKUP -> switch (event) {
                case MASTER_DOWN_TIMER -> VrrpState.MASTER; // RFC 5798 §6.4.2: Master_Down_Timer fires -> Master
                case SYNC_MASTER -> VrrpState.MASTER;       // keepalived sync group follows its members
                case FAULT, SYNC_FAULT -> VrrpState.FAULT;
                // RFC 5798 §6.4.2: priority 0 sets the timer to Skew_Time; accepted/lower adverts keep Backup
                default -> VrrpState.BACKUP;
            };
            case MASTER -> switch (event) {
                case ADVERT_HIGHER -> VrrpState.BACKUP;    // RFC 5798 §6.4.3: higher priority/address -> Backup
                case SYNC_BACKUP -> VrrpState.BACKUP;
                case FAULT, SYNC_FAULT -> VrrpState.FAULT;
                // RFC 5798 §6.4.3: Adver_Timer, priority 0 (send at once) and lower adverts keep Master
                default -> VrrpState.MASTER;
            };
            case FAULT -> switch (event) {
                case FAULT_CLEARED -> VrrpState.BACKUP;    // keepalived: leaving FAULT goes through BACKUP
                case SYNC_BACKUP -> VrrpState.FAULT;
                default -> VrrpState.FAULT;
            };
            case STOP -> VrrpState.STOP;
        };
    }
}

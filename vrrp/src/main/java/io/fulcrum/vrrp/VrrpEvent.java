package io.fulcrum.vrrp;

/**
 * The events the VRRP state machine reacts to; guards (priorities, preempt) are already folded in by the caller.
 *
 * <p>Immutable; safe from any thread.
 */
public enum VrrpEvent {
    /** Startup of a non-owner (RFC 5798 §6.4.1: priority below 255). */
    STARTUP,
    /** Startup of the address owner (RFC 5798 §6.4.1: priority 255). */
    STARTUP_OWNER,
    /** The Master_Down_Timer fired (RFC 5798 §6.4.2). */
    MASTER_DOWN_TIMER,
    /** The Adver_Timer fired (RFC 5798 §6.4.3). */
    ADVER_TIMER,
    /** An advertisement with priority 0 (RFC 5798 §6.4.2, §6.4.3). */
    ADVERT_PRIORITY_ZERO,
    /** A backup accepts an advertisement: preempt off, or priority at least ours (RFC 5798 §6.4.2). */
    ADVERT_ACCEPTED,
    /** An advertisement we outrank and discard (RFC 5798 §6.4.2 / §6.4.3 "discard"). */
    ADVERT_LOWER,
    /** A master hears a higher priority, or the same priority from a higher address (RFC 5798 §6.4.3). */
    ADVERT_HIGHER,
    /** A tracked interface, script or file failed (keepalived FAULT). */
    FAULT,
    /** All faults cleared. */
    FAULT_CLEARED,
    /** The sync group moves its members to MASTER. */
    SYNC_MASTER,
    /** The sync group moves its members to BACKUP. */
    SYNC_BACKUP,
    /** The sync group moves its members to FAULT. */
    SYNC_FAULT,
    /** Shutdown (RFC 5798 §6.4.2 / §6.4.3 Shutdown event). */
    SHUTDOWN
}

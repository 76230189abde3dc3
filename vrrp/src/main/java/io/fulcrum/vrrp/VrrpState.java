package io.fulcrum.vrrp;

/**
 * The states of one VRRP instance (RFC 5798 §6.4, plus keepalived's FAULT and STOP).
 *
 * <p>Immutable; safe from any thread.
 */
public enum VrrpState {
    /** Not started yet (RFC 5798 §6.4.1 Initialize). */
    INIT,
    /** Monitoring the master (RFC 5798 §6.4.2). */
    BACKUP,
    /** Owning the virtual addresses and advertising (RFC 5798 §6.4.3). */
    MASTER,
    /** A tracked interface, script or file failed: not taking part (keepalived). */
    FAULT,
    /** Stopped (shut down). */
    STOP
}

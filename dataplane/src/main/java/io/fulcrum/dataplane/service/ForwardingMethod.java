package io.fulcrum.dataplane.service;

/**
 * How a virtual service forwards to its real servers ({@code lb_kind}).
 *
 * <p>Immutable; any thread may use it.
 */
public enum ForwardingMethod {
    /** FullNAT: client→VIP becomes local address→real server, and back (DPVS {@code lb_kind FNAT}). */
    FNAT,
    /** Direct routing: only the destination MAC changes; replies bypass the balancer. */
    DR,
    /** NAT: destination rewritten inbound, source of replies rewritten back. */
    NAT,
    /** Tunnelling: IP-in-IP encapsulation to the real server (IPv4 in IPv4, IPv6 in IPv6). */
    TUN
}

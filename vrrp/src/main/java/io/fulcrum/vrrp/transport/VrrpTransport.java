package io.fulcrum.vrrp.transport;

import io.fulcrum.vrrp.VrrpInstanceSpec;

/**
 * The VRRP engine's view of the network: channels to send on and one receive path for all instances.
 *
 * <p>Used only on the VRRP thread (open, receive, await, close). The real one uses raw IP sockets (protocol 112)
 * through the netlink module; tests use an in-memory one.
 */
public interface VrrpTransport extends AutoCloseable {

    /**
     * Opens (or shares) the socket for an instance: resolves its interface and source address and joins the
     * multicast group (224.0.0.18 / ff02::12) unless the instance has unicast peers.
     *
     * @throws VrrpTransportException naming the interface, address and call that failed
     */
    VrrpChannel open(VrrpInstanceSpec spec);

    /** Reads up to {@code limit} waiting packets without blocking; returns how many were handled. */
    int receive(AdvertHandler handler, int limit);

    /** Waits until a packet may be readable or {@code timeoutNanos} passes (may return early). */
    void await(long timeoutNanos);

    /** Also wakes {@link #await} when {@code fd} is readable (the link monitor's socket). Default: ignored. */
    default void watch(int fd) {
    }

    /** Closes every socket. */
    @Override
    void close();
}

package io.fulcrum.vrrp.transport;

import java.lang.foreign.MemorySegment;

/**
 * Where one VRRP instance sends its advertisements: an interface, a source address and the multicast group or the
 * unicast peers.
 *
 * <p>Used only on the VRRP thread.
 */
public interface VrrpChannel {

    /** The interface index the channel sends on. */
    int ifIndex();

    /** The source address adverts carry (the primary address used for the tie-break, RFC 5798 §6.4.3). */
    byte[] sourceAddress();

    /**
     * Sends a VRRP message (checksum field zero for v3; the channel fills it per destination, RFC 5798 §5.2.8) with
     * TTL / hop limit 255 to the group or to every unicast peer.
     *
     * @return whether the kernel accepted it for every destination
     */
    boolean send(MemorySegment message, int length);
}

package io.fulcrum.netlink.rtnl;

import java.net.InetAddress;

/**
 * A neighbour (ARP/ND) entry as rtnetlink reports it (RTM_NEWNEIGH) or as a caller asks to add or delete it.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param ifindex     the interface index
 * @param destination the IP address
 * @param lladdr      the link-layer address as {@code aa:bb:cc:dd:ee:ff}, empty when unresolved
 * @param state       {@code ndm_state} (NUD_*)
 */
public record Neighbour(int ifindex, InetAddress destination, String lladdr, int state) {

    /** What identifies a neighbour entry: interface and IP address. */
    public record Key(int ifindex, InetAddress destination) {
    }

    /** The identity of this entry. */
    public Key key() {
        return new Key(ifindex, destination);
    }

    /** Whether it is an IPv6 (ND) entry. */
    public boolean isIpv6() {
        return destination.getAddress().length == 16;
    }
}

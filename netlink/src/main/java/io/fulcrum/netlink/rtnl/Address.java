package io.fulcrum.netlink.rtnl;

import io.fulcrum.netlink.IpText;
import java.net.InetAddress;

/**
 * An interface address as rtnetlink reports it (RTM_NEWADDR): interface index, address, prefix length, scope, flags
 * and (IPv4) label.
 *
 * <p>Immutable; safe to share between threads. {@link #key()} identifies the address on its interface.
 *
 * @param ifindex      the interface index
 * @param address      the local address ({@code IFA_LOCAL}, else {@code IFA_ADDRESS})
 * @param prefixLength the prefix length
 * @param scope        {@code ifa_scope} (0 global, 253 link, 254 host)
 * @param flags        {@code IFA_FLAGS} (else {@code ifa_flags})
 * @param label        {@code IFA_LABEL} (IPv4), empty when absent
 */
public record Address(int ifindex, InetAddress address, int prefixLength, int scope, int flags, String label) {

    /** What identifies an address on an interface. */
    public record Key(int ifindex, InetAddress address, int prefixLength) {
        @Override
        public String toString() {
            return IpText.format(address) + "/" + prefixLength + " ifindex " + ifindex;
        }
    }

    /** The identity of this address. */
    public Key key() {
        return new Key(ifindex, address, prefixLength);
    }

    /** Whether it is an IPv6 address. */
    public boolean isIpv6() {
        return address.getAddress().length == 16;
    }

    /** {@code address/prefix}, e.g. {@code 10.0.0.1/24}. */
    public String cidr() {
        return IpText.format(address) + "/" + prefixLength;
    }
}

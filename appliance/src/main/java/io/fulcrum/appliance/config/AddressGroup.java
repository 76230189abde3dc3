package io.fulcrum.appliance.config;

import java.net.InetAddress;
import java.util.List;

/**
 * A DPVS address group: {@code local_address_group} (FullNAT source addresses, each on an interface),
 * {@code deny_address_group} or {@code allow_address_group} (client address filters).
 *
 * <p>Immutable; any thread.
 *
 * @param kind the block keyword
 * @param name the group name
 * @param ranges the address ranges
 * @param origin where the block starts
 */
public record AddressGroup(String kind, String name, List<Range> ranges, Origin origin) {

    /** Copies the list. */
    public AddressGroup {
        ranges = List.copyOf(ranges);
    }

    /** The number of addresses in all ranges (saturating at {@link Long#MAX_VALUE}). */
    public long size() {
        long n = 0;
        for (Range r : ranges) {
            long add = r.size();
            n = add > Long.MAX_VALUE - n ? Long.MAX_VALUE : n + add;
        }
        return n;
    }

    /**
     * An entry {@code ADDR[-LAST] [IFNAME]}, {@code ADDR/PREFIX}: the inclusive range first..last.
     *
     * @param first the first address
     * @param last the last address (equal to first for one address)
     * @param ifname the interface (local address groups) or null
     * @param origin where it was written
     */
    public record Range(InetAddress first, InetAddress last, String ifname, Origin origin) {

        /** The number of addresses in the range (saturating). */
        public long size() {
            java.math.BigInteger a = new java.math.BigInteger(1, first.getAddress());
            java.math.BigInteger b = new java.math.BigInteger(1, last.getAddress());
            java.math.BigInteger n = b.subtract(a).add(java.math.BigInteger.ONE);
            return n.bitLength() > 62 ? Long.MAX_VALUE : n.longValue();
        }
    }
}

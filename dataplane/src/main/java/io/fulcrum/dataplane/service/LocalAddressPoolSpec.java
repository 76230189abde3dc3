package io.fulcrum.dataplane.service;

import java.net.InetAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * A FullNAT local-address pool ({@code local_address_group}): the source addresses the balancer uses towards real
 * servers.
 *
 * <p>Immutable; any thread may use it.
 *
 * @param name the group name
 * @param addresses the local addresses, no duplicates
 */
public record LocalAddressPoolSpec(String name, List<InetAddress> addresses) {

    /** Validates and copies. */
    public LocalAddressPoolSpec {
        Objects.requireNonNull(name, "name");
        addresses = List.copyOf(addresses);
        if (new HashSet<>(addresses).size() != addresses.size()) {
            throw new IllegalArgumentException("local_address_group " + name + " lists an address twice");
        }
    }
}

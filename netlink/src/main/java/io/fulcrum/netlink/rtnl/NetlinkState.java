package io.fulcrum.netlink.rtnl;

import java.util.Map;
import java.util.Optional;

/**
 * An immutable snapshot of the links, addresses (and, when followed, routes and neighbours) the {@link NetlinkMonitorAgent} believes the kernel has.
 *
 * <p>Safe to read from any thread; the monitor publishes a new snapshot after each batch that changed something.
 *
 * @param links      links by interface index
 * @param addresses  addresses by their key
 * @param routes     routes by their key (empty unless the monitor follows routes)
 * @param neighbours neighbour entries by their key (empty unless the monitor follows neighbours)
 */
public record NetlinkState(Map<Integer, Link> links, Map<Address.Key, Address> addresses,
        Map<Route.Key, Route> routes, Map<Neighbour.Key, Neighbour> neighbours) {

    /** Copies the maps so the snapshot cannot change. */
    public NetlinkState {
        links = Map.copyOf(links);
        addresses = Map.copyOf(addresses);
        routes = Map.copyOf(routes);
        neighbours = Map.copyOf(neighbours);
    }

    /** A snapshot of links and addresses only. */
    public NetlinkState(Map<Integer, Link> links, Map<Address.Key, Address> addresses) {
        this(links, addresses, Map.of(), Map.of());
    }

    /** The link named {@code name}, if present. */
    public Optional<Link> link(String name) {
        return links.values().stream().filter(l -> l.name().equals(name)).findFirst();
    }

    /** The link with index {@code index}, if present. */
    public Optional<Link> link(int index) {
        return Optional.ofNullable(links.get(index));
    }
}

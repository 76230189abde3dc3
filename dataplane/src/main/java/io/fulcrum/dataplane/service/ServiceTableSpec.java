package io.fulcrum.dataplane.service;

import java.net.InetAddress;
import java.util.List;

/**
 * Everything one service-table snapshot is built from: services, local-address pools, the addresses this node owns
 * now (VIPs while MASTER, FullNAT local addresses) and the node's own addresses (a DR real server at one of them is
 * delivered locally).
 *
 * <p>Immutable; any thread may use it.
 *
 * @param services the virtual services
 * @param localAddressPools the FullNAT pools, by name
 * @param ownedAddresses VIPs currently owned; services on other VIPs do not take new connections
 * @param nodeAddresses this node's own addresses
 */
public record ServiceTableSpec(List<VirtualServiceSpec> services, List<LocalAddressPoolSpec> localAddressPools,
                               List<InetAddress> ownedAddresses, List<InetAddress> nodeAddresses) {

    /** Copies the lists. */
    public ServiceTableSpec {
        services = List.copyOf(services);
        localAddressPools = List.copyOf(localAddressPools);
        ownedAddresses = List.copyOf(ownedAddresses);
        nodeAddresses = List.copyOf(nodeAddresses);
    }

    /** An empty table. */
    public static ServiceTableSpec empty() {
        return new ServiceTableSpec(List.of(), List.of(), List.of(), List.of());
    }
}

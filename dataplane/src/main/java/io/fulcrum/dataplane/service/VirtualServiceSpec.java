package io.fulcrum.dataplane.service;

import java.net.InetAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * A virtual service as the configuration asks for it: what {@code appliance} builds from a keepalived
 * {@code virtual_server} block.
 *
 * <p>Immutable; any thread may use it.
 *
 * @param protocol {@code protocol}
 * @param address the virtual address
 * @param port the virtual port (1..65535)
 * @param lbAlgo {@code lb_algo}
 * @param lbKind {@code lb_kind}
 * @param persistenceTimeoutSeconds {@code persistence_timeout} (0 = none)
 * @param toa insert the TOA option in FullNAT SYNs
 * @param synProxy {@code syn_proxy} (stored, not implemented by this dataplane)
 * @param localAddressGroup {@code laddr_group_name} (FullNAT only; null otherwise)
 * @param realServers the real servers
 */
public record VirtualServiceSpec(Protocol protocol, InetAddress address, int port, SchedulerKind lbAlgo,
                                 ForwardingMethod lbKind, int persistenceTimeoutSeconds, boolean toa,
                                 boolean synProxy, String localAddressGroup, List<RealServerSpec> realServers) {

    /** Validates and copies; errors name the keyword and the value. */
    public VirtualServiceSpec {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(lbAlgo, "lb_algo");
        Objects.requireNonNull(lbKind, "lb_kind");
        realServers = List.copyOf(realServers);
        String where = "virtual_server [" + address.getHostAddress() + "]:" + protocol.keyword() + ":" + port;
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(where + ": port " + port + " out of range 1..65535");
        }
        if (persistenceTimeoutSeconds < 0) {
            throw new IllegalArgumentException(where + ": persistence_timeout " + persistenceTimeoutSeconds
                    + " must not be negative");
        }
        if (lbKind == ForwardingMethod.FNAT && (localAddressGroup == null || localAddressGroup.isEmpty())) {
            throw new IllegalArgumentException(where + ": lb_kind FNAT needs laddr_group_name");
        }
        if (toa && lbKind != ForwardingMethod.FNAT) {
            throw new IllegalArgumentException(where + ": toa needs lb_kind FNAT, not " + lbKind);
        }
        if (toa && protocol != Protocol.TCP) {
            throw new IllegalArgumentException(where + ": toa needs protocol TCP");
        }
        HashSet<String> seen = new HashSet<>();
        for (RealServerSpec rs : realServers) {
            if (rs.address().getAddress().length != address.getAddress().length) {
                throw new IllegalArgumentException(where + ": real_server " + rs
                        + " is not of the virtual address's family");
            }
            if (!seen.add(rs.toString())) {
                throw new IllegalArgumentException(where + ": real_server " + rs + " listed twice");
            }
            if ((lbKind == ForwardingMethod.DR || lbKind == ForwardingMethod.TUN) && rs.port() != port) {
                throw new IllegalArgumentException(where + ": real_server " + rs + " port must equal the virtual port "
                        + port + " for lb_kind " + lbKind);
            }
        }
    }

    /** The key of this service. */
    public ServiceKey key() {
        return new ServiceKey(protocol, address, port);
    }
}

package io.fulcrum.dataplane.service;

import java.net.InetAddress;
import java.util.Objects;

/**
 * Identifies a virtual service: protocol, virtual address and port.
 *
 * <p>Immutable; any thread may use it.
 *
 * @param protocol the protocol
 * @param address the virtual address
 * @param port the virtual port
 */
public record ServiceKey(Protocol protocol, InetAddress address, int port) {

    /** Validates the fields. */
    public ServiceKey {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(address, "address");
    }

    /** keepalived's form {@code [10.0.0.100]:tcp:80}. */
    @Override
    public String toString() {
        return "[" + address.getHostAddress() + "]:" + protocol.keyword() + ":" + port;
    }
}

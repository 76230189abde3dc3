package io.fulcrum.dataplane.service;

import java.net.InetAddress;
import java.util.Objects;

/**
 * A real server of a virtual service as the configuration (and the health checker's live weight) asks for it.
 *
 * <p>Immutable; any thread may use it.
 *
 * @param address the real server's address
 * @param port the real server's port (1..65535)
 * @param weight the live weight (0 drains: existing connections stay, no new ones)
 */
public record RealServerSpec(InetAddress address, int port, int weight) {

    /** Validates the fields. */
    public RealServerSpec {
        Objects.requireNonNull(address, "address");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("real server port " + port + " out of range 1..65535");
        }
        if (weight < 0 || weight > 65535) {
            throw new IllegalArgumentException("real server weight " + weight + " out of range 0..65535");
        }
    }

    /** keepalived's form {@code [10.0.0.2]:80}. */
    @Override
    public String toString() {
        return "[" + address.getHostAddress() + "]:" + port;
    }
}

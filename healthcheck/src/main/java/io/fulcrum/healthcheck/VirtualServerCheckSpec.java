package io.fulcrum.healthcheck;

import java.util.List;
import java.util.Objects;

/**
 * One {@code virtual_server} block as far as health checking is concerned.
 *
 * <p>Immutable; safe from any thread.
 *
 * @param address     the virtual service address and port
 * @param protocol    {@code protocol}
 * @param quorum      {@code quorum}: the live weight the service needs (default 1)
 * @param hysteresis  {@code hysteresis} around the quorum (default 0)
 * @param quorumUp    {@code quorum_up} script, or null
 * @param quorumDown  {@code quorum_down} script, or null
 * @param sorryServer {@code sorry_server}, or null
 * @param alpha       {@code alpha}: real servers start down and need a successful check first
 * @param omega       {@code omega}: run notify_down/quorum_down scripts at shutdown
 * @param realServers the real servers
 */
public record VirtualServerCheckSpec(Endpoint address, Protocol protocol, int quorum, int hysteresis,
                                     String quorumUp, String quorumDown, SorryServerSpec sorryServer, boolean alpha,
                                     boolean omega, List<RealServerCheckSpec> realServers) {

    /** Validates and copies. */
    public VirtualServerCheckSpec {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(protocol, "protocol");
        realServers = List.copyOf(realServers);
    }

    /** A TCP virtual server with keepalived's defaults (quorum 1, hysteresis 0, no scripts). */
    public static VirtualServerCheckSpec tcp(Endpoint address, RealServerCheckSpec... realServers) {
        return new VirtualServerCheckSpec(address, Protocol.TCP, 1, 0, null, null, null, false, false,
                List.of(realServers));
    }

    /** keepalived's name for this service, e.g. {@code [10.0.0.100]:tcp:80}. */
    public String label() {
        return address.trio(protocol);
    }
}

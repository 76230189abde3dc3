package io.fulcrum.appliance.config;

import java.net.InetAddress;
import java.util.List;

/**
 * A {@code real_server ADDR [PORT]} block inside a virtual server, with its health checkers.
 *
 * <p>Immutable; any thread.
 *
 * @param address the address
 * @param port the port (the service port when not given)
 * @param weight {@code weight} (default 1; 0 drains)
 * @param inhibitOnFailure {@code inhibit_on_failure}: set weight 0 instead of removing on failure
 * @param notifyUp {@code notify_up} command or null
 * @param notifyDown {@code notify_down} command or null
 * @param lbKind a per-server {@code lb_kind} / {@code lvs_method}, or null for the service's
 * @param uthreshold {@code uthreshold} or null
 * @param lthreshold {@code lthreshold} or null
 * @param checkers the checker blocks, in file order
 * @param virtualhost {@code virtualhost} for its HTTP_GET/SSL_GET checkers, or null
 * @param checkerDefaults {@code alpha}, {@code connect_timeout}, {@code retry}, {@code delay_before_retry},
 *                        {@code warmup} and {@code delay_loop} set on the real server for its checkers (null fields:
 *                        inherit the virtual server's)
 * @param origin where the block starts
 */
public record RealServer(InetAddress address, int port, int weight, boolean inhibitOnFailure, String notifyUp,
                         String notifyDown, String lbKind, Integer uthreshold, Integer lthreshold,
                         List<Checker> checkers, String virtualhost, Checker.Common checkerDefaults, Origin origin) {

    /** Copies the list. */
    public RealServer {
        checkers = List.copyOf(checkers);
    }

    /** {@code [10.0.0.2]:tcp:80} style label, given the service protocol. */
    public String label(String protocol) {
        return "[" + IpLiteral.format(address) + "]:" + protocol.toLowerCase(java.util.Locale.ROOT) + ":" + port;
    }
}

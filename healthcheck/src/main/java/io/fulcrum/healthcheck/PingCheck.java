package io.fulcrum.healthcheck;

import java.net.InetAddress;
import java.util.function.Consumer;

/**
 * {@code PING_CHECK}: one ICMP echo per attempt through the loop's {@link IcmpPinger}; a reply within
 * {@code connect_timeout} passes (keepalived's {@code check_ping.c}).
 *
 * <p>Runs on the check's event-loop thread.
 */
final class PingCheck implements Prober {

    private final IcmpPinger pinger;
    private final InetAddress target;
    private final long timeoutMillis;

    PingCheck(CheckSpec.Ping spec, IcmpPinger pinger, Endpoint target) {
        this.pinger = pinger;
        this.target = target.address();
        this.timeoutMillis = Math.max(1, spec.options().connectTimeout().toMillis());
    }

    @Override
    public void probe(Consumer<ProbeResult> done) {
        pinger.ping(target, timeoutMillis, done);
    }
}

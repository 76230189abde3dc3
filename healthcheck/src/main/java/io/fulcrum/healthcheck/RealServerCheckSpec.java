package io.fulcrum.healthcheck;

import java.util.List;
import java.util.Objects;

/**
 * One {@code real_server} block: its address, weight, notify scripts and checkers (all must pass for it to be up).
 *
 * <p>Immutable; safe from any thread.
 *
 * @param address          the real server's address and port
 * @param weight           {@code weight} (0..65535)
 * @param inhibitOnFailure {@code inhibit_on_failure}: on failure keep it with weight 0 instead of removing it
 * @param notifyUp         {@code notify_up} script, or null
 * @param notifyDown       {@code notify_down} script, or null
 * @param checks           the checkers; a real server with none is always up
 */
public record RealServerCheckSpec(Endpoint address, int weight, boolean inhibitOnFailure, String notifyUp,
                                  String notifyDown, List<CheckSpec> checks) {

    /** Validates and copies. */
    public RealServerCheckSpec {
        Objects.requireNonNull(address, "address");
        checks = List.copyOf(checks);
    }

    /** A real server with weight 1, no scripts, and the given checkers. */
    public static RealServerCheckSpec of(Endpoint address, CheckSpec... checks) {
        return new RealServerCheckSpec(address, 1, false, null, null, List.of(checks));
    }
}

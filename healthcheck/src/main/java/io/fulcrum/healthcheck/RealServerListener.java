package io.fulcrum.healthcheck;

/**
 * Receives real-server state changes from the health checkers; the appliance implements it to build service tables.
 *
 * <p>Called on a health-check thread (an event-loop thread, or the caller of {@link HealthChecks#launch} for the
 * initial states), never concurrently for the same virtual server. Implementations must return quickly and not block.
 */
public interface RealServerListener {

    /**
     * A real server's state: {@code up} with the weight to use, or down. When down and the real server has
     * {@code inhibit_on_failure}, it stays in the table with weight 0 ({@code weight} is then 0); otherwise it is
     * removed. Called once per real server at launch with the initial state, then on every change (including weight
     * changes from {@code misc_dynamic} or {@code FILE_CHECK}).
     */
    void onState(VirtualServerCheckSpec vs, RealServerCheckSpec rs, boolean up, int weight);

    /**
     * The virtual server's sorry server came into use ({@code active}: quorum lost) or out of use (quorum gained).
     * While it is active, keepalived serves only the sorry server; the real servers' states are still reported.
     */
    default void onSorryServer(VirtualServerCheckSpec vs, SorryServerSpec sorry, boolean active) {
    }

    /** The virtual server gained ({@code up}) or lost its quorum. */
    default void onQuorum(VirtualServerCheckSpec vs, boolean up) {
    }
}

package io.fulcrum.vrrp;

/**
 * Hears every state change of instances and sync groups (for the appliance: metrics, the dataplane, the CLI).
 *
 * <p>Called only on the VRRP thread; must not block.
 */
public interface VrrpStateListener {

    /** Instance {@code name} entered {@code state} with effective priority {@code priority}. */
    void onInstanceState(String name, VrrpState state, int priority);

    /** Sync group {@code name} entered {@code state}. Default: ignored. */
    default void onGroupState(String name, VrrpState state) {
    }
}

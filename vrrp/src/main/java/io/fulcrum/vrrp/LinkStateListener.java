package io.fulcrum.vrrp;

/**
 * Receives interface up/down reports (from the netlink monitor, or fed directly by a test).
 *
 * <p>May be called from any thread; the VRRP engine's listener queues the report for its own thread.
 */
@FunctionalInterface
public interface LinkStateListener {

    /** Interface {@code ifName} is now up (operationally running) or down. */
    void onLinkState(String ifName, boolean up);
}

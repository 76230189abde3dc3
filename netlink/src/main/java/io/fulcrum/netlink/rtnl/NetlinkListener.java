package io.fulcrum.netlink.rtnl;

/**
 * Receives {@link NetlinkEvent}s from a {@link NetlinkMonitorAgent}.
 *
 * <p>Called only on the monitor's thread (the one calling its {@code doWork()}); must not block.
 */
@FunctionalInterface
public interface NetlinkListener {

    /** Handles one event. */
    void onEvent(NetlinkEvent event);
}

package io.fulcrum.netlink.rtnl;

/**
 * A change of links, addresses, routes or neighbours seen by the {@link NetlinkMonitorAgent}.
 *
 * <p>Immutable; delivered on the monitor's thread. {@link #resync()} is true for events synthesized by the re-dump
 * after a receive-buffer overrun (the kernel's own message for that change was lost).
 */
public sealed interface NetlinkEvent {

    /** Whether this event was synthesized by the reconciliation after an overrun. */
    boolean resync();

    /** A new interface appeared. */
    record LinkAdded(Link link, boolean resync) implements NetlinkEvent {
    }

    /** An interface was removed ({@code link} is its last known state). */
    record LinkRemoved(Link link, boolean resync) implements NetlinkEvent {
    }

    /** An interface became usable (up and running). */
    record LinkUp(Link link, boolean resync) implements NetlinkEvent {
    }

    /** An interface stopped being usable (down, or no carrier). */
    record LinkDown(Link link, boolean resync) implements NetlinkEvent {
    }

    /** Another property of an interface changed (name, MTU, MAC, master, flags not affecting up/down). */
    record LinkChanged(Link before, Link after, boolean resync) implements NetlinkEvent {
    }

    /** An address was added. */
    record AddressAdded(Address address, boolean resync) implements NetlinkEvent {
    }

    /** An address was removed. */
    record AddressRemoved(Address address, boolean resync) implements NetlinkEvent {
    }

    /** A route was added or changed (only when the monitor follows routes). */
    record RouteAdded(Route route, boolean resync) implements NetlinkEvent {
    }

    /** A route was removed (only when the monitor follows routes). */
    record RouteRemoved(Route route, boolean resync) implements NetlinkEvent {
    }

    /** A neighbour entry was added or changed (only when the monitor follows neighbours). */
    record NeighbourChanged(Neighbour neighbour, boolean resync) implements NetlinkEvent {
    }

    /** A neighbour entry was removed (only when the monitor follows neighbours). */
    record NeighbourRemoved(Neighbour neighbour, boolean resync) implements NetlinkEvent {
    }

    /**
     * Delivered after the reconciliation that follows an overrun, once the synthesized events for the missed changes
     * have been delivered.
     *
     * @param overruns how many overruns the monitor has recovered from so far
     */
    record Resynchronized(long overruns) implements NetlinkEvent {
        @Override
        public boolean resync() {
            return true;
        }
    }
}

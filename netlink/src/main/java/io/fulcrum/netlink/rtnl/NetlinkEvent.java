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

    /** A route was added or changed (not cached, not re-synchronized after an overrun). */
    record RouteAdded(Route route, boolean resync) implements NetlinkEvent {
    }

    /** A route was removed (not cached). */
    record RouteRemoved(Route route, boolean resync) implements NetlinkEvent {
    }

    /** A neighbour entry was added or changed (not cached). */
    record NeighbourChanged(Neighbour neighbour, boolean resync) implements NetlinkEvent {
    }

    /** A neighbour entry was removed (not cached). */
    record NeighbourRemoved(Neighbour neighbour, boolean resync) implements NetlinkEvent {
    }

    /**
     * Delivered after the link/address reconciliation that follows an overrun. Route and neighbour events lost in the
     * overrun are not replayed: a consumer of those should dump routes/neighbours again when it sees this.
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

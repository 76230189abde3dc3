package io.fulcrum.netlink.rtnl;

import java.io.PrintStream;
import java.util.Comparator;
import java.util.function.IntFunction;

/**
 * Prints link and address events as one line each to a stream given to it: the output of an operator's
 * {@code fulcrum --netlink-monitor}, and a readable trace in tests.
 *
 * <p>Lines look like {@code link up w0 index 2 mtu 1500 mac 02:00:00:00:00:01 state UP} and
 * {@code addr added 10.0.0.1/24 dev w0}; events synthesized after an overrun end with {@code (resync)}. Route and
 * neighbour events are printed when the monitor delivers them. Register with
 * {@link NetlinkMonitorAgent#addListener}; called on the monitor's thread.
 */
public final class NetlinkObserver implements NetlinkListener {

    private final PrintStream out;
    private final IntFunction<String> names;

    /** An observer naming interfaces from {@code monitor}'s cache. */
    public NetlinkObserver(PrintStream out, NetlinkMonitorAgent monitor) {
        this(out, index -> monitor.state().link(index).map(Link::name).orElse("ifindex " + index));
    }

    /** An observer naming interfaces through {@code names} (index to name). */
    public NetlinkObserver(PrintStream out, IntFunction<String> names) {
        this.out = out;
        this.names = names;
    }

    /** Prints every cached link and address as {@code link present ...} / {@code addr present ...} lines. */
    public void printState(NetlinkState state) {
        state.links().values().stream().sorted(Comparator.comparingInt(Link::index))
                .forEach(l -> out.println(link("present", l, false)));
        state.addresses().values().stream()
                .sorted(Comparator.comparingInt(Address::ifindex).thenComparing(Address::cidr))
                .forEach(a -> out.println("addr present " + a.cidr() + " dev " + names.apply(a.ifindex())));
        out.flush();
    }

    @Override
    public void onEvent(NetlinkEvent event) {
        out.println(format(event));
        out.flush();
    }

    /** The line printed for {@code event}. */
    public String format(NetlinkEvent event) {
        return switch (event) {
            case NetlinkEvent.LinkAdded e -> link("added", e.link(), e.resync());
            case NetlinkEvent.LinkRemoved e -> link("removed", e.link(), e.resync());
            case NetlinkEvent.LinkUp e -> link("up", e.link(), e.resync());
            case NetlinkEvent.LinkDown e -> link("down", e.link(), e.resync());
            case NetlinkEvent.LinkChanged e -> link("changed", e.after(), e.resync());
            case NetlinkEvent.AddressAdded e -> addr("added", e.address(), e.resync());
            case NetlinkEvent.AddressRemoved e -> addr("removed", e.address(), e.resync());
            case NetlinkEvent.RouteAdded e -> "route added " + e.route().describe() + tail(e.resync());
            case NetlinkEvent.RouteRemoved e -> "route removed " + e.route().describe() + tail(e.resync());
            case NetlinkEvent.NeighbourChanged e -> "neigh changed " + io.fulcrum.netlink.IpText.format(
                    e.neighbour().destination()) + " lladdr " + e.neighbour().lladdr() + " dev "
                    + names.apply(e.neighbour().ifindex()) + tail(e.resync());
            case NetlinkEvent.NeighbourRemoved e -> "neigh removed " + io.fulcrum.netlink.IpText.format(
                    e.neighbour().destination()) + " dev " + names.apply(e.neighbour().ifindex()) + tail(e.resync());
            case NetlinkEvent.Resynchronized e -> "resynchronised after receive buffer overrun " + e.overruns();
        };
    }

    private static String link(String what, Link l, boolean resync) {
        return "link " + what + " " + l.name() + " index " + l.index() + " mtu " + l.mtu()
                + (l.mac().isEmpty() ? "" : " mac " + l.mac()) + " state " + l.operStateName()
                + (l.adminUp() ? " admin-up" : " admin-down") + (l.isUp() ? " running" : "") + tail(resync);
    }

    private String addr(String what, Address a, boolean resync) {
        return "addr " + what + " " + a.cidr() + " dev " + names.apply(a.ifindex()) + tail(resync);
    }

    private static String tail(boolean resync) {
        return resync ? " (resync)" : "";
    }
}

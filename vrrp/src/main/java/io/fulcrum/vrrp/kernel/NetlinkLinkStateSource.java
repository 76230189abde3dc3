package io.fulcrum.vrrp.kernel;

import io.fulcrum.netlink.rtnl.Link;
import io.fulcrum.netlink.rtnl.NetlinkEvent;
import io.fulcrum.netlink.rtnl.NetlinkMonitorAgent;
import io.fulcrum.netlink.rtnl.NetlinkMonitorContext;
import io.fulcrum.vrrp.LinkStateListener;
import io.fulcrum.vrrp.LinkStateSource;

/**
 * Link state from the netlink monitor ({@link NetlinkMonitorAgent}): its socket is read by the VRRP event loop itself,
 * every link's current state is reported at start, and after a receive-buffer overrun the monitor's re-dump delivers
 * the changes that were lost, so no link-up is ever missed.
 *
 * <p>Created, started, driven and closed on the VRRP thread (the monitor socket opens in its namespace).
 */
public final class NetlinkLinkStateSource implements LinkStateSource {

    private final NetlinkMonitorContext context;
    private NetlinkMonitorAgent monitor;

    /** A source with the monitor's defaults (8 MiB forced receive buffer). */
    public NetlinkLinkStateSource() {
        this(new NetlinkMonitorContext());
    }

    /** A source with the given monitor settings (e.g. a 4 KiB buffer in the overrun test). */
    public NetlinkLinkStateSource(NetlinkMonitorContext context) {
        this.context = context;
    }

    @Override
    public void start(LinkStateListener listener) {
        monitor = new NetlinkMonitorAgent(context);
        monitor.addListener(event -> {
            switch (event) {
                case NetlinkEvent.LinkUp e -> listener.onLinkState(e.link().name(), true);
                case NetlinkEvent.LinkDown e -> listener.onLinkState(e.link().name(), false);
                case NetlinkEvent.LinkRemoved e -> listener.onLinkState(e.link().name(), false);
                case NetlinkEvent.LinkAdded e -> listener.onLinkState(e.link().name(), e.link().isUp());
                default -> {
                }
            }
        });
        for (Link l : monitor.state().links().values()) {
            listener.onLinkState(l.name(), l.isUp());
        }
    }

    @Override
    public int doWork() {
        return monitor == null ? 0 : monitor.doWork();
    }

    @Override
    public int pollFd() {
        return monitor == null ? -1 : monitor.fd();
    }

    /** The monitor (overrun count, state); for tests and metrics. */
    public NetlinkMonitorAgent monitor() {
        return monitor;
    }

    @Override
    public void close() {
        if (monitor != null) {
            monitor.close();
        }
    }
}

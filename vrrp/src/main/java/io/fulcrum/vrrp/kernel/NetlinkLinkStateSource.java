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

    private final KernelNetlink kernel;
    private NetlinkMonitorAgent monitor;

    /** A source with its own monitor with default settings (8 MiB forced receive buffer). */
    public NetlinkLinkStateSource() {
        this(new KernelNetlink(new NetlinkMonitorContext()));
    }

    /** A source reading the shared monitor of {@code kernel} (which also drives its address guard). */
    public NetlinkLinkStateSource(KernelNetlink kernel) {
        this.kernel = kernel;
    }

    @Override
    public void start(LinkStateListener listener) {
        monitor = kernel.monitor();
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
        return kernel.doWork();
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
        kernel.close();
    }
}

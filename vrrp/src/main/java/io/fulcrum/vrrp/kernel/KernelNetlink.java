package io.fulcrum.vrrp.kernel;

import io.fulcrum.netlink.rtnl.AddressGuard;
import io.fulcrum.netlink.rtnl.NetlinkMonitorAgent;
import io.fulcrum.netlink.rtnl.NetlinkMonitorContext;
import io.fulcrum.netlink.rtnl.Rtnetlink;
import org.agrona.concurrent.SystemNanoClock;

/**
 * The netlink parts the VRRP engine shares between link tracking and address ownership: one monitor socket, one
 * request socket and the {@link AddressGuard} that restores owned addresses someone else removes.
 *
 * <p>Opened lazily by the first user on the VRRP thread (so the sockets live in that thread's network namespace), used
 * and closed only there.
 */
public final class KernelNetlink implements AutoCloseable {

    private final NetlinkMonitorContext monitorContext;
    private NetlinkMonitorAgent monitor;
    private Rtnetlink rtnl;
    private AddressGuard guard;

    /** Shared netlink state with the given monitor settings. */
    public KernelNetlink(NetlinkMonitorContext monitorContext) {
        this.monitorContext = monitorContext;
    }

    private void open() {
        if (monitor == null) {
            monitor = new NetlinkMonitorAgent(monitorContext);
            rtnl = Rtnetlink.open();
            guard = new AddressGuard(rtnl, SystemNanoClock.INSTANCE);
            monitor.addListener(guard);
        }
    }

    /** The monitor (opened on first use). */
    public NetlinkMonitorAgent monitor() {
        open();
        return monitor;
    }

    /** The request socket (opened on first use). */
    public Rtnetlink rtnl() {
        open();
        return rtnl;
    }

    /** The address guard (opened on first use). */
    public AddressGuard guard() {
        open();
        return guard;
    }

    /** Reads the monitor and lets the guard restore what was removed; returns the work done. */
    public int doWork() {
        if (monitor == null) {
            return 0;
        }
        return monitor.doWork() + guard.doWork();
    }

    @Override
    public void close() {
        if (monitor != null) {
            monitor.close();
            rtnl.close();
            monitor = null;
        }
    }
}

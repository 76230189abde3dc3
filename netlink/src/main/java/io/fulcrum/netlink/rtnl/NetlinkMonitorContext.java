package io.fulcrum.netlink.rtnl;

/**
 * Settings of a {@link NetlinkMonitorAgent}: the receive buffer and which groups to follow.
 *
 * <p>Mutable until {@link #conclude()}, then read-only; build and conclude on one thread before the agent starts. The
 * buffer size comes from keepalived's {@code vrrp_netlink_monitor_rcv_bufs} (and {@code _force}) when configured, else
 * the tuning default of 8 MiB.
 */
public final class NetlinkMonitorContext {

    /** Default monitor receive buffer: 8 MiB. */
    public static final int DEFAULT_RECEIVE_BUFFER = 8 << 20;
    /** Smallest buffer accepted (tests force 4 KiB to provoke overruns). */
    public static final int MIN_RECEIVE_BUFFER = 1024;

    private int receiveBufferBytes = DEFAULT_RECEIVE_BUFFER;
    private boolean forceReceiveBuffer = true;
    private boolean routes;
    private boolean neighbours;
    private int batchLimit = 256;
    private boolean concluded;

    /** Requested receive buffer in bytes ({@code vrrp_netlink_monitor_rcv_bufs}); returns this. */
    public NetlinkMonitorContext receiveBufferBytes(int bytes) {
        checkOpen();
        this.receiveBufferBytes = bytes;
        return this;
    }

    /** Whether to use SO_RCVBUFFORCE ({@code vrrp_netlink_monitor_rcv_bufs_force}, default true); returns this. */
    public NetlinkMonitorContext forceReceiveBuffer(boolean force) {
        checkOpen();
        this.forceReceiveBuffer = force;
        return this;
    }

    /** Also mirror routes (IPv4 and IPv6, every table) and deliver route events; returns this. */
    public NetlinkMonitorContext routes(boolean on) {
        checkOpen();
        this.routes = on;
        return this;
    }

    /** Also mirror neighbours (ARP/ND) and deliver neighbour events; returns this. */
    public NetlinkMonitorContext neighbours(boolean on) {
        checkOpen();
        this.neighbours = on;
        return this;
    }

    /** At most this many datagrams per {@code doWork()} (default 256); returns this. */
    public NetlinkMonitorContext batchLimit(int datagrams) {
        checkOpen();
        this.batchLimit = datagrams;
        return this;
    }

    /** Validates every setting; throws naming the setting, value and limit. Returns this. */
    public NetlinkMonitorContext conclude() {
        if (receiveBufferBytes < MIN_RECEIVE_BUFFER) {
            throw new IllegalArgumentException("vrrp_netlink_monitor_rcv_bufs " + receiveBufferBytes
                    + " below the minimum " + MIN_RECEIVE_BUFFER);
        }
        if (batchLimit < 1) {
            throw new IllegalArgumentException("netlink monitor batch limit " + batchLimit + " must be at least 1");
        }
        concluded = true;
        return this;
    }

    private void checkOpen() {
        if (concluded) {
            throw new IllegalStateException("context already concluded");
        }
    }

    /** The requested receive buffer in bytes. */
    public int receiveBufferBytes() {
        return receiveBufferBytes;
    }

    /** Whether SO_RCVBUFFORCE is tried first. */
    public boolean forceReceiveBuffer() {
        return forceReceiveBuffer;
    }

    /** Whether route events are delivered. */
    public boolean routes() {
        return routes;
    }

    /** Whether neighbour events are delivered. */
    public boolean neighbours() {
        return neighbours;
    }

    /** Datagrams per {@code doWork()}. */
    public int batchLimit() {
        return batchLimit;
    }
}

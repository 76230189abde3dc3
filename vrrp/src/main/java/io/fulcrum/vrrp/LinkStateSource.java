package io.fulcrum.vrrp;

/**
 * A source of interface up/down reports for {@code track_interface} and the instances' own interfaces.
 *
 * <p>{@link #start} and {@link #doWork} are called on the VRRP thread, so a source backed by a socket (the netlink
 * monitor) is polled by the VRRP event loop itself. A source must report the current state of every interface it knows
 * when started (a full dump), and again after it lost events (overrun).
 */
public interface LinkStateSource extends AutoCloseable {

    /** Starts reporting to {@code listener}, beginning with the current state of every known interface. */
    void start(LinkStateListener listener);

    /** Does pending work (reads the monitor socket); returns how much. Default: nothing to do. */
    default int doWork() {
        return 0;
    }

    /** A file descriptor the event loop should wait on (the monitor socket), or -1. */
    default int pollFd() {
        return -1;
    }

    /** Stops reporting. */
    @Override
    default void close() {
    }

    /** A source that never reports (every interface is taken as up). */
    static LinkStateSource none() {
        return listener -> {
        };
    }
}

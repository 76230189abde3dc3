package io.fulcrum.dataplane.io;

import io.fulcrum.netlink.LinuxSocket;

/**
 * Whether this kernel offers AF_XDP sockets, probed once by opening one, with the cause kept when it does not
 * (Netty's {@code Epoll.isAvailable()} / {@code Epoll.unavailabilityCause()} pattern). Attaching the XDP program is
 * checked per interface at start-up by {@link DataplaneIo}.
 *
 * <p>Thread-safe; the probe runs at most once.
 */
public final class XdpAvailability {

    private static final String CAUSE = probe();

    private XdpAvailability() {
    }

    private static String probe() {
        try (LinuxSocket s = LinuxSocket.xdp()) {
            return s.isOpen() ? null : "AF_XDP socket closed at once";
        } catch (RuntimeException | LinkageError e) {
            return e.getMessage();
        }
    }

    /** Whether AF_XDP sockets can be opened. */
    public static boolean isAvailable() {
        return CAUSE == null;
    }

    /** Why AF_XDP is unavailable, or null when it is available. */
    public static String unavailabilityCause() {
        return CAUSE;
    }
}

package io.fulcrum.dataplane.io;

/**
 * Whether AF_XDP can be used, probed once, with the cause kept when it cannot (Netty's
 * {@code Epoll.unavailabilityCause()} pattern).
 *
 * <p>Thread-safe; the probe runs at most once.
 */
public final class XdpAvailability {

    private static final String CAUSE = "the AF_XDP port is not built yet in this version";

    private XdpAvailability() {
    }

    /** Whether AF_XDP ports can be opened. */
    public static boolean isAvailable() {
        return false;
    }

    /** Why AF_XDP is unavailable (null when available). */
    public static String unavailabilityCause() {
        return CAUSE;
    }
}

package io.fulcrum.appliance;

import io.fulcrum.netlink.UnixDatagram;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * systemd's readiness protocol ({@code Type=notify}): {@code READY=1} once the daemon runs, {@code STOPPING=1} when it
 * stops, sent as a datagram to {@code $NOTIFY_SOCKET} through the netlink module's {@link UnixDatagram}. Does nothing
 * when the variable is unset (not started by systemd).
 *
 * <p>Any thread.
 */
final class SystemdNotify {

    private static final Logger LOG = LoggerFactory.getLogger("io.fulcrum.appliance.SystemdNotify");

    private SystemdNotify() {
    }

    /** Tells systemd the daemon is ready; returns whether a message was sent. */
    static boolean ready() {
        return send("READY=1\nMAINPID=" + ProcessHandle.current().pid() + "\nSTATUS=running\n");
    }

    /** Tells systemd the daemon is stopping. */
    static boolean stopping() {
        return send("STOPPING=1\n");
    }

    static boolean send(String state) {
        String socket = System.getenv("NOTIFY_SOCKET");
        if (socket == null || socket.isEmpty()) {
            return false;
        }
        try {
            UnixDatagram.send(socket, state.getBytes(StandardCharsets.UTF_8));
            return true;
        } catch (RuntimeException e) {
            LOG.warn("sd_notify to {} failed: {}", socket, e.getMessage());
            return false;
        }
    }
}

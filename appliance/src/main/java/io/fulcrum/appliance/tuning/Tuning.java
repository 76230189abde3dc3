package io.fulcrum.appliance.tuning;

import io.fulcrum.dataplane.conn.ConnectionTimeouts;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Runtime tuning of the appliance (the role dpvs.conf plays for DPVS), read from HOCON under the {@code fulcrum} root:
 * the embedded {@code reference.conf} defaults, optionally overridden by {@code --tuning FILE}. Every value has been
 * validated by {@link TuningLoader}.
 *
 * <p>Immutable; any thread.
 *
 * @param dataplane packet I/O and connection tables
 * @param netlink netlink socket buffers
 * @param healthcheck health-check threads and script limits
 * @param metrics the metrics endpoint
 * @param control the control socket
 */
public record Tuning(Dataplane dataplane, Netlink netlink, Healthcheck healthcheck, Metrics metrics, Control control) {

    /** How packets reach the dataplane. */
    public enum IoMode {
        /** AF_XDP when the kernel and driver allow it, else AF_PACKET (the choice and reason are logged). */
        AUTO,
        /** AF_XDP only; start fails when it is unavailable. */
        XDP,
        /** AF_PACKET (TPACKET_V3) only. */
        PACKET
    }

    /**
     * {@code fulcrum.dataplane}.
     *
     * @param ioMode {@code io-mode}
     * @param workers {@code workers}, 0 meaning one per receive queue
     * @param ringSize {@code ring-size} descriptors per ring
     * @param frameSize {@code frame-size} bytes per packet buffer
     * @param frameCount {@code frame-count} packet buffers per worker
     * @param batchSize {@code batch-size} packets per receive batch
     * @param connTableCapacity {@code conn-table-capacity} connection slots over all workers
     * @param timeouts {@code timeouts}, per connection state
     */
    public record Dataplane(IoMode ioMode, int workers, int ringSize, int frameSize, int frameCount, int batchSize,
                            int connTableCapacity, Timeouts timeouts) {
    }

    /**
     * Idle timeouts per connection state: {@code tcp}, {@code tcpfin} and {@code udp} as {@code ipvsadm --set tcp
     * tcpfin udp}; the other TCP states as DPVS's per-state timeouts.
     *
     * @param tcp ESTABLISHED ({@code tcp})
     * @param tcpfin FIN_WAIT, after the first FIN ({@code tcpfin})
     * @param udp UDP ({@code udp})
     * @param synRecv SYN_RECV, after the client's SYN until the handshake completes ({@code syn-recv})
     * @param timeWait TIME_WAIT, after both FINs ({@code time-wait})
     * @param close CLOSE, after a RST ({@code close})
     */
    public record Timeouts(Duration tcp, Duration tcpfin, Duration udp, Duration synRecv, Duration timeWait,
                           Duration close) {

        /**
         * The dataplane's timeouts: {@code tcp}, {@code tcpfin} and {@code udp} applied as {@code ipvsadm --set} in
         * whole seconds (as {@code lvs_timeouts}), the other states as given.
         */
        public ConnectionTimeouts toConnectionTimeouts() {
            ConnectionTimeouts set = ConnectionTimeouts.DEFAULTS.withIpvsadmSet((int) tcp.toSeconds(),
                    (int) tcpfin.toSeconds(), (int) udp.toSeconds());
            return new ConnectionTimeouts(set.tcp(), set.tcpFin(), set.udp(), synRecv, timeWait, close);
        }
    }

    /**
     * {@code fulcrum.netlink}.
     *
     * @param monitorRcvbuf {@code monitor-rcvbuf} bytes for the link/address monitor socket
     * @param cmdRcvbuf {@code cmd-rcvbuf} bytes for the command socket
     * @param force {@code force}: use SO_RCVBUFFORCE to exceed net.core.rmem_max
     */
    public record Netlink(int monitorRcvbuf, int cmdRcvbuf, boolean force) {
    }

    /**
     * {@code fulcrum.healthcheck}.
     *
     * @param eventLoopThreads {@code event-loop-threads}
     * @param scriptPoolSize {@code script-pool-size}: scripts running at once
     * @param scriptTimeout {@code script-timeout} when the configuration gives none
     * @param scriptQueue {@code script-queue}: scripts waiting for a slot before further runs are skipped
     */
    public record Healthcheck(int eventLoopThreads, int scriptPoolSize, Duration scriptTimeout, int scriptQueue) {
    }

    /**
     * {@code fulcrum.metrics}.
     *
     * @param enabled {@code enabled}
     * @param host the host part of {@code address}
     * @param port the port part of {@code address}
     */
    public record Metrics(boolean enabled, String host, int port) {
    }

    /**
     * {@code fulcrum.control}.
     *
     * @param socket {@code socket}: the admin tool's Unix socket
     */
    public record Control(Path socket) {
    }
}

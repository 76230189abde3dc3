package io.fulcrum.appliance;

import io.fulcrum.dataplane.counters.DataplaneCounter;
import io.fulcrum.dataplane.service.ForwardingMethod;
import io.fulcrum.dataplane.service.Protocol;
import io.fulcrum.dataplane.service.SchedulerKind;
import io.fulcrum.dataplane.service.ServiceKey;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A read-only view of the running appliance for the admin socket ({@code fulcrumadm}) and the metrics endpoint: VRRP
 * instances, virtual services with their real servers and counters, local-address pools, dataplane workers, the
 * connection table, checker results and netlink health.
 *
 * <p>Thread-safety: every method may be called from any thread at any time, concurrently with the daemon's own threads
 * and with {@link ApplianceCommands}. Each call returns an immutable snapshot taken at the moment of the call (counter
 * values are read without locks from the dataplane's per-worker slots, so two calls may see slightly different
 * totals; a single returned record is internally consistent only for configuration fields). No method blocks on the
 * packet path. Calls made while the appliance is stopping return the last state or empty lists; they never throw.
 */
public interface ApplianceView {

    /** What the process runs. */
    enum Mode {
        /** {@code fulcrum -f}: VRRP, checkers and the dataplane. */
        FULL,
        /** {@code fulcrum -P}: VRRP only, VIPs as kernel addresses. */
        VRRP_ONLY,
        /** {@code fulcrum -C}: health checks only (results logged and shown here; no dataplane). */
        CHECK_ONLY
    }

    /**
     * General facts about the process.
     *
     * @param mode what runs
     * @param configFile the configuration file in use
     * @param configGeneration 1 at start, +1 for each applied reload or runtime command
     * @param startedAt when the daemon started
     * @param lastReload when the last reload was applied (or {@code startedAt})
     * @param dataplanePortKind {@code AF_XDP}, {@code AF_PACKET}, or {@code none} without a dataplane
     * @param dataplaneInterfaces the interfaces the dataplane is attached to
     */
    record Status(Mode mode, Path configFile, long configGeneration, Instant startedAt, Instant lastReload,
                  String dataplanePortKind, List<String> dataplaneInterfaces) {
    }

    /** The process status. */
    Status status();

    /**
     * One VRRP instance.
     *
     * @param name the {@code vrrp_instance} name
     * @param interfaceName its interface
     * @param virtualRouterId its VRID
     * @param version 2 or 3
     * @param state {@code INIT}, {@code BACKUP}, {@code MASTER}, {@code FAULT} or {@code STOP}
     * @param priority the configured priority
     * @param effectivePriority the priority after tracking weights
     * @param masterAddress the current master's address: while BACKUP, the source of the last advertisement accepted
     *     from the master; while MASTER, this node's advertisement source; null when unknown (INIT, FAULT, STOP, or a
     *     BACKUP that has not heard a master yet)
     * @param advertIntervalCentis the advertisement interval in use, in centiseconds
     * @param virtualAddresses the instance's virtual addresses
     * @param stats keepalived's statistics by keepalived's names ({@code advert_rcvd}, {@code become_master}, ...)
     */
    record VrrpInstanceInfo(String name, String interfaceName, int virtualRouterId, int version, String state,
                            int priority, int effectivePriority, InetAddress masterAddress, int advertIntervalCentis,
                            List<InetAddress> virtualAddresses, Map<String, Long> stats) {
    }

    /** Every VRRP instance in configuration order (empty in {@link Mode#CHECK_ONLY}). */
    List<VrrpInstanceInfo> vrrpInstances();

    /**
     * Traffic totals since start or the last zeroing ({@code ipvsadm --stats}).
     *
     * @param connections connections scheduled
     * @param packetsIn packets from clients
     * @param packetsOut packets to clients
     * @param bytesIn bytes from clients
     * @param bytesOut bytes to clients
     */
    record TrafficStats(long connections, long packetsIn, long packetsOut, long bytesIn, long bytesOut) {
        /** All zero. */
        public static final TrafficStats ZERO = new TrafficStats(0, 0, 0, 0, 0);
    }

    /**
     * Per-second rates over the last estimation interval ({@code ipvsadm --rate}); all zero until two samples exist.
     *
     * @param connectionsPerSecond connections per second
     * @param packetsInPerSecond incoming packets per second
     * @param packetsOutPerSecond outgoing packets per second
     * @param bytesInPerSecond incoming bytes per second
     * @param bytesOutPerSecond outgoing bytes per second
     */
    record TrafficRates(long connectionsPerSecond, long packetsInPerSecond, long packetsOutPerSecond,
                        long bytesInPerSecond, long bytesOutPerSecond) {
        /** All zero. */
        public static final TrafficRates ZERO = new TrafficRates(0, 0, 0, 0, 0);
    }

    /**
     * One real server of a virtual service.
     *
     * @param address its address
     * @param port its port
     * @param forwardMethod how packets reach it
     * @param weight the weight the dataplane uses now (0 while down or drained)
     * @param configuredWeight the weight from the configuration or the last runtime edit
     * @param alive whether its checkers say it is up (true without checkers)
     * @param activeConnections established connections to this server in the dataplane's tables (ipvsadm's ActiveConn)
     * @param inactiveConnections its other connections: TCP before the handshake completed or after a FIN or RST,
     *        and UDP flows (ipvsadm's InActConn)
     * @param stats traffic totals
     * @param rates traffic rates
     */
    record RealServerInfo(InetAddress address, int port, ForwardingMethod forwardMethod, int weight,
                          int configuredWeight, boolean alive, long activeConnections, long inactiveConnections,
                          TrafficStats stats, TrafficRates rates) {
    }

    /**
     * One virtual service.
     *
     * @param key protocol, address and port
     * @param protocol the protocol
     * @param address the virtual address
     * @param port the virtual port
     * @param scheduler the scheduler ({@code lb_algo})
     * @param forwardMethod the forwarding method ({@code lb_kind})
     * @param persistenceTimeoutSeconds {@code persistence_timeout} (0: none)
     * @param localAddressGroup the FullNAT {@code laddr_group_name}, or null
     * @param owned whether this node owns the virtual address now (VRRP MASTER, or no VRRP instance holds it)
     * @param realServers the real servers in configuration order
     * @param stats traffic totals
     * @param rates traffic rates
     */
    record VirtualServiceInfo(ServiceKey key, Protocol protocol, InetAddress address, int port,
                              SchedulerKind scheduler, ForwardingMethod forwardMethod, int persistenceTimeoutSeconds,
                              String localAddressGroup, boolean owned, List<RealServerInfo> realServers,
                              TrafficStats stats, TrafficRates rates) {
    }

    /** Every virtual service the dataplane serves, in configuration order (empty without a dataplane). */
    List<VirtualServiceInfo> virtualServices();

    /**
     * One local address of a FullNAT service ({@code ipvsadm -G}).
     *
     * @param service the service
     * @param address the local address
     * @param connections connections using it (each holds one local port)
     * @param portsAvailable local ports per address ({@code dataplane.local_ports} range size)
     * @param draining whether it was deleted while in use and waits for its connections to end
     */
    record LocalAddressInfo(ServiceKey service, InetAddress address, long connections, long portsAvailable,
                            boolean draining) {
    }

    /** Every local address of every FullNAT service. */
    List<LocalAddressInfo> localAddresses();

    /**
     * One dataplane worker's counters.
     *
     * @param worker the worker index
     * @param counters every {@link DataplaneCounter} of that worker
     */
    record WorkerInfo(int worker, Map<DataplaneCounter, Long> counters) {
    }

    /** Every dataplane worker (empty without a dataplane). */
    List<WorkerInfo> dataplaneWorkers();

    /**
     * Connection-table occupancy.
     *
     * @param capacityPerWorker entries per worker
     * @param workers the number of workers
     * @param activePerWorker connections live in each worker's table
     */
    record ConnectionTableInfo(int capacityPerWorker, int workers, List<Long> activePerWorker) {
        /** Live connections summed over workers. */
        public long active() {
            return activePerWorker.stream().mapToLong(Long::longValue).sum();
        }
    }

    /** The connection tables, or null without a dataplane. */
    ConnectionTableInfo connectionTable();

    /**
     * One real server's checker verdict.
     *
     * @param virtualServer the virtual server label as keepalived prints it ({@code [10.0.0.100]:tcp:80})
     * @param realServer the real server label ({@code [10.0.0.2]:tcp:80})
     * @param checkers the checker keywords ({@code TCP_CHECK}, ...)
     * @param up whether all its checkers pass
     * @param weight the weight the checkers give it (0 when down with {@code inhibit_on_failure})
     * @param changes state changes since start
     * @param lastChange when it last changed (or the start)
     */
    record CheckerInfo(String virtualServer, String realServer, List<String> checkers, boolean up, int weight,
                       long changes, Instant lastChange) {
    }

    /** Every checked real server (empty in {@link Mode#VRRP_ONLY}). */
    List<CheckerInfo> checkers();

    /** Netlink receive-buffer overruns (ENOBUFS) recovered by a full re-dump since start, or -1 when not known. */
    long netlinkOverruns();
}

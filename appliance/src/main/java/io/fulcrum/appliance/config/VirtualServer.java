package io.fulcrum.appliance.config;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/**
 * A {@code virtual_server} block: a layer-4 service ({@code ADDR PORT}, {@code fwmark N} or {@code group NAME}), its
 * scheduling and forwarding method, and its real servers; with DPVS's FullNAT extensions.
 *
 * <p>Immutable; any thread.
 *
 * @param address the service address, or null for fwmark and group services
 * @param port the service port (0 for fwmark and group services or when not given)
 * @param fwmark the firewall mark, or null
 * @param group the {@code virtual_server_group} name, or null
 * @param protocol {@code protocol} TCP, UDP or SCTP (without it, UDP for an address service, as keepalived does)
 * @param lbAlgo {@code lb_algo} / {@code lvs_sched} (default wlc)
 * @param lbKind {@code lb_kind} / {@code lvs_method}: NAT, DR, TUN, FNAT or SNAT (default NAT)
 * @param delayLoop {@code delay_loop} (default 60 s)
 * @param persistenceTimeout {@code persistence_timeout} seconds, or null
 * @param persistenceGranularity {@code persistence_granularity} netmask, or null
 * @param sorryServer {@code sorry_server} or null
 * @param sorryServerInhibit {@code sorry_server_inhibit}
 * @param quorum {@code quorum} (default 1)
 * @param hysteresis {@code hysteresis} (default 0)
 * @param quorumUp {@code quorum_up} command or null
 * @param quorumDown {@code quorum_down} command or null
 * @param alpha {@code alpha}
 * @param omega {@code omega}
 * @param inhibitOnFailure {@code inhibit_on_failure}
 * @param virtualhost {@code virtualhost} or null
 * @param haSuspend {@code ha_suspend}
 * @param connectTimeout {@code connect_timeout} default for checkers, or null
 * @param retry {@code retry} default for checkers, or null
 * @param delayBeforeRetry {@code delay_before_retry} default for checkers, or null
 * @param warmup {@code warmup} default for checkers, or null
 * @param laddrGroupName DPVS {@code laddr_group_name}, or null
 * @param synProxy DPVS {@code syn_proxy}
 * @param daddrGroupName DPVS {@code daddr_group_name} (deny list), or null
 * @param waddrGroupName DPVS {@code waddr_group_name} (allow list), or null
 * @param toa {@code toa}: insert the client address TCP option (FullNAT)
 * @param ipFamily {@code ip_family}, or the family of the address
 * @param realServers the {@code real_server} blocks
 * @param origin where the block starts
 */
public record VirtualServer(
        InetAddress address,
        int port,
        Integer fwmark,
        String group,
        String protocol,
        String lbAlgo,
        String lbKind,
        Duration delayLoop,
        Integer persistenceTimeout,
        String persistenceGranularity,
        SorryServer sorryServer,
        boolean sorryServerInhibit,
        int quorum,
        int hysteresis,
        String quorumUp,
        String quorumDown,
        boolean alpha,
        boolean omega,
        boolean inhibitOnFailure,
        String virtualhost,
        boolean haSuspend,
        Duration connectTimeout,
        Integer retry,
        Duration delayBeforeRetry,
        Duration warmup,
        String laddrGroupName,
        boolean synProxy,
        String daddrGroupName,
        String waddrGroupName,
        boolean toa,
        Family ipFamily,
        List<RealServer> realServers,
        Origin origin) {

    /** Copies the list. */
    public VirtualServer {
        realServers = List.copyOf(realServers);
    }

    /** How keepalived names the service in its log lines: {@code [10.0.0.100]:tcp:80}, {@code FWM 1}, {@code group X}. */
    public String label() {
        if (fwmark != null) {
            return "FWM " + fwmark;
        }
        if (group != null) {
            return "[" + group + "]:" + protocol.toLowerCase(java.util.Locale.ROOT);
        }
        return "[" + IpLiteral.format(address) + "]:" + protocol.toLowerCase(java.util.Locale.ROOT) + ":" + port;
    }

    /**
     * A {@code sorry_server ADDR [PORT]}.
     *
     * @param address the address
     * @param port the port (0: the service port)
     */
    public record SorryServer(InetAddress address, int port) {
    }
}

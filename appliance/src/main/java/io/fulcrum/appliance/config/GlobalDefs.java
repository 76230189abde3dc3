package io.fulcrum.appliance.config;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code global_defs} block. Fields use keepalived's defaults when the keyword is absent; nullable fields are
 * null when not configured.
 *
 * <p>Immutable; any thread.
 *
 * @param routerId {@code router_id} (null: the host name is used)
 * @param vrrpVersion {@code vrrp_version} 2 or 3 (default 2)
 * @param vrrpGarpMasterDelay {@code vrrp_garp_master_delay} (default 5 s)
 * @param vrrpGarpMasterRepeat {@code vrrp_garp_master_repeat} (default 5)
 * @param vrrpGarpMasterRefresh {@code vrrp_garp_master_refresh} (zero: no periodic refresh)
 * @param vrrpGarpMasterRefreshRepeat {@code vrrp_garp_master_refresh_repeat} (default 1)
 * @param vrrpGarpInterval {@code vrrp_garp_interval} between gratuitous ARPs (default zero)
 * @param vrrpGnaInterval {@code vrrp_gna_interval} between unsolicited NAs (default zero)
 * @param vrrpNetlinkMonitorRcvBufs {@code vrrp_netlink_monitor_rcv_bufs} bytes (0: system default)
 * @param vrrpNetlinkMonitorRcvBufsForce {@code vrrp_netlink_monitor_rcv_bufs_force}
 * @param vrrpNetlinkCmdRcvBufs {@code vrrp_netlink_cmd_rcv_bufs} bytes (0: system default)
 * @param vrrpNetlinkCmdRcvBufsForce {@code vrrp_netlink_cmd_rcv_bufs_force}
 * @param notifyFifo {@code notify_fifo} path or null
 * @param enableScriptSecurity {@code enable_script_security}
 * @param scriptUser {@code script_user} or null
 * @param scriptGroup the group given after {@code script_user}, or null
 * @param lvsTimeouts {@code lvs_timeouts} or null
 * @param notificationEmail {@code notification_email} addresses
 * @param notificationEmailFrom {@code notification_email_from} or null
 * @param smtpServer {@code smtp_server} or null
 * @param smtpConnectTimeout {@code smtp_connect_timeout} or null
 * @param vrrpStrict {@code vrrp_strict}
 * @param other recognised keepalived keywords Fulcrum stores but does not interpret, keyword to value
 */
public record GlobalDefs(
        String routerId,
        int vrrpVersion,
        Duration vrrpGarpMasterDelay,
        int vrrpGarpMasterRepeat,
        Duration vrrpGarpMasterRefresh,
        int vrrpGarpMasterRefreshRepeat,
        Duration vrrpGarpInterval,
        Duration vrrpGnaInterval,
        long vrrpNetlinkMonitorRcvBufs,
        boolean vrrpNetlinkMonitorRcvBufsForce,
        long vrrpNetlinkCmdRcvBufs,
        boolean vrrpNetlinkCmdRcvBufsForce,
        String notifyFifo,
        boolean enableScriptSecurity,
        String scriptUser,
        String scriptGroup,
        LvsTimeouts lvsTimeouts,
        List<String> notificationEmail,
        String notificationEmailFrom,
        String smtpServer,
        Duration smtpConnectTimeout,
        boolean vrrpStrict,
        Map<String, String> other) {

    /** Copies the collections. */
    public GlobalDefs {
        notificationEmail = List.copyOf(notificationEmail);
        other = Collections.unmodifiableMap(new LinkedHashMap<>(other));
    }

    /** The defaults keepalived uses when there is no {@code global_defs}. */
    public static GlobalDefs defaults() {
        return new GlobalDefs(null, 2, Duration.ofSeconds(5), 5, Duration.ZERO, 1, Duration.ZERO, Duration.ZERO,
                0, false, 0, false, null, false, null, null, null, List.of(), null, null, null, false, Map.of());
    }

    /**
     * {@code lvs_timeouts tcp N tcpfin N udp N}, as {@code ipvsadm --set}; null fields were not given.
     *
     * @param tcp established TCP timeout
     * @param tcpfin TCP FIN_WAIT timeout
     * @param udp UDP timeout
     */
    public record LvsTimeouts(Duration tcp, Duration tcpfin, Duration udp) {
    }
}

package io.fulcrum.appliance.config;

import java.util.Map;
import java.util.Set;

/**
 * The keywords each block knows, used only to suggest the intended keyword for a misspelt one ("did you mean
 * 'priority'?"). Stateless; any thread.
 */
final class KeywordHints {

    private static final Set<String> CHECKER_COMMON = Set.of("connect_ip", "connect_port", "bindto", "bind_port", "bind_if",
            "fwmark", "connect_timeout", "retry", "nb_get_retry", "delay_before_retry", "warmup", "delay_loop", "alpha",
            "log_all_failures");

    private static final Map<String, Set<String>> KNOWN = Map.ofEntries(
            Map.entry("top", Set.of("global_defs", "vrrp_instance", "vrrp_sync_group", "vrrp_script", "track_file",
                    "virtual_server_group", "virtual_server", "local_address_group", "deny_address_group",
                    "allow_address_group", "include", "static_ipaddress", "static_routes")),
            Map.entry("global_defs", Set.of("router_id", "vrrp_version", "vrrp_garp_master_delay", "vrrp_garp_master_repeat",
                    "vrrp_garp_master_refresh", "vrrp_garp_master_refresh_repeat", "vrrp_garp_interval", "vrrp_gna_interval",
                    "vrrp_netlink_monitor_rcv_bufs", "vrrp_netlink_monitor_rcv_bufs_force", "vrrp_netlink_cmd_rcv_bufs",
                    "vrrp_netlink_cmd_rcv_bufs_force", "notify_fifo", "enable_script_security", "script_user",
                    "lvs_timeouts", "notification_email", "notification_email_from", "smtp_server", "smtp_connect_timeout",
                    "vrrp_strict", "vrrp_skip_check_adv_addr", "vrrp_mcast_group4", "vrrp_mcast_group6",
                    "max_auto_priority", "dynamic_interfaces", "lvs_flush", "lvs_sync_daemon", "default_interface")),
            Map.entry("vrrp_instance", Set.of("state", "interface", "virtual_router_id", "priority", "advert_int", "version",
                    "nopreempt", "preempt", "preempt_delay", "authentication", "unicast_src_ip", "unicast_peer",
                    "track_interface", "track_script", "track_file", "virtual_ipaddress", "virtual_ipaddress_excluded",
                    "virtual_routes", "garp_master_delay", "garp_master_repeat", "garp_master_refresh",
                    "garp_master_refresh_repeat", "notify_master", "notify_backup", "notify_fault", "notify_stop", "notify",
                    "smtp_alert", "dont_track_primary", "use_vmac", "accept", "no_accept", "mcast_src_ip")),
            Map.entry("authentication", Set.of("auth_type", "auth_pass")),
            Map.entry("vrrp_sync_group", Set.of("group", "notify_master", "notify_backup", "notify_fault", "notify_stop",
                    "notify", "smtp_alert", "track_script", "global_tracking")),
            Map.entry("vrrp_script", Set.of("script", "interval", "timeout", "weight", "rise", "fall", "user", "init_fail")),
            Map.entry("track_file", Set.of("file", "weight", "init_file")),
            Map.entry("virtual_server", Set.of("protocol", "lb_algo", "lvs_sched", "lb_kind", "lvs_method", "delay_loop",
                    "persistence_timeout", "persistence_granularity", "sorry_server", "sorry_server_inhibit", "quorum",
                    "hysteresis", "quorum_up", "quorum_down", "alpha", "omega", "inhibit_on_failure", "virtualhost",
                    "ha_suspend", "connect_timeout", "retry", "delay_before_retry", "warmup", "laddr_group_name",
                    "syn_proxy", "daddr_group_name", "waddr_group_name", "toa", "ip_family", "real_server")),
            Map.entry("real_server", Set.of("weight", "inhibit_on_failure", "notify_up", "notify_down", "lb_kind",
                    "lvs_method", "uthreshold", "lthreshold", "virtualhost", "alpha", "connect_timeout", "retry",
                    "delay_before_retry", "warmup", "delay_loop", "smtp_alert", "snmp_name", "TCP_CHECK", "HTTP_GET", "SSL_GET", "MISC_CHECK", "UDP_CHECK",
                    "DNS_CHECK", "PING_CHECK", "SMTP_CHECK", "FILE_CHECK", "BFD_CHECK")),
            Map.entry("url", Set.of("path", "digest", "status_code", "virtualhost", "regex", "regex_no_match",
                    "regex_options", "regex_stack", "regex_min_offset", "regex_max_offset")),
            Map.entry("TCP_CHECK", CHECKER_COMMON),
            Map.entry("PING_CHECK", CHECKER_COMMON),
            Map.entry("host", CHECKER_COMMON),
            Map.entry("HTTP_GET", union(CHECKER_COMMON, Set.of("url", "virtualhost", "http_protocol", "fast_recovery"))),
            Map.entry("SSL_GET", union(CHECKER_COMMON, Set.of("url", "virtualhost", "http_protocol", "enable_sni",
                    "fast_recovery"))),
            Map.entry("MISC_CHECK", union(CHECKER_COMMON, Set.of("misc_path", "misc_timeout", "misc_dynamic", "user"))),
            Map.entry("UDP_CHECK", union(CHECKER_COMMON, Set.of("payload", "require_reply", "min_reply_length",
                    "max_reply_length"))),
            Map.entry("DNS_CHECK", union(CHECKER_COMMON, Set.of("type", "name"))),
            Map.entry("SMTP_CHECK", union(CHECKER_COMMON, Set.of("helo_name", "host"))),
            Map.entry("FILE_CHECK", Set.of("track_file", "weight", "dynamic")),
            Map.entry("BFD_CHECK", Set.of("name", "weight")));

    private KeywordHints() {
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        java.util.Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

    /** The known keyword of {@code block} closest to {@code word}, or null when none is close. */
    static String suggest(String block, String word) {
        Set<String> known = KNOWN.get(block);
        if (known == null) {
            return null;
        }
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(word.toLowerCase(java.util.Locale.ROOT), k.toLowerCase(java.util.Locale.ROOT));
            if (d < bestDistance || d == bestDistance && best != null && k.compareTo(best) < 0) {
                bestDistance = d;
                best = k;
            }
        }
        int limit = word.length() <= 4 ? 1 : word.length() <= 8 ? 2 : 3;
        return bestDistance <= limit ? best : null;
    }

    /** Optimal string alignment distance (Levenshtein with transpositions). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}

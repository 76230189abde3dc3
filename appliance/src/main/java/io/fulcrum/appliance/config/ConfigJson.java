package io.fulcrum.appliance.config;

import java.math.BigDecimal;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a {@link KeepalivedConfig} into plain maps and lists whose keys are keepalived's keywords, for
 * {@code fulcrum -t -d} and the control socket. Times are in seconds (fractions allowed); addresses in their usual text.
 * Unset optional values are left out.
 *
 * <p>Stateless; any thread.
 */
public final class ConfigJson {

    private ConfigJson() {
    }

    /** The whole model. */
    public static Map<String, Object> of(KeepalivedConfig c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("global_defs", global(c.globalDefs()));
        m.put("vrrp_script", c.vrrpScripts().stream().map(ConfigJson::script).toList());
        m.put("track_file", c.trackFiles().stream().map(ConfigJson::trackFile).toList());
        m.put("vrrp_sync_group", c.vrrpSyncGroups().stream().map(ConfigJson::syncGroup).toList());
        m.put("vrrp_instance", c.vrrpInstances().stream().map(ConfigJson::instance).toList());
        m.put("local_address_group", c.localAddressGroups().stream().map(ConfigJson::group).toList());
        m.put("deny_address_group", c.denyAddressGroups().stream().map(ConfigJson::group).toList());
        m.put("allow_address_group", c.allowAddressGroups().stream().map(ConfigJson::group).toList());
        m.put("virtual_server_group", c.virtualServerGroups().stream().map(ConfigJson::vsGroup).toList());
        m.put("virtual_server", c.virtualServers().stream().map(ConfigJson::virtualServer).toList());
        return m;
    }

    private static Map<String, Object> global(GlobalDefs g) {
        Map<String, Object> m = new LinkedHashMap<>();
        put(m, "router_id", g.routerId());
        m.put("vrrp_version", g.vrrpVersion());
        put(m, "vrrp_garp_master_delay", g.vrrpGarpMasterDelay());
        m.put("vrrp_garp_master_repeat", g.vrrpGarpMasterRepeat());
        put(m, "vrrp_garp_master_refresh", g.vrrpGarpMasterRefresh());
        m.put("vrrp_garp_master_refresh_repeat", g.vrrpGarpMasterRefreshRepeat());
        put(m, "vrrp_garp_interval", g.vrrpGarpInterval());
        put(m, "vrrp_gna_interval", g.vrrpGnaInterval());
        m.put("vrrp_netlink_monitor_rcv_bufs", g.vrrpNetlinkMonitorRcvBufs());
        m.put("vrrp_netlink_monitor_rcv_bufs_force", g.vrrpNetlinkMonitorRcvBufsForce());
        m.put("vrrp_netlink_cmd_rcv_bufs", g.vrrpNetlinkCmdRcvBufs());
        m.put("vrrp_netlink_cmd_rcv_bufs_force", g.vrrpNetlinkCmdRcvBufsForce());
        put(m, "notify_fifo", g.notifyFifo());
        m.put("enable_script_security", g.enableScriptSecurity());
        put(m, "script_user", g.scriptUser());
        put(m, "script_group", g.scriptGroup());
        if (g.lvsTimeouts() != null) {
            Map<String, Object> t = new LinkedHashMap<>();
            put(t, "tcp", g.lvsTimeouts().tcp());
            put(t, "tcpfin", g.lvsTimeouts().tcpfin());
            put(t, "udp", g.lvsTimeouts().udp());
            m.put("lvs_timeouts", t);
        }
        if (!g.notificationEmail().isEmpty()) {
            m.put("notification_email", g.notificationEmail());
        }
        put(m, "notification_email_from", g.notificationEmailFrom());
        put(m, "smtp_server", g.smtpServer());
        put(m, "smtp_connect_timeout", g.smtpConnectTimeout());
        m.put("vrrp_strict", g.vrrpStrict());
        m.putAll(g.other());
        return m;
    }

    private static Map<String, Object> script(VrrpScript s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.name());
        put(m, "script", s.script());
        put(m, "interval", s.interval());
        put(m, "timeout", s.timeout());
        m.put("weight", s.weight());
        if (s.weightReverse()) {
            m.put("reverse", true);
        }
        m.put("rise", s.rise());
        m.put("fall", s.fall());
        put(m, "user", s.user());
        put(m, "group", s.group());
        if (s.initFail()) {
            m.put("init_fail", true);
        }
        return m;
    }

    private static Map<String, Object> trackFile(TrackFile t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", t.name());
        put(m, "file", t.file());
        m.put("weight", t.weight());
        if (t.reverse()) {
            m.put("reverse", true);
        }
        put(m, "init_file", t.initFile());
        return m;
    }

    private static Map<String, Object> syncGroup(VrrpSyncGroup g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", g.name());
        m.put("group", g.group());
        m.putAll(g.notifyScripts());
        if (g.smtpAlert()) {
            m.put("smtp_alert", true);
        }
        if (!g.trackScript().isEmpty()) {
            m.put("track_script", g.trackScript().stream().map(ConfigJson::trackRef).toList());
        }
        return m;
    }

    private static Map<String, Object> instance(VrrpInstance i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", i.name());
        m.put("state", i.state());
        put(m, "interface", i.interfaceName());
        m.put("virtual_router_id", i.virtualRouterId());
        m.put("priority", i.priority());
        put(m, "advert_int", i.advertInt());
        m.put("version", i.version());
        m.put("family", i.family().keyword());
        m.put("nopreempt", i.nopreempt());
        put(m, "preempt_delay", i.preemptDelay());
        if (i.authentication() != null) {
            Map<String, Object> a = new LinkedHashMap<>();
            put(a, "auth_type", i.authentication().authType());
            put(a, "auth_pass", i.authentication().authPass());
            m.put("authentication", a);
        }
        put(m, "unicast_src_ip", i.unicastSrcIp());
        if (!i.unicastPeer().isEmpty()) {
            m.put("unicast_peer", i.unicastPeer().stream().map(IpLiteral::format).toList());
        }
        if (!i.trackInterface().isEmpty()) {
            m.put("track_interface", i.trackInterface().stream().map(t -> {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("name", t.name());
                x.put("weight", t.weight());
                if (t.reverse()) {
                    x.put("reverse", true);
                }
                return x;
            }).toList());
        }
        if (!i.trackScript().isEmpty()) {
            m.put("track_script", i.trackScript().stream().map(ConfigJson::trackRef).toList());
        }
        if (!i.trackFile().isEmpty()) {
            m.put("track_file", i.trackFile().stream().map(ConfigJson::trackRef).toList());
        }
        m.put("virtual_ipaddress", i.virtualIpaddress().stream().map(ConfigJson::vip).toList());
        if (!i.virtualIpaddressExcluded().isEmpty()) {
            m.put("virtual_ipaddress_excluded", i.virtualIpaddressExcluded().stream().map(ConfigJson::vip).toList());
        }
        if (!i.virtualRoutes().isEmpty()) {
            m.put("virtual_routes", i.virtualRoutes().stream().map(r -> {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("to", r.destination());
                if (!r.type().equals("unicast")) {
                    x.put("type", r.type());
                }
                put(x, "via", r.via());
                put(x, "src", r.src());
                put(x, "dev", r.dev());
                put(x, "scope", r.scope());
                put(x, "table", r.table());
                put(x, "metric", r.metric());
                return x;
            }).toList());
        }
        put(m, "garp_master_delay", i.garpMasterDelay());
        put(m, "garp_master_repeat", i.garpMasterRepeat());
        put(m, "garp_master_refresh", i.garpMasterRefresh());
        put(m, "garp_master_refresh_repeat", i.garpMasterRefreshRepeat());
        m.putAll(i.notifyScripts());
        if (i.smtpAlert()) {
            m.put("smtp_alert", true);
        }
        if (i.dontTrackPrimary()) {
            m.put("dont_track_primary", true);
        }
        put(m, "use_vmac", i.useVmac());
        put(m, "accept", i.acceptMode());
        return m;
    }

    private static Map<String, Object> trackRef(VrrpInstance.TrackRef t) {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("name", t.name());
        put(x, "weight", t.weight());
        if (t.reverse()) {
            x.put("reverse", true);
        }
        return x;
    }

    private static Map<String, Object> vip(VrrpInstance.VirtualIp v) {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("address", IpLiteral.format(v.address()));
        x.put("prefix", v.prefixLength());
        put(x, "brd", v.brd());
        put(x, "dev", v.dev());
        put(x, "label", v.label());
        put(x, "scope", v.scope());
        if (v.noTrack()) {
            x.put("no_track", true);
        }
        return x;
    }

    private static Map<String, Object> group(AddressGroup g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", g.name());
        List<Object> ranges = new ArrayList<>();
        for (AddressGroup.Range r : g.ranges()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("address", IpLiteral.format(r.first()));
            if (!r.last().equals(r.first())) {
                x.put("last", IpLiteral.format(r.last()));
            }
            put(x, "ifname", r.ifname());
            ranges.add(x);
        }
        m.put("addresses", ranges);
        return m;
    }

    private static Map<String, Object> vsGroup(VirtualServerGroup g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", g.name());
        m.put("entries", g.entries().stream().map(e -> {
            Map<String, Object> x = new LinkedHashMap<>();
            if (e.fwmark() != null) {
                x.put("fwmark", e.fwmark());
            } else {
                x.put("address", IpLiteral.format(e.address()));
                if (!e.lastAddress().equals(e.address())) {
                    x.put("last", IpLiteral.format(e.lastAddress()));
                }
                x.put("port", e.port());
            }
            return x;
        }).toList());
        return m;
    }

    private static Map<String, Object> virtualServer(VirtualServer v) {
        Map<String, Object> m = new LinkedHashMap<>();
        put(m, "address", v.address());
        if (v.address() != null) {
            m.put("port", v.port());
        }
        put(m, "fwmark", v.fwmark());
        put(m, "group", v.group());
        m.put("protocol", v.protocol());
        m.put("lb_algo", v.lbAlgo());
        m.put("lb_kind", v.lbKind());
        m.put("ip_family", v.ipFamily().keyword());
        put(m, "delay_loop", v.delayLoop());
        put(m, "persistence_timeout", v.persistenceTimeout());
        put(m, "persistence_granularity", v.persistenceGranularity());
        if (v.sorryServer() != null) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("address", IpLiteral.format(v.sorryServer().address()));
            s.put("port", v.sorryServer().port());
            m.put("sorry_server", s);
        }
        flag(m, "sorry_server_inhibit", v.sorryServerInhibit());
        m.put("quorum", v.quorum());
        m.put("hysteresis", v.hysteresis());
        put(m, "quorum_up", v.quorumUp());
        put(m, "quorum_down", v.quorumDown());
        flag(m, "alpha", v.alpha());
        flag(m, "omega", v.omega());
        flag(m, "inhibit_on_failure", v.inhibitOnFailure());
        put(m, "virtualhost", v.virtualhost());
        flag(m, "ha_suspend", v.haSuspend());
        put(m, "connect_timeout", v.connectTimeout());
        put(m, "retry", v.retry());
        put(m, "delay_before_retry", v.delayBeforeRetry());
        put(m, "warmup", v.warmup());
        put(m, "laddr_group_name", v.laddrGroupName());
        flag(m, "syn_proxy", v.synProxy());
        put(m, "daddr_group_name", v.daddrGroupName());
        put(m, "waddr_group_name", v.waddrGroupName());
        flag(m, "toa", v.toa());
        m.put("real_server", v.realServers().stream().map(ConfigJson::realServer).toList());
        return m;
    }

    private static Map<String, Object> realServer(RealServer r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("address", IpLiteral.format(r.address()));
        m.put("port", r.port());
        m.put("weight", r.weight());
        flag(m, "inhibit_on_failure", r.inhibitOnFailure());
        put(m, "notify_up", r.notifyUp());
        put(m, "notify_down", r.notifyDown());
        put(m, "lb_kind", r.lbKind());
        put(m, "uthreshold", r.uthreshold());
        put(m, "lthreshold", r.lthreshold());
        put(m, "virtualhost", r.virtualhost());
        if (r.checkerDefaults() != null) {
            common(m, r.checkerDefaults());
        }
        List<Object> checkers = new ArrayList<>();
        for (Checker c : r.checkers()) {
            checkers.add(checker(c));
        }
        m.put("checkers", checkers);
        return m;
    }

    private static Map<String, Object> checker(Checker c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("checker", c.type());
        switch (c) {
            case Checker.TcpCheck t -> common(m, t.common());
            case Checker.PingCheck p -> common(m, p.common());
            case Checker.HttpCheck h -> {
                common(m, h.common());
                put(m, "virtualhost", h.virtualhost());
                put(m, "http_protocol", h.httpProtocol());
                flag(m, "enable_sni", h.enableSni());
                flag(m, "fast_recovery", h.fastRecovery());
                m.put("url", h.urls().stream().map(u -> {
                    Map<String, Object> x = new LinkedHashMap<>();
                    put(x, "path", u.path());
                    put(x, "digest", u.digest());
                    if (!u.statusCode().isEmpty()) {
                        x.put("status_code", u.statusCode().stream().map(Checker.StatusRange::toString).toList());
                    }
                    put(x, "virtualhost", u.virtualhost());
                    put(x, "regex", u.regex());
                    flag(x, "regex_no_match", u.regexNoMatch());
                    if (!u.regexOptions().isEmpty()) {
                        x.put("regex_options", u.regexOptions());
                    }
                    put(x, "regex_min_offset", u.regexMinOffset());
                    put(x, "regex_max_offset", u.regexMaxOffset());
                    put(x, "regex_stack", u.regexStack());
                    return x;
                }).toList());
            }
            case Checker.MiscCheck mc -> {
                common(m, mc.common());
                put(m, "misc_path", mc.miscPath());
                put(m, "misc_timeout", mc.miscTimeout());
                flag(m, "misc_dynamic", mc.miscDynamic());
                put(m, "user", mc.user());
                put(m, "group", mc.group());
            }
            case Checker.UdpCheck u -> {
                common(m, u.common());
                put(m, "payload", u.payload());
                if (u.requireReply()) {
                    m.put("require_reply", u.requireReplyPayload() == null ? Boolean.TRUE : u.requireReplyPayload());
                }
                put(m, "min_reply_length", u.minReplyLength());
                put(m, "max_reply_length", u.maxReplyLength());
            }
            case Checker.DnsCheck d -> {
                common(m, d.common());
                m.put("type", d.queryType());
                put(m, "name", d.name());
            }
            case Checker.SmtpCheck s -> {
                common(m, s.common());
                put(m, "helo_name", s.heloName());
                if (!s.hosts().isEmpty()) {
                    m.put("host", s.hosts().stream().map(h -> {
                        Map<String, Object> x = new LinkedHashMap<>();
                        common(x, h);
                        return x;
                    }).toList());
                }
            }
            case Checker.FileCheck f -> {
                put(m, "track_file", f.trackFile());
                put(m, "weight", f.weight());
                flag(m, "reverse", f.reverse());
                flag(m, "dynamic", f.dynamic());
            }
            case Checker.BfdCheck b -> {
                put(m, "name", b.name());
                put(m, "weight", b.weight());
            }
        }
        return m;
    }

    private static void common(Map<String, Object> m, Checker.Common c) {
        put(m, "connect_ip", c.connectIp());
        put(m, "connect_port", c.connectPort());
        put(m, "bindto", c.bindto());
        put(m, "bind_port", c.bindPort());
        put(m, "bind_if", c.bindIf());
        put(m, "fwmark", c.fwmark());
        put(m, "connect_timeout", c.connectTimeout());
        put(m, "retry", c.retry());
        put(m, "delay_before_retry", c.delayBeforeRetry());
        put(m, "warmup", c.warmup());
        put(m, "delay_loop", c.delayLoop());
        put(m, "alpha", c.alpha());
        flag(m, "log_all_failures", c.logAllFailures());
    }

    private static void flag(Map<String, Object> m, String key, boolean value) {
        if (value) {
            m.put(key, true);
        }
    }

    private static void put(Map<String, Object> m, String key, Object value) {
        switch (value) {
            case null -> {
            }
            case Duration d -> m.put(key, BigDecimal.valueOf(d.toNanos()).movePointLeft(9).stripTrailingZeros());
            case InetAddress a -> m.put(key, IpLiteral.format(a));
            default -> m.put(key, value);
        }
    }
}

package io.fulcrum.appliance.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The fourth layer: turns the generic statement tree into the typed {@link KeepalivedConfig}, checking every value and
 * every cross-reference. Unknown keywords are warnings (as in keepalived); bad values are errors naming the keyword
 * and the value. One instance per load; confined to the loading thread.
 */
final class ModelBuilder {

    static final Set<String> LB_ALGOS = Set.of("rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed", "nq", "mh",
            "fo", "ovf", "twos", "conhash");
    static final Set<String> LB_KINDS = Set.of("NAT", "DR", "TUN", "FNAT", "SNAT");
    private static final Set<String> CHECKERS = Set.of("TCP_CHECK", "HTTP_GET", "SSL_GET", "MISC_CHECK", "UDP_CHECK",
            "DNS_CHECK", "PING_CHECK", "SMTP_CHECK", "FILE_CHECK", "BFD_CHECK");
    private static final Set<String> UNSUPPORTED_TOP = Set.of("static_ipaddress", "static_routes", "static_rules",
            "bfd_instance", "linkbeat_interfaces", "garp_group", "vrrp_track_process", "net_namespace", "SSL",
            "vrrp_script_group", "instance", "net_namespace_ipvs");
    private static final Set<String> DNS_TYPES = Set.of("A", "NS", "CNAME", "SOA", "MX", "TXT", "AAAA");

    private final Diagnostics diag;
    private GlobalDefs global = GlobalDefs.defaults();
    private boolean globalSeen;
    private final List<VrrpScript> scripts = new ArrayList<>();
    private final List<TrackFile> trackFiles = new ArrayList<>();
    private final List<VrrpSyncGroup> syncGroups = new ArrayList<>();
    private final List<VrrpInstance> instances = new ArrayList<>();
    private final List<AddressGroup> localGroups = new ArrayList<>();
    private final List<AddressGroup> denyGroups = new ArrayList<>();
    private final List<AddressGroup> allowGroups = new ArrayList<>();
    private final List<VirtualServerGroup> vsGroups = new ArrayList<>();
    private final List<VirtualServer> virtualServers = new ArrayList<>();
    /** Cross-references checked after the whole file is read: kind, name, origin, message prefix, error or warning. */
    private final List<Reference> references = new ArrayList<>();
    /** Per-instance VRID origins, for the duplicate check. */
    private final Map<VrrpInstance, Origin> vridOrigins = new HashMap<>();

    private record Reference(String kind, String name, Origin origin, String what, boolean error) {
    }

    ModelBuilder(Diagnostics diag) {
        this.diag = diag;
    }

    KeepalivedConfig build(List<ConfNode> top) {
        // vrrp_version in global_defs changes the defaults of instances, so read global_defs first
        for (ConfNode n : top) {
            if (n.name().equals("global_defs")) {
                globalDefs(n);
            }
        }
        for (ConfNode n : top) {
            switch (n.name()) {
                case "global_defs" -> {
                }
                case "vrrp_instance" -> vrrpInstance(n);
                case "vrrp_sync_group" -> syncGroup(n);
                case "vrrp_script" -> vrrpScript(n);
                case "track_file", "vrrp_track_file" -> trackFile(n);
                case "virtual_server_group" -> virtualServerGroup(n);
                case "virtual_server" -> virtualServer(n);
                case "local_address_group", "deny_address_group", "allow_address_group" -> addressGroup(n);
                case "real_server" -> diag.error(n.origin(), "real_server " + argsText(n) + " outside a virtual_server");
                default -> {
                    if (CHECKERS.contains(n.name())) {
                        diag.error(n.origin(), n.name() + " outside a real_server");
                    } else if (UNSUPPORTED_TOP.contains(n.name())) {
                        diag.warning(n.origin(), "'" + n.name() + "' is not supported by Fulcrum, ignored");
                    } else {
                        unknown(n, "the top level");
                    }
                }
            }
        }
        checkDuplicateNames();
        checkReferences();
        checkFullNatFamilies();
        checkDuplicateVrids();
        return new KeepalivedConfig(global, scripts, trackFiles, syncGroups, instances, localGroups, denyGroups,
                allowGroups, vsGroups, virtualServers);
    }

    // ================================================================ global_defs

    private void globalDefs(ConfNode n) {
        if (globalSeen) {
            diag.warning(n.origin(), "global_defs appears more than once; the blocks are merged");
        }
        globalSeen = true;
        GlobalDefs g = global;
        String routerId = g.routerId();
        int version = g.vrrpVersion();
        Duration garpDelay = g.vrrpGarpMasterDelay();
        int garpRepeat = g.vrrpGarpMasterRepeat();
        Duration garpRefresh = g.vrrpGarpMasterRefresh();
        int garpRefreshRepeat = g.vrrpGarpMasterRefreshRepeat();
        Duration garpInterval = g.vrrpGarpInterval();
        Duration gnaInterval = g.vrrpGnaInterval();
        long monBufs = g.vrrpNetlinkMonitorRcvBufs();
        boolean monForce = g.vrrpNetlinkMonitorRcvBufsForce();
        long cmdBufs = g.vrrpNetlinkCmdRcvBufs();
        boolean cmdForce = g.vrrpNetlinkCmdRcvBufsForce();
        String notifyFifo = g.notifyFifo();
        boolean scriptSecurity = g.enableScriptSecurity();
        String scriptUser = g.scriptUser();
        String scriptGroup = g.scriptGroup();
        GlobalDefs.LvsTimeouts lvs = g.lvsTimeouts();
        List<String> emails = new ArrayList<>(g.notificationEmail());
        String emailFrom = g.notificationEmailFrom();
        String smtpServer = g.smtpServer();
        Duration smtpTimeout = g.smtpConnectTimeout();
        boolean strict = g.vrrpStrict();
        Map<String, String> other = new LinkedHashMap<>(g.other());
        for (ConfNode c : n.block()) {
            switch (c.name()) {
                case "router_id", "lvs_id" -> routerId = string(c);
                case "vrrp_version" -> version = intValue(c, 2, 3, version);
                case "vrrp_garp_master_delay" -> garpDelay = timer(c, garpDelay);
                case "vrrp_garp_master_repeat" -> garpRepeat = intValue(c, 0, 1_000_000, garpRepeat);
                case "vrrp_garp_master_refresh" -> garpRefresh = timer(c, garpRefresh);
                case "vrrp_garp_master_refresh_repeat" -> garpRefreshRepeat = intValue(c, 0, 1_000_000, garpRefreshRepeat);
                case "vrrp_garp_interval" -> garpInterval = timer(c, garpInterval);
                case "vrrp_gna_interval" -> gnaInterval = timer(c, gnaInterval);
                case "vrrp_netlink_monitor_rcv_bufs" -> monBufs = longValue(c, 0, Integer.MAX_VALUE, monBufs);
                case "vrrp_netlink_monitor_rcv_bufs_force" -> monForce = flag(c);
                case "vrrp_netlink_cmd_rcv_bufs" -> cmdBufs = longValue(c, 0, Integer.MAX_VALUE, cmdBufs);
                case "vrrp_netlink_cmd_rcv_bufs_force" -> cmdForce = flag(c);
                case "notify_fifo", "vrrp_notify_fifo", "lvs_notify_fifo" -> {
                    if (c.name().equals("notify_fifo")) {
                        notifyFifo = string(c);
                    } else {
                        other.put(c.name(), argsText(c));
                    }
                }
                case "enable_script_security" -> scriptSecurity = flag(c);
                case "script_user" -> {
                    scriptUser = string(c);
                    scriptGroup = c.args.size() > 1 ? c.args.get(1).text() : null;
                }
                case "lvs_timeouts" -> lvs = lvsTimeouts(c);
                case "notification_email" -> {
                    requireBlock(c);
                    for (ConfNode e : c.block()) {
                        emails.add(e.name());
                        for (Token t : e.args) {
                            emails.add(t.text());
                        }
                    }
                }
                case "notification_email_from" -> emailFrom = string(c);
                case "smtp_server" -> {
                    smtpServer = string(c);
                    if (smtpServer != null && IpLiteral.parse(smtpServer) == null && !smtpServer.matches("[A-Za-z0-9.-]+")) {
                        diag.error(c.origin(), "smtp_server '" + smtpServer + "' is not an IP address or host name");
                    }
                }
                case "smtp_connect_timeout" -> smtpTimeout = timer(c, smtpTimeout);
                case "vrrp_strict" -> strict = flag(c);
                case "vrrp_skip_check_adv_addr", "vrrp_check_unicast_src", "vrrp_iptables", "vrrp_ipsets",
                     "vrrp_mcast_group4", "vrrp_mcast_group6", "vrrp_priority", "checker_priority", "bfd_priority",
                     "max_auto_priority", "vrrp_no_swap", "checker_no_swap", "enable_traps", "enable_snmp_vrrp",
                     "enable_snmp_checker", "enable_snmp_rfc", "enable_dbus", "dynamic_interfaces", "lvs_flush",
                     "lvs_flush_on_stop", "lvs_sync_daemon", "default_interface", "vrrp_lower_prio_no_advert",
                     "vrrp_higher_prio_send_advert", "vrrp_garp_lower_prio_delay", "vrrp_garp_lower_prio_repeat",
                     "vrrp_min_garp", "vrrp_startup_delay", "vrrp_rt_priority", "checker_rt_priority",
                     "smtp_helo_name", "smtp_alert", "smtp_alert_vrrp", "smtp_alert_checker", "checker_log_all_failures",
                     "script_security", "process_names", "process_name", "vrrp_process_name", "checker_process_name",
                     "instance", "umask", "no_email_faults", "startup_script", "shutdown_script", "uid", "gid",
                     "vrrp_notify_priority_changes", "random_seed", "reload_check_config", "reload_time_file",
                     "config_save_dir", "data_use_instance", "vrrp_netlink_monitor_rcv_bufs_size" ->
                        other.put(c.name(), argsText(c));
                default -> unknown(c, "global_defs");
            }
        }
        global = new GlobalDefs(routerId, version, garpDelay, garpRepeat, garpRefresh, garpRefreshRepeat, garpInterval,
                gnaInterval, monBufs, monForce, cmdBufs, cmdForce, notifyFifo, scriptSecurity, scriptUser, scriptGroup,
                lvs, emails, emailFrom, smtpServer, smtpTimeout, strict, other);
    }

    private GlobalDefs.LvsTimeouts lvsTimeouts(ConfNode c) {
        Duration tcp = null;
        Duration tcpfin = null;
        Duration udp = null;
        List<Token> a = c.args;
        if (a.isEmpty()) {
            diag.error(c.origin(), "lvs_timeouts needs 'tcp N', 'tcpfin N' and/or 'udp N'");
        }
        for (int i = 0; i < a.size(); i += 2) {
            String k = a.get(i).text();
            if (i + 1 >= a.size()) {
                diag.error(c.origin(), "lvs_timeouts " + k + " needs a value");
                break;
            }
            Duration d = parseTimer(a.get(i + 1).text());
            if (d == null) {
                diag.error(c.origin(), "lvs_timeouts " + k + " '" + a.get(i + 1).text() + "' is not a time in seconds");
                continue;
            }
            switch (k) {
                case "tcp" -> tcp = d;
                case "tcpfin" -> tcpfin = d;
                case "udp" -> udp = d;
                default -> diag.error(c.origin(), "lvs_timeouts: unknown timeout '" + k + "', expected tcp, tcpfin or udp");
            }
        }
        return new GlobalDefs.LvsTimeouts(tcp, tcpfin, udp);
    }

    // ================================================================ vrrp_instance

    private void vrrpInstance(ConfNode n) {
        String name = blockName(n);
        if (name == null) {
            return;
        }
        String state = "BACKUP";
        String iface = null;
        int vrid = 0;
        Origin vridOrigin = null;
        int priority = 100;
        Duration advert = Duration.ofSeconds(1);
        Origin advertOrigin = null;
        int version = global.vrrpVersion();
        boolean nopreempt = false;
        Duration preemptDelay = Duration.ZERO;
        VrrpInstance.Authentication auth = null;
        InetAddress srcIp = null;
        List<InetAddress> peers = new ArrayList<>();
        List<VrrpInstance.TrackInterface> trackIf = new ArrayList<>();
        List<VrrpInstance.TrackRef> trackScript = new ArrayList<>();
        List<VrrpInstance.TrackRef> trackFile = new ArrayList<>();
        List<VrrpInstance.VirtualIp> vips = new ArrayList<>();
        List<VrrpInstance.VirtualIp> excluded = new ArrayList<>();
        List<VrrpInstance.VirtualRoute> routes = new ArrayList<>();
        Duration garpDelay = null;
        Integer garpRepeat = null;
        Duration garpRefresh = null;
        Integer garpRefreshRepeat = null;
        Map<String, String> notify = new LinkedHashMap<>();
        boolean smtpAlert = false;
        boolean dontTrackPrimary = false;
        String useVmac = null;
        Boolean accept = null;
        for (ConfNode c : n.block()) {
            switch (c.name()) {
                case "state" -> {
                    String s = string(c);
                    if (s != null) {
                        String u = s.toUpperCase(Locale.ROOT);
                        if (u.equals("MASTER") || u.equals("BACKUP")) {
                            state = u;
                        } else {
                            diag.error(c.origin(), "state '" + s + "' is not MASTER or BACKUP");
                        }
                    }
                }
                case "interface" -> iface = string(c);
                case "virtual_router_id" -> {
                    vrid = intValue(c, 1, 255, 0);
                    vridOrigin = c.origin();
                }
                case "priority" -> priority = intValue(c, 1, 255, priority);
                case "advert_int" -> {
                    advert = timer(c, advert);
                    advertOrigin = c.origin();
                }
                case "version" -> version = intValue(c, 2, 3, version);
                case "nopreempt" -> nopreempt = true;
                case "preempt" -> nopreempt = false;
                case "preempt_delay" -> preemptDelay = timerInRange(c, 0, 1000, preemptDelay);
                case "authentication" -> auth = authentication(c);
                case "unicast_src_ip" -> srcIp = address(c, c.args.isEmpty() ? null : c.args.getFirst());
                case "unicast_peer" -> {
                    requireBlock(c);
                    for (ConfNode p : c.block()) {
                        InetAddress a = address(p, p.keyword);
                        if (a != null) {
                            peers.add(a);
                        }
                    }
                }
                case "track_interface" -> {
                    requireBlock(c);
                    for (ConfNode t : c.block()) {
                        TrackWeight w = trackWeight(t, -254, 254);
                        trackIf.add(new VrrpInstance.TrackInterface(t.name(), w.weight == null ? 0 : w.weight, w.reverse));
                    }
                }
                case "track_script" -> trackRefs(c, trackScript, "vrrp_script", 253);
                case "track_file" -> trackRefs(c, trackFile, "track_file", 254);
                case "virtual_ipaddress" -> virtualIps(c, vips);
                case "virtual_ipaddress_excluded" -> virtualIps(c, excluded);
                case "virtual_routes" -> virtualRoutes(c, routes);
                case "garp_master_delay" -> garpDelay = timer(c, null);
                case "garp_master_repeat" -> garpRepeat = intValue(c, 0, 1_000_000, 0);
                case "garp_master_refresh" -> garpRefresh = timer(c, null);
                case "garp_master_refresh_repeat" -> garpRefreshRepeat = intValue(c, 0, 1_000_000, 0);
                case "notify_master", "notify_backup", "notify_fault", "notify_stop", "notify",
                     "notify_master_rx_lower_pri", "notify_deleted" -> notify.put(c.name(), script(c));
                case "smtp_alert" -> smtpAlert = flag(c);
                case "dont_track_primary" -> dontTrackPrimary = true;
                case "use_vmac" -> useVmac = c.args.isEmpty() ? "" : c.args.getFirst().text();
                case "accept" -> accept = Boolean.TRUE;
                case "no_accept" -> accept = Boolean.FALSE;
                case "vmac_xmit_base", "native_ipv6", "skip_check_adv_addr", "strict_mode", "mcast_src_ip",
                     "lvs_sync_daemon_interface", "garp_lower_prio_delay", "garp_lower_prio_repeat",
                     "lower_prio_no_advert", "higher_prio_send_advert", "kernel_rx_buf_size", "debug",
                     "check_unicast_src", "unicast_ttl", "unicast_fault_no_peer", "track_process", "track_bfd",
                     "linkbeat_use_polling", "dpdk_interface" -> {
                }
                case "real_server" -> diag.error(c.origin(), "real_server " + argsText(c) + " outside a virtual_server");
                default -> unknown(c, "vrrp_instance " + name);
            }
        }
        if (iface == null) {
            diag.error(n.origin(), "vrrp_instance " + name + ": no interface configured");
        }
        if (vrid == 0 && vridOrigin == null) {
            diag.error(n.origin(), "vrrp_instance " + name + ": virtual_router_id missing");
        }
        Family family = vips.isEmpty() ? (srcIp != null ? Family.of(srcIp) : Family.INET) : Family.of(vips.getFirst().address());
        if (family == Family.INET6 && version == 2) {
            version = 3; // VRRP for IPv6 exists only in version 3 (RFC 5798)
        }
        advert = checkAdvertInt(name, advert, version, advertOrigin == null ? n.origin() : advertOrigin);
        if (nopreempt && state.equals("MASTER")) {
            diag.warning(n.origin(), "vrrp_instance " + name + ": nopreempt does not work with initial state MASTER, cleared");
            nopreempt = false;
        }
        if (auth != null && version == 3) {
            diag.warning(n.origin(), "vrrp_instance " + name + ": authentication is not supported with VRRPv3, ignored");
            auth = null;
        }
        List<VrrpInstance.VirtualIp> kept = new ArrayList<>();
        for (VrrpInstance.VirtualIp v : vips) {
            if (Family.of(v.address()) != family) {
                // as keepalived: an address of the other family is dropped (virtual_ipaddress_excluded may hold it)
                diag.warning(v.origin(), "virtual_ipaddress " + IpLiteral.format(v.address()) + " is " + Family.of(v.address()).label()
                        + " but vrrp_instance " + name + " is " + family.label() + ", ignored (use virtual_ipaddress_excluded)");
            } else {
                kept.add(v);
            }
        }
        for (InetAddress p : peers) {
            if (Family.of(p) != family) {
                diag.error(n.origin(), "vrrp_instance " + name + ": unicast_peer " + IpLiteral.format(p) + " is "
                        + Family.of(p).label() + " but the instance is " + family.label());
            }
        }
        if (srcIp != null && Family.of(srcIp) != family) {
            diag.error(n.origin(), "vrrp_instance " + name + ": unicast_src_ip " + IpLiteral.format(srcIp) + " is "
                    + Family.of(srcIp).label() + " but the instance is " + family.label());
        }
        VrrpInstance inst = new VrrpInstance(name, n.origin(), state, iface, vrid, priority, advert, version, nopreempt,
                preemptDelay, auth, srcIp, peers, trackIf, trackScript, trackFile, kept, excluded, routes, garpDelay,
                garpRepeat, garpRefresh, garpRefreshRepeat, notify, smtpAlert, dontTrackPrimary, useVmac, accept, family);
        instances.add(inst);
        if (vridOrigin != null) {
            vridOrigins.put(inst, vridOrigin);
        }
    }

    private Duration checkAdvertInt(String name, Duration advert, int version, Origin origin) {
        long millis = advert.toMillis();
        if (version == 3) {
            if (millis < 10 || millis > 40_950) {
                diag.error(origin, "advert_int " + seconds(advert) + " out of range 0.01..40.95 for VRRPv3 (vrrp_instance " + name + ")");
                return Duration.ofSeconds(1);
            }
            if (millis % 10 != 0) {
                long rounded = Math.round(millis / 10.0) * 10;
                diag.warning(origin, "advert_int " + seconds(advert) + " rounded to " + rounded / 1000.0 + " (centiseconds)");
                return Duration.ofMillis(rounded);
            }
            return advert;
        }
        if (millis <= 0 || millis > 255_000) {
            diag.error(origin, "advert_int " + seconds(advert) + " out of range 1..255 for VRRPv2 (vrrp_instance " + name + ")");
            return Duration.ofSeconds(1);
        }
        if (millis % 1000 != 0) {
            long rounded = Math.max(1, Math.round(millis / 1000.0));
            diag.warning(origin, "advert_int " + seconds(advert) + " is fractional, not supported by VRRPv2; rounded to " + rounded);
            return Duration.ofSeconds(rounded);
        }
        return advert;
    }

    private VrrpInstance.Authentication authentication(ConfNode c) {
        requireBlock(c);
        String type = null;
        String pass = null;
        for (ConfNode a : c.block()) {
            switch (a.name()) {
                case "auth_type" -> {
                    String t = string(a);
                    if (t != null) {
                        String u = t.toUpperCase(Locale.ROOT);
                        if (u.equals("PASS") || u.equals("AH")) {
                            type = u;
                        } else {
                            diag.error(a.origin(), "auth_type '" + t + "' is not PASS or AH");
                        }
                    }
                }
                case "auth_pass" -> {
                    pass = string(a);
                    if (pass != null && pass.length() > 8) {
                        diag.warning(a.origin(), "auth_pass is longer than 8 characters; only the first 8 are used");
                        pass = pass.substring(0, 8);
                    }
                }
                default -> unknown(a, "authentication");
            }
        }
        if (type == null && c.hasBlock()) {
            diag.error(c.origin(), "authentication: auth_type missing");
        }
        return new VrrpInstance.Authentication(type, pass);
    }

    private record TrackWeight(Integer weight, boolean reverse) {
    }

    /** Parses {@code NAME [weight N [reverse]]} on a track_* line. */
    private TrackWeight trackWeight(ConfNode t, int min, int max) {
        Integer weight = null;
        boolean reverse = false;
        List<Token> a = t.args;
        for (int i = 0; i < a.size(); i++) {
            String w = a.get(i).text();
            if (w.equals("weight") && i + 1 < a.size()) {
                Integer v = parseInt(a.get(++i).text());
                if (v == null || v < min || v > max) {
                    diag.error(t.origin(), t.name() + " weight " + a.get(i).text() + " out of range " + min + ".." + max);
                } else {
                    weight = v;
                }
            } else if (w.equals("reverse")) {
                reverse = true;
            } else if (w.equals("weight")) {
                diag.error(t.origin(), t.name() + ": weight needs a value");
            } else {
                diag.warning(t.origin(), t.name() + ": unknown option '" + w + "', ignored");
            }
        }
        return new TrackWeight(weight, reverse);
    }

    private void trackRefs(ConfNode c, List<VrrpInstance.TrackRef> into, String kind, int maxWeight) {
        requireBlock(c);
        for (ConfNode t : c.block()) {
            TrackWeight w = trackWeight(t, -maxWeight, maxWeight);
            into.add(new VrrpInstance.TrackRef(t.name(), w.weight, w.reverse));
            references.add(new Reference(kind, t.name(), t.origin(), c.name() + " " + t.name(), false));
        }
    }

    private void virtualIps(ConfNode c, List<VrrpInstance.VirtualIp> into) {
        requireBlock(c);
        for (ConfNode v : c.block()) {
            List<Token> words = new ArrayList<>();
            words.add(v.keyword);
            words.addAll(v.args);
            int i = 0;
            while (i < words.size()) {
                Token at = words.get(i);
                Prefix p = prefix(v, c.name(), at.text());
                i++;
                InetAddress brd = null;
                String dev = null;
                String label = null;
                String scope = null;
                boolean noTrack = false;
                while (i < words.size()) {
                    String w = words.get(i).text();
                    if (w.equals("no_track")) {
                        noTrack = true;
                        i++;
                        continue;
                    }
                    if (IpLiteral.parse(w.contains("/") ? w.substring(0, w.indexOf('/')) : w) != null) {
                        break; // another address on the same line
                    }
                    if (i + 1 >= words.size()) {
                        diag.error(v.origin(), c.name() + " " + at.text() + ": '" + w + "' needs a value");
                        i++;
                        break;
                    }
                    String val = words.get(i + 1).text();
                    switch (w) {
                        case "brd", "broadcast" -> brd = addressText(v, c.name() + " " + at.text() + " brd", val);
                        case "dev" -> dev = val;
                        case "label" -> label = val;
                        case "scope" -> scope = val;
                        case "preferred_lft", "track_group", "home", "nodad", "noprefixroute", "autojoin" -> {
                        }
                        default -> diag.warning(v.origin(), c.name() + " " + at.text() + ": unknown option '" + w + "', ignored");
                    }
                    i += 2;
                }
                if (p != null && scope != null && p.address instanceof Inet6Address) {
                    diag.warning(v.origin(), c.name() + " " + at.text() + ": scope cannot be set on IPv6 addresses, ignored");
                    scope = null;
                }
                if (p != null) {
                    into.add(new VrrpInstance.VirtualIp(p.address, p.length, brd, dev, label, scope, noTrack, v.origin()));
                }
            }
        }
    }

    private void virtualRoutes(ConfNode c, List<VrrpInstance.VirtualRoute> into) {
        requireBlock(c);
        Set<String> types = Set.of("blackhole", "unreachable", "prohibit", "throw", "unicast", "local", "broadcast");
        for (ConfNode r : c.block()) {
            List<Token> words = new ArrayList<>();
            words.add(r.keyword);
            words.addAll(r.args);
            String dest = null;
            InetAddress via = null;
            InetAddress src = null;
            String dev = null;
            String scope = null;
            String table = null;
            Integer metric = null;
            String type = "unicast";
            for (int i = 0; i < words.size(); i++) {
                String w = words.get(i).text();
                String next = i + 1 < words.size() ? words.get(i + 1).text() : null;
                switch (w) {
                    case "src", "via", "gw", "dev", "oif", "scope", "table", "metric", "to", "preference", "priority",
                         "proto", "protocol", "mtu", "advmss", "realms", "onlink", "no_track" -> {
                        if (w.equals("onlink") || w.equals("no_track")) {
                            continue;
                        }
                        if (next == null) {
                            diag.error(r.origin(), "virtual_routes: '" + w + "' needs a value");
                            continue;
                        }
                        i++;
                        switch (w) {
                            case "src" -> src = addressText(r, "virtual_routes src", next);
                            case "via", "gw" -> via = addressText(r, "virtual_routes " + w, next);
                            case "dev", "oif" -> dev = next;
                            case "scope" -> scope = next;
                            case "table" -> table = next;
                            case "metric", "preference", "priority" -> {
                                Integer m = parseInt(next);
                                if (m == null || m < 0) {
                                    diag.error(r.origin(), "virtual_routes " + w + " '" + next + "' is not a non-negative integer");
                                } else {
                                    metric = m;
                                }
                            }
                            case "to" -> dest = routeDest(r, next);
                            default -> {
                            }
                        }
                    }
                    default -> {
                        if (types.contains(w) && dest == null) {
                            type = w;
                        } else if (dest == null) {
                            dest = routeDest(r, w);
                        } else {
                            diag.warning(r.origin(), "virtual_routes: unknown option '" + w + "', ignored");
                        }
                    }
                }
            }
            if (dest == null) {
                diag.error(r.origin(), "virtual_routes: no destination in '" + r.text() + "'");
                continue;
            }
            into.add(new VrrpInstance.VirtualRoute(dest, via, src, dev, scope, table, metric, type, r.origin()));
        }
    }

    private String routeDest(ConfNode r, String text) {
        if (text.equals("default")) {
            return text;
        }
        Prefix p = prefix(r, "virtual_routes", text);
        return p == null ? "invalid" : IpLiteral.format(p.address) + "/" + p.length;
    }

    // ================================================================ sync groups, scripts, track files

    private void syncGroup(ConfNode n) {
        String name = blockName(n);
        if (name == null) {
            return;
        }
        List<String> members = new ArrayList<>();
        Map<String, String> notify = new LinkedHashMap<>();
        boolean smtp = false;
        List<VrrpInstance.TrackRef> track = new ArrayList<>();
        for (ConfNode c : n.block()) {
            switch (c.name()) {
                case "group" -> {
                    requireBlock(c);
                    for (ConfNode m : c.block()) {
                        for (Token t : concat(m)) {
                            members.add(t.text());
                            references.add(new Reference("vrrp_instance", t.text(), m.origin(),
                                    "vrrp_sync_group " + name + " member " + t.text(), true));
                        }
                    }
                }
                case "notify_master", "notify_backup", "notify_fault", "notify_stop", "notify" ->
                        notify.put(c.name(), script(c));
                case "smtp_alert" -> smtp = flag(c);
                case "track_script" -> trackRefs(c, track, "vrrp_script", 253);
                case "global_tracking", "sync_group_tracking_weight", "track_interface", "track_file", "track_process",
                     "track_bfd" -> {
                }
                default -> unknown(c, "vrrp_sync_group " + name);
            }
        }
        if (members.isEmpty()) {
            diag.error(n.origin(), "vrrp_sync_group " + name + ": group has no members");
        } else if (members.size() == 1) {
            diag.warning(n.origin(), "vrrp_sync_group " + name + " has only 1 member; a sync group ties several instances");
        }
        syncGroups.add(new VrrpSyncGroup(name, members, notify, smtp, track, n.origin()));
    }

    private void vrrpScript(ConfNode n) {
        String name = blockName(n);
        if (name == null) {
            return;
        }
        String script = null;
        Duration interval = Duration.ofSeconds(1);
        Duration timeout = null;
        int weight = 0;
        boolean reverse = false;
        int rise = 1;
        int fall = 1;
        String user = null;
        String group = null;
        boolean initFail = false;
        for (ConfNode c : n.block()) {
            switch (c.name()) {
                case "script" -> script = script(c);
                case "interval" -> interval = Duration.ofSeconds(intValue(c, 1, 4294, (int) interval.toSeconds()));
                case "timeout" -> timeout = Duration.ofSeconds(intValue(c, 1, 4294, 1));
                case "weight" -> {
                    weight = intValue(c, -253, 253, weight);
                    reverse = c.args.size() > 1 && c.args.get(1).text().equals("reverse");
                }
                case "rise" -> rise = intValue(c, 1, 1_000_000, rise);
                case "fall" -> fall = intValue(c, 1, 1_000_000, fall);
                case "user" -> {
                    user = string(c);
                    group = c.args.size() > 1 ? c.args.get(1).text() : null;
                }
                case "init_fail" -> initFail = true;
                default -> unknown(c, "vrrp_script " + name);
            }
        }
        if (script == null) {
            diag.error(n.origin(), "vrrp_script " + name + ": script missing");
        }
        scripts.add(new VrrpScript(name, script, interval, timeout == null ? interval : timeout, weight, reverse, rise,
                fall, user, group, initFail, n.origin()));
    }

    private void trackFile(ConfNode n) {
        String name = blockName(n);
        if (name == null) {
            return;
        }
        String file = null;
        int weight = 1;
        boolean reverse = false;
        Long init = null;
        boolean overwrite = false;
        for (ConfNode c : n.block()) {
            switch (c.name()) {
                case "file" -> file = string(c);
                case "weight" -> {
                    weight = intValue(c, -254, 254, weight);
                    reverse = c.args.size() > 1 && c.args.get(1).text().equals("reverse");
                }
                case "init_file" -> {
                    init = 0L;
                    for (Token t : c.args) {
                        if (t.text().equals("overwrite")) {
                            overwrite = true;
                        } else {
                            Long v = parseLong(t.text());
                            if (v == null) {
                                diag.error(c.origin(), "init_file '" + t.text() + "' is not a number");
                            } else {
                                init = v;
                            }
                        }
                    }
                }
                default -> unknown(c, "track_file " + name);
            }
        }
        if (file == null) {
            diag.error(n.origin(), "track_file " + name + ": file missing");
        }
        trackFiles.add(new TrackFile(name, file, weight, reverse, init, overwrite, n.origin()));
    }

    // ================================================================ address groups

    private void addressGroup(ConfNode n) {
        String name = blockName(n);
        if (name == null) {
            return;
        }
        boolean local = n.name().equals("local_address_group");
        requireBlock(n);
        List<AddressGroup.Range> ranges = new ArrayList<>();
        for (ConfNode e : n.block()) {
            AddressGroup.Range r = range(e, n.name(), e.name(), local && !e.args.isEmpty() ? e.args.getFirst().text() : null);
            if (r != null) {
                ranges.add(r);
            }
            int extra = e.args.size() - (local ? 1 : 0);
            if (extra > 0) {
                diag.warning(e.origin(), n.name() + " " + name + ": extra words after '" + e.name() + "' ignored");
            }
        }
        if (ranges.isEmpty()) {
            diag.error(n.origin(), n.name() + " " + name + ": no addresses");
        }
        AddressGroup g = new AddressGroup(n.name(), name, ranges, n.origin());
        switch (n.name()) {
            case "local_address_group" -> localGroups.add(g);
            case "deny_address_group" -> denyGroups.add(g);
            default -> allowGroups.add(g);
        }
    }

    /** Parses {@code ADDR}, {@code ADDR-LAST} (last octet / last group or a full address) or {@code ADDR/PREFIX}. */
    private AddressGroup.Range range(ConfNode e, String keyword, String text, String ifname) {
        int dash = text.indexOf('-');
        int slash = text.indexOf('/');
        if (slash >= 0) {
            Prefix p = prefix(e, keyword, text);
            if (p == null) {
                return null;
            }
            byte[] b = p.address.getAddress();
            byte[] first = b.clone();
            byte[] last = b.clone();
            for (int bit = p.length; bit < b.length * 8; bit++) {
                first[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
                last[bit / 8] |= (byte) (0x80 >>> (bit % 8));
            }
            return new AddressGroup.Range(byAddress(first), byAddress(last), ifname, e.origin());
        }
        String firstText = dash >= 0 ? text.substring(0, dash) : text;
        InetAddress first = addressText(e, keyword, firstText);
        if (first == null) {
            return null;
        }
        InetAddress last = first;
        if (dash >= 0) {
            last = rangeEnd(e, keyword, first, text.substring(dash + 1), text);
            if (last == null) {
                return null;
            }
        }
        return new AddressGroup.Range(first, last, ifname, e.origin());
    }

    private InetAddress rangeEnd(ConfNode e, String keyword, InetAddress first, String endText, String whole) {
        InetAddress end = IpLiteral.parse(endText);
        if (end == null) {
            byte[] b = first.getAddress();
            Integer v = first instanceof Inet6Address ? parseHex(endText) : parseInt(endText);
            int max = first instanceof Inet6Address ? 0xffff : 255;
            if (v == null || v < 0 || v > max) {
                diag.error(e.origin(), keyword + " '" + whole + "': range end '" + endText + "' is not an address or "
                        + (first instanceof Inet6Address ? "a last group 0..ffff" : "a last octet 0..255"));
                return null;
            }
            if (first instanceof Inet6Address) {
                b[14] = (byte) (v >>> 8);
                b[15] = (byte) (int) v;
            } else {
                b[3] = (byte) (int) v;
            }
            end = byAddress(b);
        }
        if (Family.of(end) != Family.of(first)
                || new BigInteger(1, end.getAddress()).compareTo(new BigInteger(1, first.getAddress())) < 0) {
            diag.error(e.origin(), keyword + " '" + whole + "': range end is before its start");
            return null;
        }
        return end;
    }

    private static InetAddress byAddress(byte[] b) {
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    // ================================================================ virtual_server_group

    private void virtualServerGroup(ConfNode n) {
        String name = blockName(n);
        if (name == null) {
            return;
        }
        requireBlock(n);
        List<VirtualServerGroup.Entry> entries = new ArrayList<>();
        for (ConfNode e : n.block()) {
            if (e.name().equals("fwmark")) {
                Integer mark = e.args.isEmpty() ? null : parseLongAsInt(e.args.getFirst().text());
                if (mark == null || mark < 1) {
                    diag.error(e.origin(), "virtual_server_group " + name + ": fwmark '" + argsText(e) + "' is not a positive integer");
                } else {
                    entries.add(new VirtualServerGroup.Entry(null, null, 0, mark, e.origin()));
                }
                continue;
            }
            AddressGroup.Range r = range(e, "virtual_server_group " + name, e.name(), null);
            int port = 0;
            if (!e.args.isEmpty()) {
                port = port(e, "virtual_server_group " + name + " " + e.name(), e.args.getFirst().text(), 0);
            }
            if (r != null) {
                entries.add(new VirtualServerGroup.Entry(r.first(), r.last(), port, null, e.origin()));
            }
        }
        vsGroups.add(new VirtualServerGroup(name, entries, n.origin()));
    }

    // ================================================================ virtual_server

    private void virtualServer(ConfNode n) {
        InetAddress address = null;
        int port = 0;
        Integer fwmark = null;
        String group = null;
        if (n.args.isEmpty()) {
            diag.error(n.origin(), "virtual_server needs an address and port, 'fwmark N' or 'group NAME'");
            return;
        }
        String first = n.args.getFirst().text();
        String what = "virtual_server " + argsText(n);
        if (first.equals("fwmark")) {
            fwmark = n.args.size() > 1 ? parseLongAsInt(n.args.get(1).text()) : null;
            if (fwmark == null || fwmark < 1) {
                diag.error(n.origin(), "virtual_server fwmark '" + (n.args.size() > 1 ? n.args.get(1).text() : "")
                        + "' is not a positive integer");
                fwmark = 0;
            }
        } else if (first.equals("group")) {
            if (n.args.size() < 2) {
                diag.error(n.origin(), "virtual_server group needs a virtual_server_group name");
            } else {
                group = n.args.get(1).text();
                references.add(new Reference("virtual_server_group", group, n.origin(), "virtual_server group " + group, true));
            }
        } else {
            String addrText = first;
            String portText = n.args.size() > 1 ? n.args.get(1).text() : null;
            // also accept [ADDR]:PORT and ADDR:PORT for IPv4
            if (addrText.startsWith("[") && addrText.contains("]")) {
                int close = addrText.indexOf(']');
                if (close + 1 < addrText.length() && addrText.charAt(close + 1) == ':') {
                    portText = addrText.substring(close + 2);
                }
                addrText = addrText.substring(1, close);
            }
            address = addressText(n, "virtual_server", addrText);
            if (portText != null) {
                port = port(n, "virtual_server " + addrText, portText, 0);
            }
        }
        String protocol = null;
        String lbAlgo = null;
        String lbKind = "NAT";
        Origin lbKindOrigin = n.origin();
        Duration delayLoop = Duration.ofSeconds(60);
        Integer persistence = null;
        String granularity = null;
        VirtualServer.SorryServer sorry = null;
        boolean sorryInhibit = false;
        int quorum = 1;
        int hysteresis = 0;
        String quorumUp = null;
        String quorumDown = null;
        boolean alpha = false;
        boolean omega = false;
        boolean inhibit = false;
        String virtualhost = null;
        boolean haSuspend = false;
        Duration connectTimeout = null;
        Integer retry = null;
        Duration delayBeforeRetry = null;
        Duration warmup = null;
        String laddr = null;
        Origin laddrOrigin = null;
        boolean synProxy = false;
        String daddr = null;
        String waddr = null;
        boolean toa = false;
        Family ipFamily = address == null ? null : Family.of(address);
        List<ConfNode> realServerNodes = new ArrayList<>();
        for (ConfNode c : n.block()) {
            switch (c.name()) {
                case "protocol" -> {
                    String p = string(c);
                    if (p != null) {
                        String u = p.toUpperCase(Locale.ROOT);
                        if (Set.of("TCP", "UDP", "SCTP").contains(u)) {
                            protocol = u;
                        } else {
                            diag.error(c.origin(), "protocol '" + p + "' is not TCP, UDP or SCTP");
                        }
                    }
                }
                case "lb_algo", "lvs_sched" -> {
                    String a = string(c);
                    if (a != null) {
                        if (LB_ALGOS.contains(a)) {
                            lbAlgo = a;
                        } else {
                            diag.error(c.origin(), c.name() + " '" + a + "': unknown scheduler, expected one of "
                                    + "rr|wrr|lc|wlc|lblc|lblcr|dh|sh|sed|nq|mh|fo|ovf|twos|conhash");
                        }
                    }
                }
                case "lb_kind", "lvs_method" -> {
                    String k = string(c);
                    if (k != null) {
                        String u = k.toUpperCase(Locale.ROOT);
                        if (LB_KINDS.contains(u)) {
                            lbKind = u;
                            lbKindOrigin = c.origin();
                        } else {
                            diag.error(c.origin(), c.name() + " '" + k + "': unknown forwarding method, expected one of NAT|DR|TUN|FNAT|SNAT");
                        }
                    }
                }
                case "delay_loop" -> delayLoop = positiveTimer(c, delayLoop);
                case "persistence_timeout" -> persistence = c.args.isEmpty() ? 360 : intValue(c, 1, Integer.MAX_VALUE, 360);
                case "persistence_granularity" -> {
                    granularity = string(c);
                    if (granularity != null && IpLiteral.parse(granularity) == null && parseInt(granularity) == null) {
                        diag.error(c.origin(), "persistence_granularity '" + granularity + "' is not a netmask");
                    }
                }
                case "sorry_server" -> {
                    InetAddress a = c.args.isEmpty() ? null : address(c, c.args.getFirst());
                    if (c.args.isEmpty()) {
                        diag.error(c.origin(), "sorry_server needs an address");
                    }
                    int p = c.args.size() > 1 ? port(c, "sorry_server", c.args.get(1).text(), 0) : 0;
                    if (a != null) {
                        sorry = new VirtualServer.SorryServer(a, p);
                    }
                }
                case "sorry_server_inhibit" -> sorryInhibit = flag(c);
                case "quorum" -> quorum = intValue(c, 1, Integer.MAX_VALUE, quorum);
                case "hysteresis" -> hysteresis = intValue(c, 0, Integer.MAX_VALUE, hysteresis);
                case "quorum_up" -> quorumUp = script(c);
                case "quorum_down" -> quorumDown = script(c);
                case "alpha" -> alpha = flag(c);
                case "omega" -> omega = flag(c);
                case "inhibit_on_failure" -> inhibit = flag(c);
                case "virtualhost" -> virtualhost = string(c);
                case "ha_suspend" -> haSuspend = flag(c);
                case "connect_timeout" -> connectTimeout = positiveTimer(c, null);
                case "retry", "nb_get_retry" -> retry = intValue(c, 0, 1_000_000, 1);
                case "delay_before_retry" -> delayBeforeRetry = timer(c, null);
                case "warmup" -> warmup = timer(c, null);
                case "laddr_group_name" -> {
                    laddr = string(c);
                    laddrOrigin = c.origin();
                    if (laddr != null) {
                        references.add(new Reference("local_address_group", laddr, c.origin(), "laddr_group_name " + laddr, true));
                    }
                }
                case "syn_proxy" -> synProxy = flag(c);
                case "daddr_group_name" -> {
                    daddr = string(c);
                    if (daddr != null) {
                        references.add(new Reference("deny_address_group", daddr, c.origin(), "daddr_group_name " + daddr, true));
                    }
                }
                case "waddr_group_name" -> {
                    waddr = string(c);
                    if (waddr != null) {
                        references.add(new Reference("allow_address_group", waddr, c.origin(), "waddr_group_name " + waddr, true));
                    }
                }
                case "toa" -> toa = flag(c);
                case "ip_family" -> {
                    String f = string(c);
                    if ("inet".equals(f)) {
                        ipFamily = Family.INET;
                    } else if ("inet6".equals(f)) {
                        ipFamily = Family.INET6;
                    } else if (f != null) {
                        diag.error(c.origin(), "ip_family '" + f + "' is not inet or inet6");
                    }
                }
                case "real_server" -> realServerNodes.add(c);
                case "ops", "flag-1", "flag-2", "flag-3", "sh-port", "sh-fallback", "mh-port", "mh-fallback",
                     "persistence_engine", "smtp_alert", "snmp_name", "sorry_server_lvs_method", "one_packet",
                     "hash_target", "est_timeout", "bps", "limit_proportion", "expire_quiescent_conn",
                     "quic", "conn_timeout" -> {
                }
                default -> {
                    if (CHECKERS.contains(c.name())) {
                        diag.error(c.origin(), c.name() + " outside a real_server");
                    } else {
                        unknown(c, "virtual_server");
                    }
                }
            }
        }
        if (lbAlgo == null) {
            lbAlgo = "wlc";
            diag.warning(n.origin(), what + ": no lb_algo set, so wlc is used (as keepalived does)");
        }
        if (protocol == null) {
            protocol = fwmark != null ? "TCP" : "UDP";
            if (fwmark == null) {
                // keepalived: the kernel treats protocol 0 as UDP, so an address service without 'protocol' is UDP
                diag.warning(n.origin(), what + ": no protocol set, so UDP is used (as keepalived does); add 'protocol TCP'");
            }
        }
        boolean fixedPort = (lbKind.equals("DR") || lbKind.equals("TUN")) && fwmark == null && group == null;
        if (fixedPort && sorry != null && sorry.port() != 0 && sorry.port() != port) {
            diag.warning(n.origin(), what + ": sorry_server port " + sorry.port() + " differs from the service port with lb_kind "
                    + lbKind + ", which cannot translate ports; using " + port);
            sorry = new VirtualServer.SorryServer(sorry.address(), port);
        }
        List<RealServer> reals = new ArrayList<>();
        for (ConfNode r : realServerNodes) {
            RealServer rs = realServer(r, port, lbKind.equals("FNAT") ? null : ipFamily);
            if (rs == null) {
                continue;
            }
            if (fixedPort && rs.port() != port) {
                diag.warning(rs.origin(), "real_server " + IpLiteral.format(rs.address()) + " port " + rs.port()
                        + " differs from the service port with lb_kind " + lbKind + ", which cannot translate ports; using " + port);
                rs = new RealServer(rs.address(), port, rs.weight(), rs.inhibitOnFailure(), rs.notifyUp(), rs.notifyDown(),
                        rs.lbKind(), rs.uthreshold(), rs.lthreshold(), rs.checkers(), rs.virtualhost(),
                        rs.checkerDefaults(), rs.origin());
            }
            if (containsServer(reals, rs)) {
                diag.warning(rs.origin(), "real_server " + IpLiteral.format(rs.address()) + " " + rs.port()
                        + " appears twice in " + what + "; the second is ignored (as keepalived does)");
                continue;
            }
            reals.add(rs);
        }
        long totalWeight = reals.stream().mapToLong(RealServer::weight).sum();
        if (!reals.isEmpty() && quorum > totalWeight && totalWeight > 0) {
            diag.warning(n.origin(), what + ": quorum " + quorum + " exceeds the total weight of the real servers ("
                    + totalWeight + "); using " + totalWeight);
            quorum = (int) totalWeight;
        }
        if (hysteresis >= quorum && hysteresis > 0) {
            diag.warning(n.origin(), what + ": hysteresis " + hysteresis + " >= quorum " + quorum + "; using 0");
            hysteresis = 0;
        }
        if (lbKind.equals("FNAT") && laddr == null) {
            diag.error(lbKindOrigin, what + ": lb_kind FNAT needs a local address group (laddr_group_name)");
        }
        if (laddr != null && !lbKind.equals("FNAT") && !lbKind.equals("SNAT")) {
            diag.warning(laddrOrigin, "laddr_group_name is only used with lb_kind FNAT (this service uses " + lbKind + ")");
        }
        if (synProxy && !lbKind.equals("FNAT")) {
            diag.warning(n.origin(), what + ": syn_proxy is only used with lb_kind FNAT");
        }
        if (ipFamily == null) {
            ipFamily = Family.INET;
        }
        virtualServers.add(new VirtualServer(address, port, fwmark, group, protocol, lbAlgo, lbKind, delayLoop,
                persistence, granularity, sorry, sorryInhibit, quorum, hysteresis, quorumUp, quorumDown, alpha, omega,
                inhibit, virtualhost, haSuspend, connectTimeout, retry, delayBeforeRetry, warmup, laddr, synProxy, daddr,
                waddr, toa, ipFamily, reals, n.origin()));
    }

    // ================================================================ real_server and checkers

    private static boolean containsServer(List<RealServer> reals, RealServer rs) {
        for (RealServer x : reals) {
            if (x.address().equals(rs.address()) && x.port() == rs.port()) {
                return true;
            }
        }
        return false;
    }

    private RealServer realServer(ConfNode n, int vsPort, Family vsFamily) {
        if (n.args.isEmpty()) {
            diag.error(n.origin(), "real_server needs an address");
            return null;
        }
        InetAddress address = address(n, n.args.getFirst());
        int port = n.args.size() > 1 ? port(n, "real_server " + n.args.getFirst().text(), n.args.get(1).text(), vsPort) : vsPort;
        if (address != null && vsFamily != null && Family.of(address) != vsFamily) {
            diag.warning(n.origin(), "real_server " + IpLiteral.format(address) + " is " + Family.of(address).label()
                    + " but the virtual_server is " + vsFamily.label() + " (only FNAT translates families)");
        }
        int weight = 1;
        boolean inhibit = false;
        String notifyUp = null;
        String notifyDown = null;
        String lbKind = null;
        Integer uth = null;
        Integer lth = null;
        String rsVirtualhost = null;
        CommonBuilder rsDefaults = new CommonBuilder();
        List<Checker> checkers = new ArrayList<>();
        for (ConfNode c : n.block()) {
            switch (c.name()) {
                case "weight" -> {
                    String v = c.args.isEmpty() ? null : c.args.getFirst().text();
                    Integer w = v == null ? null : parseInt(v);
                    if (w == null) {
                        diag.error(c.origin(), "weight '" + (v == null ? "" : v) + "' is not an integer (real_server "
                                + n.args.getFirst().text() + ")");
                    } else if (w < 0) {
                        diag.error(c.origin(), "weight " + w + " is negative (real_server " + n.args.getFirst().text() + ")");
                    } else if (w > 65535) {
                        diag.error(c.origin(), "weight " + w + " out of range 0..65535 (real_server " + n.args.getFirst().text() + ")");
                    } else {
                        weight = w;
                    }
                }
                case "inhibit_on_failure" -> inhibit = flag(c);
                case "notify_up" -> notifyUp = script(c);
                case "notify_down" -> notifyDown = script(c);
                case "lb_kind", "lvs_method" -> {
                    String k = string(c);
                    if (k != null && !LB_KINDS.contains(k.toUpperCase(Locale.ROOT))) {
                        diag.error(c.origin(), c.name() + " '" + k + "': unknown forwarding method, expected one of NAT|DR|TUN|FNAT|SNAT");
                    } else if (k != null) {
                        lbKind = k.toUpperCase(Locale.ROOT);
                    }
                }
                case "uthreshold" -> uth = intValue(c, 0, Integer.MAX_VALUE, 0);
                case "lthreshold" -> lth = intValue(c, 0, Integer.MAX_VALUE, 0);
                case "TCP_CHECK" -> checkers.add(new Checker.TcpCheck(common(c), c.origin()));
                case "PING_CHECK", "ICMP_CHECK" -> checkers.add(new Checker.PingCheck(common(c), c.origin()));
                case "HTTP_GET", "SSL_GET" -> {
                    Checker.HttpCheck h = httpCheck(c);
                    if (h.urls().isEmpty()) {
                        // as keepalived: a checker without url is ignored
                        diag.warning(c.origin(), c.name() + ": no url block, checker ignored");
                    } else {
                        checkers.add(h);
                    }
                }
                case "MISC_CHECK" -> checkers.add(miscCheck(c));
                case "UDP_CHECK" -> checkers.add(udpCheck(c));
                case "DNS_CHECK" -> checkers.add(dnsCheck(c));
                case "SMTP_CHECK" -> checkers.add(smtpCheck(c));
                case "FILE_CHECK" -> checkers.add(fileCheck(c));
                case "BFD_CHECK" -> checkers.add(bfdCheck(c));
                case "smtp_alert", "snmp_name" -> {
                }
                case "virtualhost" -> rsVirtualhost = string(c);
                // keepalived 2.x: these set the defaults of the real server's checkers
                case "alpha", "connect_timeout", "retry", "delay_before_retry", "warmup", "delay_loop" ->
                        commonKeyword(c, rsDefaults);
                case "real_server" -> diag.error(c.origin(), "real_server " + argsText(c) + " inside another real_server");
                default -> unknown(c, "real_server " + n.args.getFirst().text());
            }
        }
        if (address == null) {
            return null;
        }
        return new RealServer(address, port, weight, inhibit, notifyUp, notifyDown, lbKind, uth, lth, checkers,
                rsVirtualhost, rsDefaults.build(), n.origin());
    }

    /** Reads the keywords shared by connecting checkers; returns null for a keyword it does not know. */
    private boolean commonKeyword(ConfNode c, CommonBuilder b) {
        switch (c.name()) {
            case "connect_ip" -> b.connectIp = c.args.isEmpty() ? missing(c) : address(c, c.args.getFirst());
            case "connect_port" -> b.connectPort = c.args.isEmpty() ? null : port(c, "connect_port", c.args.getFirst().text(), 0);
            case "bindto" -> b.bindto = c.args.isEmpty() ? missing(c) : address(c, c.args.getFirst());
            case "bind_port" -> b.bindPort = c.args.isEmpty() ? null : port(c, "bind_port", c.args.getFirst().text(), 0);
            case "bind_if" -> b.bindIf = string(c);
            case "fwmark" -> b.fwmark = intValue(c, 1, Integer.MAX_VALUE, 0);
            case "connect_timeout" -> b.connectTimeout = positiveTimer(c, null);
            case "retry", "nb_get_retry" -> b.retry = intValue(c, 0, 1_000_000, 1);
            case "delay_before_retry" -> b.delayBeforeRetry = timer(c, null);
            case "warmup" -> b.warmup = timer(c, null);
            case "delay_loop" -> b.delayLoop = positiveTimer(c, null);
            case "alpha" -> b.alpha = flag(c);
            case "log_all_failures" -> b.logAllFailures = flag(c);
            default -> {
                return false;
            }
        }
        return true;
    }

    private static final class CommonBuilder {
        InetAddress connectIp;
        Integer connectPort;
        InetAddress bindto;
        Integer bindPort;
        String bindIf;
        Integer fwmark;
        Duration connectTimeout;
        Integer retry;
        Duration delayBeforeRetry;
        Duration warmup;
        Duration delayLoop;
        Boolean alpha;
        boolean logAllFailures;

        Checker.Common build() {
            return new Checker.Common(connectIp, connectPort, bindto, bindPort, bindIf, fwmark, connectTimeout, retry,
                    delayBeforeRetry, warmup, delayLoop, alpha, logAllFailures);
        }
    }

    private Checker.Common common(ConfNode n) {
        CommonBuilder b = new CommonBuilder();
        for (ConfNode c : n.block()) {
            if (!commonKeyword(c, b)) {
                unknown(c, n.name());
            }
        }
        return b.build();
    }

    private Checker.HttpCheck httpCheck(ConfNode n) {
        CommonBuilder b = new CommonBuilder();
        List<Checker.Url> urls = new ArrayList<>();
        String virtualhost = null;
        String protocolVersion = null;
        boolean sni = false;
        boolean fast = false;
        for (ConfNode c : n.block()) {
            if (commonKeyword(c, b)) {
                continue;
            }
            switch (c.name()) {
                case "url" -> urls.add(url(c));
                case "virtualhost" -> virtualhost = string(c);
                case "http_protocol" -> protocolVersion = string(c);
                case "enable_sni" -> sni = flag(c);
                case "fast_recovery" -> fast = flag(c);
                default -> unknown(c, n.name());
            }
        }
        return new Checker.HttpCheck(n.name(), b.build(), urls, virtualhost, protocolVersion, sni, fast, n.origin());
    }

    private Checker.Url url(ConfNode n) {
        requireBlock(n);
        String path = null;
        String digest = null;
        List<Checker.StatusRange> codes = new ArrayList<>();
        String virtualhost = null;
        String regex = null;
        Origin regexOrigin = null;
        boolean noMatch = false;
        List<String> options = new ArrayList<>();
        Long minOffset = null;
        Long maxOffset = null;
        List<Long> stack = null;
        Origin firstRegexParam = null;
        for (ConfNode c : n.block()) {
            switch (c.name()) {
                case "path" -> path = string(c);
                case "digest" -> {
                    digest = string(c);
                    if (digest != null && !digest.matches("[0-9A-Fa-f]{32}")) {
                        diag.error(c.origin(), "digest '" + digest + "' is not an MD5 digest (32 hex digits)");
                    }
                }
                case "status_code" -> {
                    if (c.args.isEmpty()) {
                        diag.error(c.origin(), "status_code needs a value");
                    }
                    for (Token t : c.args) {
                        Checker.StatusRange r = statusRange(t.text());
                        if (r == null) {
                            diag.error(c.origin(), "status_code '" + t.text() + "' is not an HTTP status 100..599 or a range");
                        } else {
                            codes.add(r);
                        }
                    }
                }
                case "virtualhost" -> virtualhost = string(c);
                case "regex" -> {
                    noBlock(c);
                    if (c.args.size() != 1) {
                        diag.error(c.origin(), "regex needs exactly one pattern (quote a pattern that contains "
                                + "spaces), got " + c.args.size() + " words");
                    } else {
                        Token t = c.args.getFirst();
                        // keepalived re-reads the regex line with escape processing, quoted or not
                        regex = t.quoted() ? t.text() : Lexer.unescape(t.text());
                        regexOrigin = c.origin();
                    }
                }
                case "regex_no_match" -> {
                    noMatch = flag(c);
                    firstRegexParam = firstRegexParam == null ? c.origin() : firstRegexParam;
                }
                case "regex_options" -> {
                    noBlock(c);
                    firstRegexParam = firstRegexParam == null ? c.origin() : firstRegexParam;
                    for (Token t : c.args) {
                        if (io.fulcrum.healthcheck.BodyRegex.knownOption(t.text())) {
                            options.add(t.text());
                        } else {
                            diag.warning(c.origin(), "regex_options '" + t.text() + "' is not a regex option, ignored");
                        }
                    }
                }
                case "regex_min_offset" -> {
                    minOffset = longValue(c, 0, Integer.MAX_VALUE, 0);
                    firstRegexParam = firstRegexParam == null ? c.origin() : firstRegexParam;
                }
                case "regex_max_offset" -> {
                    maxOffset = longValue(c, 0, Integer.MAX_VALUE, 0);
                    firstRegexParam = firstRegexParam == null ? c.origin() : firstRegexParam;
                }
                case "regex_stack" -> {
                    noBlock(c);
                    firstRegexParam = firstRegexParam == null ? c.origin() : firstRegexParam;
                    Long start = c.args.size() == 2 ? parseLong(c.args.get(0).text()) : null;
                    Long max = c.args.size() == 2 ? parseLong(c.args.get(1).text()) : null;
                    if (start == null || max == null || start < 0 || max < start) {
                        diag.warning(c.origin(), "regex_stack needs START MAX with 0 <= START <= MAX, got '"
                                + argsText(c) + "', ignored");
                    } else {
                        stack = List.of(start, max);
                    }
                }
                default -> unknown(c, "url");
            }
        }
        if (path == null) {
            diag.error(n.origin(), "url: path missing");
        }
        if (regex == null && firstRegexParam != null) {
            // keepalived: "regex parameters specified without regex", and it drops them
            diag.warning(firstRegexParam, "url " + (path == null ? "" : path + " ")
                    + "has regex parameters without a regex, ignored");
            noMatch = false;
            options.clear();
            minOffset = null;
            maxOffset = null;
            stack = null;
        }
        if (minOffset != null && maxOffset != null && minOffset > maxOffset) {
            // keepalived: "regex min offset > regex_max_offset - ignoring" (both)
            diag.warning(firstRegexParam, "regex_min_offset " + minOffset + " is beyond regex_max_offset "
                    + maxOffset + ", both ignored");
            minOffset = null;
            maxOffset = null;
        }
        if (regex != null) {
            try {
                io.fulcrum.healthcheck.BodyRegex.compile(regex, options);
            } catch (IllegalArgumentException e) {
                diag.error(regexOrigin, e.getMessage());
            }
        }
        return new Checker.Url(path, digest, codes, virtualhost, regex, noMatch, options, minOffset, maxOffset, stack,
                n.origin());
    }

    private static Checker.StatusRange statusRange(String s) {
        int dash = s.indexOf('-');
        Integer lo = parseInt(dash < 0 ? s : s.substring(0, dash));
        Integer hi = dash < 0 ? lo : parseInt(s.substring(dash + 1));
        if (lo == null || hi == null || lo < 100 || hi > 599 || hi < lo) {
            return null;
        }
        return new Checker.StatusRange(lo, hi);
    }

    private Checker miscCheck(ConfNode n) {
        CommonBuilder b = new CommonBuilder();
        String path = null;
        Duration timeout = null;
        boolean dynamic = false;
        String user = null;
        String group = null;
        for (ConfNode c : n.block()) {
            if (commonKeyword(c, b)) {
                continue;
            }
            switch (c.name()) {
                case "misc_path" -> path = script(c);
                case "misc_timeout" -> timeout = positiveTimer(c, null);
                case "misc_dynamic" -> dynamic = flag(c);
                case "user" -> {
                    user = string(c);
                    group = c.args.size() > 1 ? c.args.get(1).text() : null;
                }
                default -> unknown(c, "MISC_CHECK");
            }
        }
        if (path == null) {
            diag.error(n.origin(), "MISC_CHECK: misc_path missing");
        }
        return new Checker.MiscCheck(b.build(), path, timeout, dynamic, user, group, n.origin());
    }

    private Checker udpCheck(ConfNode n) {
        CommonBuilder b = new CommonBuilder();
        String payload = null;
        boolean require = false;
        String requirePayload = null;
        Integer min = null;
        Integer max = null;
        for (ConfNode c : n.block()) {
            if (commonKeyword(c, b)) {
                continue;
            }
            switch (c.name()) {
                case "payload" -> {
                    payload = string(c);
                    if (payload != null && !payload.matches("([0-9A-Fa-f]{2})+")) {
                        diag.error(c.origin(), "payload '" + payload + "' is not an even number of hex digits");
                    }
                }
                case "require_reply" -> {
                    require = true;
                    requirePayload = c.args.isEmpty() ? null : c.args.getFirst().text();
                    if (requirePayload != null && !requirePayload.matches("([0-9A-Fa-f]{2})+")) {
                        diag.error(c.origin(), "require_reply '" + requirePayload + "' is not an even number of hex digits");
                    }
                }
                case "min_reply_length" -> min = intValue(c, 0, 65535, 0);
                case "max_reply_length" -> max = intValue(c, 0, 65535, 255);
                default -> unknown(c, "UDP_CHECK");
            }
        }
        return new Checker.UdpCheck(b.build(), payload, require, requirePayload, min, max, n.origin());
    }

    private Checker dnsCheck(ConfNode n) {
        CommonBuilder b = new CommonBuilder();
        String type = "SOA";
        String name = ".";
        for (ConfNode c : n.block()) {
            if (commonKeyword(c, b)) {
                continue;
            }
            switch (c.name()) {
                case "type" -> {
                    String t = string(c);
                    if (t != null && DNS_TYPES.contains(t.toUpperCase(Locale.ROOT))) {
                        type = t.toUpperCase(Locale.ROOT);
                    } else if (t != null) {
                        diag.error(c.origin(), "DNS_CHECK type '" + t + "' is not one of A|NS|CNAME|SOA|MX|TXT|AAAA");
                    }
                }
                case "name" -> name = string(c);
                default -> unknown(c, "DNS_CHECK");
            }
        }
        return new Checker.DnsCheck(b.build(), type, name, n.origin());
    }

    private Checker smtpCheck(ConfNode n) {
        CommonBuilder b = new CommonBuilder();
        String helo = null;
        List<Checker.Common> hosts = new ArrayList<>();
        for (ConfNode c : n.block()) {
            if (commonKeyword(c, b)) {
                continue;
            }
            switch (c.name()) {
                case "helo_name" -> helo = string(c);
                case "host" -> {
                    requireBlock(c);
                    hosts.add(common(c));
                }
                default -> unknown(c, "SMTP_CHECK");
            }
        }
        return new Checker.SmtpCheck(b.build(), helo, hosts, n.origin());
    }

    private Checker fileCheck(ConfNode n) {
        String file = null;
        Integer weight = null;
        boolean reverse = false;
        boolean dynamic = false;
        for (ConfNode c : n.block()) {
            switch (c.name()) {
                case "track_file" -> {
                    file = string(c);
                    if (file != null) {
                        references.add(new Reference("track_file", file, c.origin(), "FILE_CHECK track_file " + file, true));
                    }
                }
                case "weight" -> {
                    weight = intValue(c, Integer.MIN_VALUE + 1, Integer.MAX_VALUE, 0);
                    reverse = false;
                    if (c.args.size() > 1) {
                        String opt = c.args.get(1).text();
                        if (opt.equals("reverse")) {
                            reverse = true;
                        } else if (!opt.equals("noreverse")) {
                            diag.error(c.origin(), "FILE_CHECK weight option '" + opt + "' is not reverse or noreverse");
                        }
                    }
                }
                case "dynamic" -> {
                    // documented in keepalived.conf(5) but not implemented: keepalived 2.2.7 reports an unknown keyword
                    dynamic = flag(c);
                    diag.warning(c.origin(), "FILE_CHECK dynamic is not implemented by keepalived 2.x (it reports an "
                            + "unknown keyword), ignored");
                }
                default -> unknown(c, "FILE_CHECK");
            }
        }
        if (file == null) {
            diag.error(n.origin(), "FILE_CHECK: track_file missing");
        }
        return new Checker.FileCheck(file, weight, reverse, dynamic, n.origin());
    }

    private Checker bfdCheck(ConfNode n) {
        String name = null;
        Integer weight = null;
        for (ConfNode c : n.block()) {
            switch (c.name()) {
                case "name" -> name = string(c);
                case "weight" -> weight = intValue(c, -253, 253, 0);
                case "alpha", "warmup", "retry", "delay_before_retry", "connect_timeout", "delay_loop" -> {
                }
                default -> unknown(c, "BFD_CHECK");
            }
        }
        if (name == null) {
            diag.error(n.origin(), "BFD_CHECK: name missing");
        }
        return new Checker.BfdCheck(name, weight, n.origin());
    }

    // ================================================================ cross checks

    private void checkDuplicateNames() {
        duplicates("vrrp_instance", instances.stream().map(i -> new Named(i.name(), i.origin())).toList());
        duplicates("vrrp_script", scripts.stream().map(i -> new Named(i.name(), i.origin())).toList());
        duplicates("track_file", trackFiles.stream().map(i -> new Named(i.name(), i.origin())).toList());
        duplicates("vrrp_sync_group", syncGroups.stream().map(i -> new Named(i.name(), i.origin())).toList());
        duplicates("local_address_group", localGroups.stream().map(i -> new Named(i.name(), i.origin())).toList());
        duplicates("virtual_server_group", vsGroups.stream().map(i -> new Named(i.name(), i.origin())).toList());
        Map<String, Origin> services = new HashMap<>();
        for (VirtualServer v : virtualServers) {
            String key = v.label();
            Origin prev = services.putIfAbsent(key, v.origin());
            if (prev != null) {
                diag.error(v.origin(), "virtual_server " + key + " is already defined at " + prev);
            }
        }
    }

    private record Named(String name, Origin origin) {
    }

    private void duplicates(String kind, List<Named> items) {
        Map<String, Origin> seen = new HashMap<>();
        for (Named n : items) {
            Origin prev = seen.putIfAbsent(n.name, n.origin);
            if (prev != null) {
                diag.error(n.origin, kind + " " + n.name + " is already defined at " + prev);
            }
        }
    }

    private void checkReferences() {
        Map<String, Set<String>> names = new HashMap<>();
        names.put("vrrp_script", names(scripts.stream().map(VrrpScript::name)));
        names.put("track_file", names(trackFiles.stream().map(TrackFile::name)));
        names.put("vrrp_instance", names(instances.stream().map(VrrpInstance::name)));
        names.put("local_address_group", names(localGroups.stream().map(AddressGroup::name)));
        names.put("deny_address_group", names(denyGroups.stream().map(AddressGroup::name)));
        names.put("allow_address_group", names(allowGroups.stream().map(AddressGroup::name)));
        names.put("virtual_server_group", names(vsGroups.stream().map(VirtualServerGroup::name)));
        for (Reference r : references) {
            if (!names.getOrDefault(r.kind, Set.of()).contains(r.name)) {
                String msg = r.what + ": no " + r.kind + " named '" + r.name + "'";
                if (r.error) {
                    diag.error(r.origin, msg);
                } else {
                    diag.warning(r.origin, msg + ", ignored");
                }
            }
        }
    }

    private static Set<String> names(java.util.stream.Stream<String> s) {
        return s.collect(java.util.stream.Collectors.toSet());
    }

    /** A FullNAT service reaches each real server from a local address of the real server's family. */
    private void checkFullNatFamilies() {
        Map<String, AddressGroup> groups = new HashMap<>();
        localGroups.forEach(g -> groups.putIfAbsent(g.name(), g));
        for (VirtualServer v : virtualServers) {
            AddressGroup g = v.laddrGroupName() == null ? null : groups.get(v.laddrGroupName());
            if (!v.lbKind().equals("FNAT") || g == null) {
                continue;
            }
            Set<Family> have = new java.util.HashSet<>();
            g.ranges().forEach(r -> have.add(Family.of(r.first())));
            for (RealServer rs : v.realServers()) {
                Family f = Family.of(rs.address());
                if (!have.contains(f)) {
                    diag.error(rs.origin(), "real_server " + IpLiteral.format(rs.address()) + " is " + f.label()
                            + " but local_address_group " + g.name() + " has no " + f.label() + " address to reach it from");
                }
            }
        }
    }

    private void checkDuplicateVrids() {
        Map<String, VrrpInstance> seen = new HashMap<>();
        for (VrrpInstance i : instances) {
            if (i.virtualRouterId() == 0 || i.interfaceName() == null) {
                continue;
            }
            String key = i.interfaceName() + "/" + i.family() + "/" + i.virtualRouterId();
            VrrpInstance prev = seen.putIfAbsent(key, i);
            if (prev != null) {
                diag.error(vridOrigins.getOrDefault(i, i.origin()), "virtual_router_id " + i.virtualRouterId()
                        + " of vrrp_instance " + i.name() + " is already used by vrrp_instance " + prev.name()
                        + " on " + i.interfaceName() + " (" + i.family().label() + ", " + prev.origin() + ")");
            }
        }
    }

    // ================================================================ value helpers

    private void unknown(ConfNode c, String where) {
        String block = where.equals("the top level") ? "top" : where.split(" ")[0];
        String hint = KeywordHints.suggest(block, c.name());
        diag.warning(c.origin(), "unknown keyword '" + c.name() + "' in " + where + ", ignored"
                + (hint == null ? "" : " (did you mean '" + hint + "'?)"));
    }

    private String blockName(ConfNode n) {
        if (n.args.isEmpty()) {
            diag.error(n.origin(), n.name() + " needs a name");
            return null;
        }
        if (!n.hasBlock()) {
            diag.error(n.origin(), n.name() + " " + n.args.getFirst().text() + " needs a { } block");
        }
        return n.args.getFirst().text();
    }

    private void requireBlock(ConfNode c) {
        if (!c.hasBlock()) {
            diag.error(c.origin(), c.name() + " needs a { } block");
        }
    }

    private static String argsText(ConfNode c) {
        StringBuilder sb = new StringBuilder();
        for (Token t : c.args) {
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append(t.text());
        }
        return sb.toString();
    }

    private static List<Token> concat(ConfNode m) {
        List<Token> all = new ArrayList<>();
        all.add(m.keyword);
        all.addAll(m.args);
        return all;
    }

    private <T> T missing(ConfNode c) {
        diag.error(c.origin(), c.name() + " needs a value");
        return null;
    }

    /** A value keyword followed by a block: keepalived ignores the block, so say so. */
    private void noBlock(ConfNode c) {
        if (c.hasBlock()) {
            diag.warning(c.origin(), "'" + c.name() + "' takes no { } block; its contents are ignored");
        }
    }

    private String string(ConfNode c) {
        noBlock(c);
        if (c.args.isEmpty()) {
            diag.error(c.origin(), c.name() + " needs a value");
            return null;
        }
        return c.args.getFirst().text();
    }

    /** A command line: all words, re-quoted with single quotes where a word contains spaces. */
    private String script(ConfNode c) {
        noBlock(c);
        if (c.args.isEmpty()) {
            diag.error(c.origin(), c.name() + " needs a command");
            return null;
        }
        if (c.args.size() == 1) {
            return c.args.getFirst().text();
        }
        StringBuilder sb = new StringBuilder();
        for (Token t : c.args) {
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append(t.text().contains(" ") ? "'" + t.text() + "'" : t.text());
        }
        return sb.toString();
    }

    private boolean flag(ConfNode c) {
        noBlock(c);
        if (c.args.isEmpty()) {
            return true;
        }
        String v = c.args.getFirst().text().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "on", "true", "yes" -> true;
            case "off", "false", "no" -> false;
            default -> {
                diag.error(c.origin(), c.name() + " '" + c.args.getFirst().text() + "' is not a boolean (on|off|true|false|yes|no)");
                yield false;
            }
        };
    }

    private int intValue(ConfNode c, int min, int max, int fallback) {
        return (int) longValue(c, min, max, fallback);
    }

    private long longValue(ConfNode c, long min, long max, long fallback) {
        noBlock(c);
        if (c.args.isEmpty()) {
            diag.error(c.origin(), c.name() + " needs a value");
            return fallback;
        }
        String text = c.args.getFirst().text();
        Long v = parseLong(text);
        if (v == null) {
            diag.error(c.origin(), c.name() + " '" + text + "' is not an integer");
            return fallback;
        }
        if (v < min || v > max) {
            diag.error(c.origin(), c.name() + " " + text + " out of range " + min + ".." + max);
            return fallback;
        }
        return v;
    }

    private Duration timer(ConfNode c, Duration fallback) {
        noBlock(c);
        if (c.args.isEmpty()) {
            diag.error(c.origin(), c.name() + " needs a time in seconds");
            return fallback;
        }
        String text = c.args.getFirst().text();
        Duration d = parseTimer(text);
        if (d == null) {
            diag.error(c.origin(), c.name() + " '" + text + "' is not a time in seconds (e.g. 3 or 0.5)");
            return fallback;
        }
        return d;
    }

    private Duration positiveTimer(ConfNode c, Duration fallback) {
        Duration d = timer(c, null);
        if (d == null) {
            return fallback;
        }
        if (d.isZero()) {
            diag.error(c.origin(), c.name() + " " + c.args.getFirst().text() + " must be greater than 0");
            return fallback;
        }
        return d;
    }

    private Duration timerInRange(ConfNode c, int minSeconds, int maxSeconds, Duration fallback) {
        Duration d = timer(c, null);
        if (d == null) {
            return fallback;
        }
        if (d.compareTo(Duration.ofSeconds(minSeconds)) < 0 || d.compareTo(Duration.ofSeconds(maxSeconds)) > 0) {
            diag.error(c.origin(), c.name() + " " + c.args.getFirst().text() + " out of range " + minSeconds + ".." + maxSeconds);
            return fallback;
        }
        return d;
    }

    static Duration parseTimer(String text) {
        if (!text.matches("\\d+(\\.\\d{1,6})?|\\.\\d{1,6}")) {
            return null;
        }
        try {
            BigDecimal micros = new BigDecimal(text).movePointRight(6);
            return Duration.ofNanos(Math.multiplyExact(micros.longValueExact(), 1000L));
        } catch (ArithmeticException | NumberFormatException e) {
            return null;
        }
    }

    private static String seconds(Duration d) {
        return BigDecimal.valueOf(d.toNanos()).movePointLeft(9).stripTrailingZeros().toPlainString();
    }

    private InetAddress address(ConfNode c, Token t) {
        if (t == null) {
            diag.error(c.origin(), c.name() + " needs an address");
            return null;
        }
        return addressText(c, c.name(), t.text());
    }

    private InetAddress addressText(ConfNode c, String keyword, String text) {
        InetAddress a = IpLiteral.parse(text);
        if (a == null) {
            diag.error(c.origin(), keyword + " '" + text + "' is not an IPv4 or IPv6 address");
        }
        return a;
    }

    private record Prefix(InetAddress address, int length) {
    }

    private Prefix prefix(ConfNode c, String keyword, String text) {
        int slash = text.indexOf('/');
        String addrText = slash < 0 ? text : text.substring(0, slash);
        InetAddress a = addressText(c, keyword, addrText);
        if (a == null) {
            return null;
        }
        int max = a instanceof Inet6Address ? 128 : 32;
        int len = max;
        if (slash >= 0) {
            Integer l = parseInt(text.substring(slash + 1));
            if (l == null || l < 0 || l > max) {
                diag.error(c.origin(), keyword + " '" + text + "': prefix length '" + text.substring(slash + 1)
                        + "' out of range 0.." + max);
                return null;
            }
            len = l;
        }
        return new Prefix(a, len);
    }

    private int port(ConfNode c, String what, String text, int fallback) {
        Integer p = parseInt(text);
        if (p == null || p < 0 || p > 65535) {
            diag.error(c.origin(), what + ": port '" + text + "' is not a port number 0..65535");
            return fallback;
        }
        return p;
    }

    static Integer parseInt(String s) {
        Long v = parseLong(s);
        return v == null || v < Integer.MIN_VALUE || v > Integer.MAX_VALUE ? null : (int) (long) v;
    }

    private static Integer parseLongAsInt(String s) {
        Long v = parseLong(s);
        if (v == null) {
            return null;
        }
        if (s.startsWith("0x") && v > 0xffffffffL || !s.startsWith("0x") && v > Integer.MAX_VALUE) {
            return null;
        }
        return (int) (long) v;
    }

    static Long parseLong(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        try {
            if (s.startsWith("0x") || s.startsWith("0X")) {
                return Long.parseLong(s.substring(2), 16);
            }
            if (!s.matches("[+-]?\\d{1,18}")) {
                return null;
            }
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Integer parseHex(String s) {
        if (!s.matches("[0-9A-Fa-f]{1,4}")) {
            return null;
        }
        return Integer.parseInt(s, 16);
    }
}

package io.fulcrum.appliance.wiring;

import io.fulcrum.appliance.config.AddressGroup;
import io.fulcrum.appliance.config.Checker;
import io.fulcrum.appliance.config.KeepalivedConfig;
import io.fulcrum.appliance.config.RealServer;
import io.fulcrum.appliance.config.TrackFile;
import io.fulcrum.appliance.config.VirtualServer;
import io.fulcrum.appliance.config.VrrpInstance;
import io.fulcrum.appliance.config.VrrpScript;
import io.fulcrum.appliance.config.VrrpSyncGroup;
import io.fulcrum.dataplane.service.ForwardingMethod;
import io.fulcrum.dataplane.service.LocalAddressPoolSpec;
import io.fulcrum.dataplane.service.RealServerSpec;
import io.fulcrum.dataplane.service.SchedulerKind;
import io.fulcrum.dataplane.service.VirtualServiceSpec;
import io.fulcrum.healthcheck.BodyRegex;
import io.fulcrum.healthcheck.CheckOptions;
import io.fulcrum.healthcheck.CheckSpec;
import io.fulcrum.healthcheck.Endpoint;
import io.fulcrum.healthcheck.RealServerCheckSpec;
import io.fulcrum.healthcheck.SorryServerSpec;
import io.fulcrum.healthcheck.VirtualServerCheckSpec;
import io.fulcrum.vrrp.NotifySpec;
import io.fulcrum.vrrp.VirtualAddress;
import io.fulcrum.vrrp.VrrpInstanceSpec;
import io.fulcrum.vrrp.VrrpScriptSpec;
import io.fulcrum.vrrp.VrrpSyncGroupSpec;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Maps a validated {@link KeepalivedConfig} to the specification records of each module: VRRP instances, sync groups
 * and scripts ({@link VrrpPlan}), health-check virtual servers ({@link VirtualServerCheckSpec}) and the dataplane's
 * services and local-address pools ({@link ServicePlan}). Only this class knows both sides.
 *
 * <p>Pure functions; any thread. A mapping problem the module's own validation finds is reported as a
 * {@link MappingException} whose message starts with the configuration file and line.
 */
public final class SpecMapper {

    /** keepalived's default {@code delay_loop}. */
    static final Duration DEFAULT_DELAY_LOOP = Duration.ofSeconds(60);

    private SpecMapper() {
    }

    /**
     * A configuration that the modules' specifications refuse.
     *
     * <p>Immutable; any thread.
     */
    public static final class MappingException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /** Creates one with an operator-facing message ({@code FILE:LINE: what}). */
        public MappingException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * What VRRP runs.
     *
     * @param instances the instances
     * @param syncGroups the sync groups
     * @param scripts the {@code vrrp_script}s
     */
    public record VrrpPlan(List<VrrpInstanceSpec> instances, List<VrrpSyncGroupSpec> syncGroups,
                           List<VrrpScriptSpec> scripts) {
        /** Copies the lists. */
        public VrrpPlan {
            instances = List.copyOf(instances);
            syncGroups = List.copyOf(syncGroups);
            scripts = List.copyOf(scripts);
        }
    }

    /**
     * What the dataplane serves.
     *
     * @param services the virtual services (fwmark and group services are not supported by the dataplane: skipped and
     *     listed in {@code skipped})
     * @param pools the local-address pools
     * @param skipped labels of virtual servers the dataplane cannot serve, with the reason
     */
    public record ServicePlan(List<VirtualServiceSpec> services, List<LocalAddressPoolSpec> pools,
                              List<String> skipped) {
        /** Copies the lists. */
        public ServicePlan {
            services = List.copyOf(services);
            pools = List.copyOf(pools);
            skipped = List.copyOf(skipped);
        }
    }

    // ------------------------------------------------------------------------------------------------ VRRP

    /** The VRRP plan of {@code config}. */
    public static VrrpPlan vrrp(KeepalivedConfig config) {
        List<VrrpInstanceSpec> instances = new ArrayList<>();
        int defaultRepeat = config.globalDefs().vrrpGarpMasterRepeat();
        Duration defaultDelay = config.globalDefs().vrrpGarpMasterDelay();
        Duration defaultRefresh = config.globalDefs().vrrpGarpMasterRefresh();
        for (VrrpInstance i : config.vrrpInstances()) {
            try {
                instances.add(instance(i, defaultRepeat, defaultDelay, defaultRefresh));
            } catch (IllegalArgumentException e) {
                throw new MappingException(i.origin() + ": " + e.getMessage());
            }
        }
        List<VrrpSyncGroupSpec> groups = new ArrayList<>();
        for (VrrpSyncGroup g : config.vrrpSyncGroups()) {
            try {
                groups.add(new VrrpSyncGroupSpec(g.name(), g.group(), notify(g.notifyScripts())));
            } catch (IllegalArgumentException e) {
                throw new MappingException(g.origin() + ": " + e.getMessage());
            }
        }
        List<VrrpScriptSpec> scripts = new ArrayList<>();
        for (VrrpScript s : config.vrrpScripts()) {
            try {
                scripts.add(new VrrpScriptSpec(s.name(), s.script(), millis(s.interval(), 1000),
                        millis(s.timeout(), 0), s.weightReverse() ? -s.weight() : s.weight(), Math.max(1, s.rise()),
                        Math.max(1, s.fall()), s.user(), s.initFail()));
            } catch (IllegalArgumentException e) {
                throw new MappingException(s.origin() + ": " + e.getMessage());
            }
        }
        return new VrrpPlan(instances, groups, scripts);
    }

    static VrrpInstanceSpec instance(VrrpInstance i, int defaultRepeat, Duration defaultDelay,
                                     Duration defaultRefresh) {
        List<VirtualAddress> vips = new ArrayList<>();
        for (VrrpInstance.VirtualIp v : i.virtualIpaddress()) {
            vips.add(new VirtualAddress(v.address(), v.prefixLength(), v.dev() == null ? i.interfaceName() : v.dev()));
        }
        List<VirtualAddress> excluded = new ArrayList<>();
        for (VrrpInstance.VirtualIp v : i.virtualIpaddressExcluded()) {
            excluded.add(new VirtualAddress(v.address(), v.prefixLength(),
                    v.dev() == null ? i.interfaceName() : v.dev()));
        }
        List<VrrpInstanceSpec.TrackInterface> ti = i.trackInterface().stream()
                .map(t -> new VrrpInstanceSpec.TrackInterface(t.name(), t.weight(), t.reverse())).toList();
        List<VrrpInstanceSpec.TrackScript> ts = i.trackScript().stream()
                .map(t -> new VrrpInstanceSpec.TrackScript(t.name(), t.weight(), t.reverse())).toList();
        int centis = (int) Math.max(1, i.advertInt().toMillis() / 10);
        int authType = 0;
        String authPass = null;
        if (i.authentication() != null) {
            authType = "AH".equalsIgnoreCase(i.authentication().authType()) ? 2 : 1;
            authPass = i.authentication().authPass();
        }
        int repeat = i.garpMasterRepeat() != null ? i.garpMasterRepeat() : defaultRepeat;
        Duration delay = i.garpMasterDelay() != null ? i.garpMasterDelay() : defaultDelay;
        Duration refresh = i.garpMasterRefresh() != null ? i.garpMasterRefresh() : defaultRefresh;
        return new VrrpInstanceSpec(i.name(), i.interfaceName(), i.virtualRouterId(), i.version(), i.priority(),
                centis, "MASTER".equalsIgnoreCase(i.state()), !i.nopreempt(), millis(i.preemptDelay(), 0), authType,
                authPass, vips, excluded, i.unicastSrcIp(), i.unicastPeer(), ti, ts, List.of(),
                notify(i.notifyScripts()), delay == null ? 0 : delay.toMillis(), repeat,
                refresh == null ? 0 : refresh.toMillis(), false);
    }

    static NotifySpec notify(Map<String, String> scripts) {
        if (scripts.isEmpty()) {
            return NotifySpec.NONE;
        }
        return new NotifySpec(scripts.get("notify_master"), scripts.get("notify_backup"), scripts.get("notify_fault"),
                scripts.get("notify_stop"), scripts.get("notify"));
    }

    // ------------------------------------------------------------------------------------------------ checks

    /** The health-check virtual servers of {@code config} (those with an address and port; groups and fwmarks skipped). */
    public static List<VirtualServerCheckSpec> checks(KeepalivedConfig config) {
        Map<String, TrackFile> trackFiles = new HashMap<>();
        for (TrackFile t : config.trackFiles()) {
            trackFiles.putIfAbsent(t.name(), t);
        }
        List<VirtualServerCheckSpec> out = new ArrayList<>();
        for (VirtualServer vs : config.virtualServers()) {
            if (vs.address() == null) {
                continue;
            }
            try {
                out.add(checkSpec(vs, trackFiles));
            } catch (IllegalArgumentException e) {
                throw new MappingException(vs.origin() + ": " + e.getMessage());
            }
        }
        return out;
    }

    static io.fulcrum.healthcheck.Protocol checkProtocol(String p) {
        return switch (p.toUpperCase(Locale.ROOT)) {
            case "UDP" -> io.fulcrum.healthcheck.Protocol.UDP;
            case "SCTP" -> io.fulcrum.healthcheck.Protocol.SCTP;
            default -> io.fulcrum.healthcheck.Protocol.TCP;
        };
    }

    static VirtualServerCheckSpec checkSpec(VirtualServer vs, Map<String, TrackFile> trackFiles) {
        List<RealServerCheckSpec> rss = new ArrayList<>();
        for (RealServer rs : vs.realServers()) {
            List<CheckSpec> checks = new ArrayList<>();
            for (Checker c : rs.checkers()) {
                CheckSpec s;
                try {
                    s = checkSpec(vs, rs, c, trackFiles);
                } catch (IllegalArgumentException e) {
                    throw new MappingException(c.origin() + ": " + c.type() + ": " + e.getMessage());
                }
                if (s != null) {
                    checks.add(s);
                }
            }
            rss.add(new RealServerCheckSpec(new Endpoint(rs.address(), rs.port()), rs.weight(),
                    rs.inhibitOnFailure() || vs.inhibitOnFailure(), rs.notifyUp(), rs.notifyDown(), checks));
        }
        SorryServerSpec sorry = vs.sorryServer() == null ? null
                : new SorryServerSpec(new Endpoint(vs.sorryServer().address(), vs.sorryServer().port()),
                vs.sorryServerInhibit());
        return new VirtualServerCheckSpec(new Endpoint(vs.address(), vs.port()), checkProtocol(vs.protocol()),
                Math.max(1, vs.quorum()), vs.hysteresis(), vs.quorumUp(), vs.quorumDown(), sorry, vs.alpha(),
                vs.omega(), rss);
    }

    /**
     * A checker's options, each taken from the checker, else its real server, else its virtual server, else
     * keepalived's default (keepalived 2.x {@code validate_check_config}). {@code alpha} stays null when neither the
     * checker nor the real server sets it (the virtual server's applies).
     */
    static CheckOptions options(VirtualServer vs, RealServer rs, Checker.Common c, String type) {
        Checker.Common r = rs == null || rs.checkerDefaults() == null ? Checker.Common.EMPTY : rs.checkerDefaults();
        Checker.Common k = c == null ? Checker.Common.EMPTY : c;
        CheckOptions o = CheckOptions.DEFAULTS;
        Duration delayLoop = first(first(k.delayLoop(), r.delayLoop(), null), vs.delayLoop(), DEFAULT_DELAY_LOOP);
        o = o.withDelayLoop(delayLoop);
        // keepalived's per-checker defaults (keepalived.conf(5)): DNS_CHECK retry 3 and delay_before_retry
        // delay_loop, HTTP_GET/SSL_GET delay_before_retry 3 s, MISC_CHECK retry 0; otherwise retry 1, 1 s
        switch (type) {
            case "DNS_CHECK" -> o = o.withRetry(3).withDelayBeforeRetry(delayLoop);
            case "HTTP_GET", "SSL_GET" -> o = o.withDelayBeforeRetry(Duration.ofSeconds(3));
            case "MISC_CHECK" -> o = o.withRetry(0);
            default -> {
            }
        }
        Duration ct = first(first(k.connectTimeout(), r.connectTimeout(), null), vs.connectTimeout(), null);
        if (ct != null) {
            o = o.withConnectTimeout(ct);
        }
        Integer retry = k.retry() != null ? k.retry() : r.retry() != null ? r.retry() : vs.retry();
        if (retry != null) {
            o = o.withRetry(retry);
        }
        Duration dbr = first(first(k.delayBeforeRetry(), r.delayBeforeRetry(), null), vs.delayBeforeRetry(), null);
        if (dbr != null) {
            o = o.withDelayBeforeRetry(dbr);
        }
        Duration warm = first(first(k.warmup(), r.warmup(), null), vs.warmup(), null);
        if (warm != null) {
            o = o.withWarmup(warm);
        }
        o = o.withAlpha(k.alpha() != null ? k.alpha() : r.alpha());
        if (c != null) {
            if (c.connectIp() != null) {
                o = o.withConnectIp(c.connectIp());
            }
            if (c.connectPort() != null) {
                o = o.withConnectPort(c.connectPort());
            }
            if (c.bindto() != null) {
                o = o.withBindTo(c.bindto());
            }
            if (c.bindPort() != null) {
                o = o.withBindPort(c.bindPort());
            }
            o = o.withLogAllFailures(c.logAllFailures());
        }
        return o;
    }

    static CheckSpec checkSpec(VirtualServer vs, RealServer rs, Checker c, Map<String, TrackFile> trackFiles) {
        return switch (c) {
            case Checker.TcpCheck t -> new CheckSpec.Tcp(options(vs, rs, t.common(), t.type()));
            case Checker.HttpCheck h -> {
                List<CheckSpec.Url> urls = new ArrayList<>();
                for (Checker.Url u : h.urls()) {
                    List<CheckSpec.StatusRange> codes = u.statusCode().stream()
                            .map(r -> new CheckSpec.StatusRange(r.low(), r.high())).toList();
                    if (codes.isEmpty()) {
                        codes = List.of(new CheckSpec.StatusRange(200, 299));
                    }
                    BodyRegex regex = u.regex() == null ? null : new BodyRegex(u.regex(), u.regexOptions(),
                            u.regexNoMatch(), u.regexMinOffset() == null ? 0 : u.regexMinOffset(),
                            u.regexMaxOffset() == null ? -1 : u.regexMaxOffset());
                    urls.add(new CheckSpec.Url(u.path(), codes, u.digest(), u.virtualhost(), regex));
                }
                // virtualhost: url's (kept on the url), else the checker's, the real server's, the virtual server's
                String vhost = h.virtualhost() != null ? h.virtualhost()
                        : rs != null && rs.virtualhost() != null ? rs.virtualhost() : vs.virtualhost();
                yield new CheckSpec.Http(options(vs, rs, h.common(), h.type()), h.type().equals("SSL_GET"), urls, vhost,
                        h.enableSni(), h.fastRecovery());
            }
            case Checker.SmtpCheck s -> new CheckSpec.Smtp(options(vs, rs, s.common(), s.type()), s.heloName());
            case Checker.MiscCheck m -> {
                CheckOptions o = options(vs, rs, m.common(), m.type());
                yield new CheckSpec.Misc(o, m.miscPath(), m.miscTimeout() != null ? m.miscTimeout() : o.delayLoop(),
                        m.miscDynamic(), m.user());
            }
            case Checker.UdpCheck u -> new CheckSpec.Udp(options(vs, rs, u.common(), u.type()), u.payload(),
                    u.requireReply(), u.requireReplyPayload());
            case Checker.DnsCheck d -> new CheckSpec.Dns(options(vs, rs, d.common(), d.type()),
                    d.queryType() == null ? "SOA" : d.queryType(), d.name() == null ? "." : d.name());
            case Checker.PingCheck p -> new CheckSpec.Ping(options(vs, rs, p.common(), p.type()));
            case Checker.FileCheck f -> {
                TrackFile tf = f.trackFile() == null ? null : trackFiles.get(f.trackFile());
                if (tf == null || tf.file() == null) {
                    // the parser reports an unknown track_file; keepalived ignores such a FILE_CHECK
                    yield null;
                }
                // keepalived's check_file.c: without its own weight the FILE_CHECK takes the track_file's
                int weight = f.weight() != null ? f.weight() : tf.weight();
                boolean reverse = f.weight() != null ? f.reverse() : tf.reverse();
                yield new CheckSpec.File(options(vs, rs, null, f.type()), Path.of(tf.file()), weight, reverse,
                        tf.initFile(), tf.overwrite());
            }
            case Checker.BfdCheck b -> null;
        };
    }

    // ------------------------------------------------------------------------------------------------ dataplane

    /** The dataplane services and local-address pools of {@code config}. */
    public static ServicePlan services(KeepalivedConfig config) {
        List<VirtualServiceSpec> services = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        Set<String> poolsUsed = new LinkedHashSet<>();
        for (VirtualServer vs : config.virtualServers()) {
            if (vs.address() == null) {
                skipped.add(vs.label() + ": virtual_server_group and fwmark services are not served by the dataplane");
                continue;
            }
            try {
                VirtualServiceSpec spec = service(vs, vs.realServers().stream().map(
                        rs -> new RealServerSpec(rs.address(), rs.port(), rs.weight())).toList());
                if (spec.localAddressGroup() != null) {
                    poolsUsed.add(spec.localAddressGroup());
                }
                services.add(spec);
            } catch (IllegalArgumentException e) {
                throw new MappingException(vs.origin() + ": " + e.getMessage());
            }
        }
        List<LocalAddressPoolSpec> pools = new ArrayList<>();
        for (AddressGroup g : config.localAddressGroups()) {
            try {
                pools.add(new LocalAddressPoolSpec(g.name(), expand(g)));
            } catch (IllegalArgumentException e) {
                throw new MappingException(g.origin() + ": " + e.getMessage());
            }
        }
        return new ServicePlan(services, pools, skipped);
    }

    /** The dataplane spec of one virtual server with the given (live) real servers. */
    public static VirtualServiceSpec service(VirtualServer vs, List<RealServerSpec> realServers) {
        SchedulerKind sched = SchedulerKind.ofKeyword(vs.lbAlgo() == null ? "wlc" : vs.lbAlgo().toLowerCase(Locale.ROOT));
        if (sched == null) {
            sched = switch (vs.lbAlgo().toLowerCase(Locale.ROOT)) {
                case "wrr", "rr" -> SchedulerKind.WRR;
                case "lblc", "lblcr", "dh", "sed", "nq", "fo", "ovf", "twos" -> SchedulerKind.WLC;
                default -> throw new IllegalArgumentException("lb_algo " + vs.lbAlgo() + " is not supported by the dataplane");
            };
        }
        return new VirtualServiceSpec(dataplaneProtocol(vs.protocol()), vs.address(), vs.port(), sched,
                method(vs.lbKind()), vs.persistenceTimeout() == null ? 0 : vs.persistenceTimeout(), vs.toa(),
                vs.synProxy(), vs.laddrGroupName(), realServers);
    }

    static io.fulcrum.dataplane.service.Protocol dataplaneProtocol(String p) {
        return switch (p.toUpperCase(Locale.ROOT)) {
            case "UDP" -> io.fulcrum.dataplane.service.Protocol.UDP;
            case "TCP" -> io.fulcrum.dataplane.service.Protocol.TCP;
            default -> throw new IllegalArgumentException("protocol " + p + " is not supported by the dataplane");
        };
    }

    static ForwardingMethod method(String lbKind) {
        return switch (lbKind == null ? "NAT" : lbKind.toUpperCase(Locale.ROOT)) {
            case "DR" -> ForwardingMethod.DR;
            case "TUN" -> ForwardingMethod.TUN;
            case "FNAT" -> ForwardingMethod.FNAT;
            case "NAT" -> ForwardingMethod.NAT;
            default -> throw new IllegalArgumentException("lb_kind " + lbKind + " is not supported by the dataplane");
        };
    }

    /** Every address of a local-address group, ranges expanded (at most 65,536 per range). */
    public static List<InetAddress> expand(AddressGroup g) {
        List<InetAddress> out = new ArrayList<>();
        for (AddressGroup.Range r : g.ranges()) {
            BigInteger a = new BigInteger(1, r.first().getAddress());
            BigInteger b = new BigInteger(1, r.last().getAddress());
            int len = r.first().getAddress().length;
            if (b.subtract(a).compareTo(BigInteger.valueOf(65535)) > 0) {
                throw new IllegalArgumentException("local_address_group " + g.name() + ": range " + r.first().getHostAddress()
                        + "-" + r.last().getHostAddress() + " holds more than 65536 addresses");
            }
            for (BigInteger x = a; x.compareTo(b) <= 0; x = x.add(BigInteger.ONE)) {
                out.add(address(x, len));
            }
        }
        return out;
    }

    static InetAddress address(BigInteger x, int len) {
        byte[] raw = x.toByteArray();
        byte[] b = new byte[len];
        int copy = Math.min(raw.length, len);
        System.arraycopy(raw, raw.length - copy, b, len - copy, copy);
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The interfaces the configuration's VIPs and local addresses name (dataplane attachment without tuning). */
    public static List<String> interfaces(KeepalivedConfig config) {
        Set<String> out = new LinkedHashSet<>();
        for (VrrpInstance i : config.vrrpInstances()) {
            for (VrrpInstance.VirtualIp v : i.virtualIpaddress()) {
                out.add(v.dev() != null ? v.dev() : i.interfaceName());
            }
        }
        for (AddressGroup g : config.localAddressGroups()) {
            for (AddressGroup.Range r : g.ranges()) {
                if (r.ifname() != null) {
                    out.add(r.ifname());
                }
            }
        }
        return List.copyOf(out);
    }

    private static Duration first(Duration a, Duration b, Duration c) {
        return a != null ? a : b != null ? b : c;
    }

    private static long millis(Duration d, long dflt) {
        return d == null ? dflt : d.toMillis();
    }
}

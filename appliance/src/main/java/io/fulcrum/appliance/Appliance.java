package io.fulcrum.appliance;

import io.fulcrum.appliance.config.ConfigLoader;
import io.fulcrum.appliance.config.Diagnostic;
import io.fulcrum.appliance.config.KeepalivedConfig;
import io.fulcrum.appliance.config.LoadResult;
import io.fulcrum.appliance.config.VrrpInstance;
import io.fulcrum.appliance.json.Json;
import io.fulcrum.appliance.tuning.Tuning;
import io.fulcrum.appliance.wiring.ServiceModel;
import io.fulcrum.appliance.wiring.SpecMapper;
import io.fulcrum.dataplane.Dataplane;
import io.fulcrum.dataplane.DataplaneContext;
import io.fulcrum.dataplane.LocalAddressException;
import io.fulcrum.dataplane.LocalAddressResult;
import io.fulcrum.dataplane.conn.ConnectionTimeouts;
import io.fulcrum.dataplane.counters.DataplaneCounter;
import io.fulcrum.dataplane.counters.DataplaneCounters;
import io.fulcrum.dataplane.counters.EntityCounter;
import io.fulcrum.dataplane.io.DataplaneIo;
import io.fulcrum.dataplane.io.IoContext;
import io.fulcrum.dataplane.io.PortMode;
import io.fulcrum.dataplane.service.RealServerSpec;
import io.fulcrum.dataplane.service.ServiceKey;
import io.fulcrum.dataplane.service.ServiceTable;
import io.fulcrum.dataplane.service.VirtualService;
import io.fulcrum.dataplane.service.VirtualServiceSpec;
import io.fulcrum.healthcheck.HealthCheckContext;
import io.fulcrum.healthcheck.HealthCheckHandle;
import io.fulcrum.healthcheck.HealthChecks;
import io.fulcrum.healthcheck.RealServerCheckSpec;
import io.fulcrum.healthcheck.RealServerListener;
import io.fulcrum.healthcheck.VirtualServerCheckSpec;
import io.fulcrum.netlink.rtnl.NetlinkMonitorContext;
import io.fulcrum.vrrp.VirtualAddress;
import io.fulcrum.vrrp.VipOwnership;
import io.fulcrum.vrrp.Vrrp;
import io.fulcrum.vrrp.VrrpContext;
import io.fulcrum.vrrp.VrrpInstanceSpec;
import io.fulcrum.vrrp.VrrpStat;
import io.fulcrum.vrrp.VrrpState;
import io.fulcrum.vrrp.VrrpStateListener;
import io.fulcrum.vrrp.kernel.KernelNetlink;
import io.fulcrum.vrrp.kernel.KernelVipOwnership;
import io.fulcrum.vrrp.kernel.NetlinkLinkStateSource;
import io.fulcrum.vrrp.kernel.RawVrrpTransport;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon: one {@link #launch(ApplianceContext)} starts the dataplane, the health checkers and VRRP in that order
 * (so VRRP can only become MASTER once the dataplane forwards and the checkers have reported), and {@link #close()}
 * stops them in reverse (priority-0 advertisement and addresses released first, the dataplane last). VRRP transitions
 * flip the VIPs and FullNAT local addresses in the dataplane ({@link DataplaneVipOwnership}); health events set real
 * server weights; {@link #reload()} applies only the difference of a re-read configuration.
 *
 * <p>Thread-safety: {@link #launch} and {@link #close} are called once by the main thread. {@link #reload()},
 * {@link #dumpData()}, {@link #dumpStats()}, every {@link ApplianceView} and {@link ApplianceCommands} method may be
 * called from any thread (signal handlers, the admin socket, metrics); changes are serialised by one control lock,
 * also taken by VRRP ownership callbacks (VRRP thread) and health events (check event loop), each briefly.
 */
public final class Appliance implements ApplianceView, ApplianceCommands, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("io.fulcrum.appliance.Appliance");
    /** JSON lines, one per state change, beside keepalived's text lines. */
    private static final Logger EVENTS = LoggerFactory.getLogger("fulcrum.events");

    private final ApplianceContext ctx;
    private final Object lock = new Object();
    private final Object reloadLock = new Object();
    private final ServiceModel model = new ServiceModel();
    private final Instant startedAt = Instant.now();
    private final Map<String, CheckerInfo> checkerInfo = new ConcurrentHashMap<>();
    private final Map<Integer, long[]> baselines = new ConcurrentHashMap<>();
    private final Map<Integer, TrafficRates> rates = new ConcurrentHashMap<>();
    private final Map<Integer, long[]> lastSample = new ConcurrentHashMap<>();
    private volatile Instant lastReload = startedAt;
    private volatile long generation = 1;
    private volatile boolean closed;
    /** Real servers whose initial report is ignored while new checkers launch (see startChecks). */
    private volatile Set<String> carriedOver = Set.of();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon(true).name("fulcrum-timers").unstarted(r));
    private final java.util.concurrent.atomic.AtomicBoolean refreshPending =
            new java.util.concurrent.atomic.AtomicBoolean();

    // config: guarded by lock; the plans: guarded by reloadLock
    private KeepalivedConfig config;
    private SpecMapper.VrrpPlan vrrpPlan;
    private List<VirtualServerCheckSpec> checkPlan;

    private volatile Vrrp vrrp;
    private KernelNetlink netlink;
    private volatile HealthCheckHandle checks;
    private volatile long checkGeneration;
    private DataplaneIo dpIo;
    private volatile Dataplane dataplane;
    private ScheduledExecutorService sampler;
    private PidFile pid;

    private Appliance(ApplianceContext ctx) {
        this.ctx = ctx;
        this.config = ctx.config();
    }

    /**
     * Starts everything the context's mode asks for, in order; throws {@link IllegalStateException} with an
     * operator-facing message (and stops what was started) when something cannot start.
     */
    public static Appliance launch(ApplianceContext ctx) {
        ctx.conclude();
        Appliance a = new Appliance(ctx);
        try {
            a.start();
        } catch (RuntimeException e) {
            a.close();
            throw e;
        }
        return a;
    }

    private void start() {
        if (ctx.pidFile() != null) {
            pid = PidFile.acquire(ctx.pidFile());
        }
        Mode mode = ctx.mode();
        vrrpPlan = SpecMapper.vrrp(config);
        checkPlan = SpecMapper.checks(config);
        if (mode == Mode.FULL) {
            startDataplane();
        }
        if (mode != Mode.VRRP_ONLY) {
            startChecks(checkPlan);
        }
        if (mode != Mode.CHECK_ONLY && !vrrpPlan.instances().isEmpty()) {
            startVrrp(vrrpPlan);
        }
        LOG.info("Fulcrum started ({}, configuration {})", describe(mode), ctx.configFile());
        event("started", Map.of("mode", mode.name()));
    }

    private static String describe(Mode m) {
        return switch (m) {
            case FULL -> "VRRP, health checks and dataplane";
            case VRRP_ONLY -> "VRRP only";
            case CHECK_ONLY -> "health checks only";
        };
    }

    // ------------------------------------------------------------------------------------------------ dataplane

    private void startDataplane() {
        SpecMapper.ServicePlan plan = SpecMapper.services(config);
        for (String s : plan.skipped()) {
            LOG.warn("dataplane: {}", s);
        }
        model.apply(plan, vrrpAddresses(config));
        List<String> ifs = ctx.dataplaneInterfaces().isEmpty() ? SpecMapper.interfaces(config)
                : ctx.dataplaneInterfaces();
        if (ifs.isEmpty()) {
            LOG.info("dataplane: no interface named by a virtual_ipaddress or local_address_group; not started");
            return;
        }
        Tuning.Dataplane t = ctx.tuning().dataplane();
        int workers = Math.max(1, t.workers());
        IoContext ioCtx = new IoContext().interfaces(ifs.toArray(String[]::new))
                .mode(PortMode.parse(t.ioMode().name().toLowerCase(java.util.Locale.ROOT))).workers(workers);
        dpIo = DataplaneIo.open(ioCtx);
        ConnectionTimeouts timeouts = t.timeouts() == null ? ConnectionTimeouts.DEFAULTS
                : t.timeouts().toConnectionTimeouts();
        DataplaneContext dctx = new DataplaneContext().workers(workers).portMacs(dpIo.portMacs())
                .neighbourTable(dpIo.neighbourTable()).connectionCapacity(Math.max(1024, t.connTableCapacity() / workers))
                .timeouts(timeouts);
        dataplane = Dataplane.launch(dctx);
        synchronized (lock) {
            dataplane.publish(model.toSpec());
        }
        dpIo.start(dataplane);
        LOG.info("dataplane: ready on {} ({}, {} worker{})", String.join(", ", ifs), dpIo.portKind(), workers,
                workers == 1 ? "" : "s");
        sampler = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon(true)
                .name("fulcrum-rates").unstarted(r));
        sampler.scheduleAtFixedRate(this::sampleRates, 2, 2, TimeUnit.SECONDS);
        sampler.scheduleAtFixedRate(this::reapDrainedLocalAddresses, 1, 1, TimeUnit.SECONDS);
    }

    /** Removes local addresses deleted while in use once their last connection is gone (fulcrumadm -Q drains). */
    private void reapDrainedLocalAddresses() {
        Dataplane d = dataplane;
        if (d == null || closed) {
            return;
        }
        synchronized (lock) {
            int n = d.reapDrainedLocalAddresses();
            if (n > 0) {
                generation++;
                LOG.info("{} drained local address{} removed from the pool", n, n == 1 ? "" : "es");
            }
        }
    }

    static Set<InetAddress> vrrpAddresses(KeepalivedConfig c) {
        Set<InetAddress> out = new HashSet<>();
        for (VrrpInstance i : c.vrrpInstances()) {
            for (VrrpInstance.VirtualIp v : i.virtualIpaddress()) {
                out.add(v.address());
            }
        }
        return out;
    }

    /** Publishes the model to the dataplane; call with the lock held. */
    private void publishLocked() {
        Dataplane d = dataplane;
        if (d != null) {
            d.publish(model.toSpec());
            generation++;
        }
    }

    /**
     * VRRP's address ownership in the full daemon: a MASTER's VIPs (and the FullNAT local addresses with them) become
     * owned addresses of the dataplane's snapshot (steering, ARP/ND answers), announced with gratuitous ARP /
     * unsolicited NA from the dataplane's ports; BACKUP/FAULT/STOP disown them. Idempotent.
     *
     * <p>Called on the VRRP thread.
     */
    final class DataplaneVipOwnership implements VipOwnership {

        @Override
        public void removeStale(String instance, String interfaceName, List<VirtualAddress> addresses) {
            // The dataplane owns VIPs in its snapshot only; nothing stale survives a restart.
        }

        @Override
        public void acquire(String instance, String interfaceName, List<VirtualAddress> addresses) {
            List<InetAddress> a = addresses.stream().map(VirtualAddress::address).toList();
            synchronized (lock) {
                if (model.own(a)) {
                    publishLocked();
                }
            }
        }

        @Override
        public void announce(String instance, String interfaceName, List<VirtualAddress> addresses, int repeat) {
            DataplaneIo d = dpIo;
            if (d == null) {
                return;
            }
            List<InetAddress> all = new ArrayList<>(addresses.stream().map(VirtualAddress::address).toList());
            synchronized (lock) {
                all.addAll(model.localAddresses());
            }
            for (InetAddress a : all) {
                for (int i = 0; i < Math.max(1, repeat); i++) {
                    d.announce(a);
                }
                LOG.info(a.getAddress().length == 16 ? "Sending unsolicited Neighbour Advert on {} for {}"
                        : "Sending gratuitous ARP on {} for {}", interfaceName, a.getHostAddress());
            }
        }

        @Override
        public void release(String instance, String interfaceName, List<VirtualAddress> addresses) {
            List<InetAddress> a = addresses.stream().map(VirtualAddress::address).toList();
            synchronized (lock) {
                if (model.disown(a)) {
                    publishLocked();
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ checks

    private void startChecks(List<VirtualServerCheckSpec> plan) {
        startChecks(plan, Set.of(), false);
    }

    /**
     * Launches the checkers. {@code carried} names (as {@code "VS RS"} labels) the real servers whose checks did not
     * change in a reload: their initial report from the new checkers (up, or down with {@code alpha}) is ignored so they
     * keep their verdict, and once the first checks have had time to run, the new checkers' verdicts are read back and
     * applied ({@link #reconcile}). {@code afterReload} tells the checkers so, as keepalived: a track file's
     * {@code init_file ... overwrite} then leaves an existing file alone.
     */
    private void startChecks(List<VirtualServerCheckSpec> plan, Set<String> carried, boolean afterReload) {
        if (plan.isEmpty()) {
            return;
        }
        long gen = ++checkGeneration;
        Tuning.Healthcheck t = ctx.tuning().healthcheck();
        HealthCheckContext hc = new HealthCheckContext().virtualServers(plan).listener(listener(gen))
                .reload(afterReload);
        if (t != null) {
            hc.ioThreads(Math.min(2, Math.max(1, t.eventLoopThreads())))
                    .scriptThreads(Math.min(16, Math.max(1, t.scriptPoolSize())));
        }
        carriedOver = carried;
        try {
            checks = HealthChecks.launch(hc);
        } finally {
            carriedOver = Set.of();
        }
        if (!carried.isEmpty()) {
            long firstVerdictMs = 1000;
            for (VirtualServerCheckSpec vs : plan) {
                for (RealServerCheckSpec rs : vs.realServers()) {
                    for (var c : rs.checks()) {
                        var o = c.options();
                        firstVerdictMs = Math.max(firstVerdictMs, o.warmup().toMillis()
                                + (o.retry() + 1L) * o.connectTimeout().toMillis()
                                + o.retry() * o.delayBeforeRetry().toMillis() + 1000);
                    }
                }
            }
            HealthCheckHandle h = checks;
            timers.schedule(() -> reconcile(gen, h, plan), firstVerdictMs, TimeUnit.MILLISECONDS);
        }
    }

    /** Applies the checkers' current verdicts (after a reload carried some real servers over); timer thread. */
    private void reconcile(long gen, HealthCheckHandle h, List<VirtualServerCheckSpec> plan) {
        if (gen != checkGeneration || closed) {
            return;
        }
        for (int i = 0; i < plan.size(); i++) {
            VirtualServerCheckSpec vs = plan.get(i);
            for (int j = 0; j < vs.realServers().size(); j++) {
                boolean up = h.isUp(i, j);
                RealServerCheckSpec rs = vs.realServers().get(j);
                int w = up ? h.weight(i, j) : 0;
                if (gen == checkGeneration) {
                    onHealth(vs, rs, up, w);
                }
            }
        }
    }

    private RealServerListener listener(long gen) {
        return new RealServerListener() {
            @Override
            public void onState(VirtualServerCheckSpec vs, RealServerCheckSpec rs, boolean up, int weight) {
                if (gen != checkGeneration || closed) {
                    return;
                }
                if (carriedOver.contains(vs.label() + " " + rs.address().trio(vs.protocol()))) {
                    return;
                }
                onHealth(vs, rs, up, weight);
            }
        };
    }

    private void onHealth(VirtualServerCheckSpec vs, RealServerCheckSpec rs, boolean up, int weight) {
        String vsLabel = vs.label();
        String rsLabel = rs.address().trio(vs.protocol());
        String k = vsLabel + " " + rsLabel;
        CheckerInfo prev = checkerInfo.get(k);
        boolean changed = prev == null || prev.up() != up || prev.weight() != weight;
        if (changed) {
            checkerInfo.put(k, new CheckerInfo(vsLabel, rsLabel,
                    rs.checks().stream().map(c -> c.keyword()).toList(), up, weight,
                    prev == null ? 0 : prev.changes() + 1, Instant.now()));
            if (prev != null) {
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("virtual_server", vsLabel);
                f.put("real_server", rsLabel);
                f.put("up", up);
                f.put("weight", weight);
                event("real_server", f);
            }
        }
        if (dataplane == null || vs.protocol() == io.fulcrum.healthcheck.Protocol.SCTP) {
            return;
        }
        ServiceKey key = new ServiceKey(vs.protocol() == io.fulcrum.healthcheck.Protocol.UDP
                ? io.fulcrum.dataplane.service.Protocol.UDP : io.fulcrum.dataplane.service.Protocol.TCP,
                vs.address().address(), vs.address().port());
        synchronized (lock) {
            if (model.health(key, rs.address().address(), rs.address().port(), up, weight,
                    System.currentTimeMillis())) {
                publishLocked();
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ VRRP

    private void startVrrp(SpecMapper.VrrpPlan plan) {
        Tuning.Netlink n = ctx.tuning().netlink();
        NetlinkMonitorContext mon = new NetlinkMonitorContext();
        if (n != null) {
            mon.receiveBufferBytes(n.monitorRcvbuf());
        }
        boolean withDataplane = ctx.mode() == Mode.FULL && dpIo != null;
        if (withDataplane) {
            mon.routes(true).neighbours(true);
        }
        netlink = new KernelNetlink(mon);
        KernelNetlink shared = netlink;
        if (withDataplane) {
            shared.monitor().addListener(this::onNetlink);
        }
        VrrpContext vc = new VrrpContext().transport(RawVrrpTransport::new)
                .linkStateSource(() -> new NetlinkLinkStateSource(shared))
                .stateListener(new StateListener());
        if (ctx.mode() == Mode.FULL && dataplane != null) {
            DataplaneVipOwnership own = new DataplaneVipOwnership();
            vc.ownership(() -> own);
        } else {
            vc.ownership(() -> new KernelVipOwnership(shared));
        }
        plan.instances().forEach(vc::instance);
        plan.syncGroups().forEach(vc::syncGroup);
        plan.scripts().forEach(vc::script);
        if (config.globalDefs().notifyFifo() != null) {
            vc.notifyFifo(Path.of(config.globalDefs().notifyFifo()));
        }
        vrrp = Vrrp.launch(vc);
    }

    /**
     * Route and neighbour changes (and resyncs after an overrun) make the dataplane re-read its routes and neighbours
     * from the kernel, coalesced to one refresh per 200 ms on the sampler thread. Called on the netlink monitor's thread.
     */
    private void onNetlink(io.fulcrum.netlink.rtnl.NetlinkEvent e) {
        switch (e) {
            case io.fulcrum.netlink.rtnl.NetlinkEvent.RouteAdded r -> refreshSoon();
            case io.fulcrum.netlink.rtnl.NetlinkEvent.RouteRemoved r -> refreshSoon();
            case io.fulcrum.netlink.rtnl.NetlinkEvent.NeighbourChanged n -> {
                forgetIfFailed(n.neighbour(), false); // NUD_FAILED: forget the stale MAC now
                refreshSoon();
            }
            case io.fulcrum.netlink.rtnl.NetlinkEvent.NeighbourRemoved n -> {
                forgetIfFailed(n.neighbour(), true); // a dump cannot show what was deleted
                refreshSoon();
            }
            case io.fulcrum.netlink.rtnl.NetlinkEvent.Resynchronized r -> refreshSoon();
            default -> {
            }
        }
    }

    /** Hands a neighbour deletion or failure to the dataplane's table at once (it ignores usable entries here). */
    private void forgetIfFailed(io.fulcrum.netlink.rtnl.Neighbour n, boolean removed) {
        DataplaneIo d = dpIo;
        if (d != null && (removed || (n.state() & 0x20) != 0)) {
            d.neighbourTable().onNeighbour(n, true);
        }
    }

    private void refreshSoon() {
        ScheduledExecutorService s = sampler;
        DataplaneIo d = dpIo;
        if (s == null || d == null || closed || !refreshPending.compareAndSet(false, true)) {
            return;
        }
        try {
            s.schedule(() -> {
                refreshPending.set(false);
                if (!closed) {
                    d.refreshNeighbours();
                }
            }, 200, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException ex) {
            refreshPending.set(false);
        }
    }

    /** JSON events for VRRP transitions; called on the VRRP thread. */
    private final class StateListener implements VrrpStateListener {
        @Override
        public void onInstanceState(String name, VrrpState state, int priority) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("instance", name);
            f.put("state", state.name());
            f.put("priority", priority);
            event("vrrp_instance", f);
        }

        @Override
        public void onGroupState(String name, VrrpState state) {
            event("vrrp_sync_group", Map.of("group", name, "state", state.name()));
        }
    }

    private static void event(String type, Map<String, Object> fields) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", Instant.now().toString());
        m.put("event", type);
        m.putAll(fields);
        EVENTS.info(compactJson(m));
    }

    /** One-line JSON of a flat map of strings, numbers and booleans. */
    static String compactJson(Map<String, Object> m) {
        StringBuilder sb = new StringBuilder("{");
        for (Map.Entry<String, Object> e : m.entrySet()) {
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append(Json.write(e.getKey())).append(':');
            Object v = e.getValue();
            sb.append(v instanceof Number || v instanceof Boolean ? v.toString() : Json.write(String.valueOf(v)));
        }
        return sb.append('}').toString();
    }

    // ------------------------------------------------------------------------------------------------ reload

    /**
     * The outcome of a reload.
     *
     * @param applied whether the new configuration is running
     * @param errors the configuration's errors when it was rejected
     * @param summary what changed
     */
    public record ReloadResult(boolean applied, List<String> errors, String summary) {
    }

    /**
     * Re-reads the configuration file (SIGHUP) and applies the difference: the dataplane table is republished
     * (unchanged services and real servers keep their health state; connections live in the workers and survive);
     * the checkers restart only when their specs changed; VRRP instances whose spec is unchanged keep running while
     * changed ones restart, removed ones stop and new ones start (every instance restarts only when the sync groups or
     * scripts changed, or a changed instance belongs to a sync group). An invalid file is rejected with its errors and
     * nothing changes. Any thread.
     */
    public ReloadResult reload() {
        synchronized (reloadLock) {
            return reloadSerialized();
        }
    }

    private ReloadResult reloadSerialized() {
        LOG.info("Reloading");
        LoadResult r = ConfigLoader.load(ctx.configFile(), ctx.configId());
        List<String> errors = new ArrayList<>();
        for (Diagnostic d : r.diagnostics()) {
            if (r.errors().contains(d)) {
                errors.add(d.toString());
            }
        }
        if (!r.ok()) {
            for (String e : errors) {
                LOG.error("{}", e);
            }
            LOG.error("Reload: {} is invalid ({} error{}); the running configuration stays", ctx.configFile(),
                    errors.size(), errors.size() == 1 ? "" : "s");
            return new ReloadResult(false, errors, "rejected");
        }
        KeepalivedConfig next = r.config();
        SpecMapper.VrrpPlan nextVrrp;
        List<VirtualServerCheckSpec> nextChecks;
        SpecMapper.ServicePlan nextServices;
        try {
            nextVrrp = SpecMapper.vrrp(next);
            nextChecks = SpecMapper.checks(next);
            nextServices = SpecMapper.services(next);
            new HealthCheckContext().virtualServers(nextChecks).conclude();
        } catch (RuntimeException e) {
            LOG.error("Reload: {}; the running configuration stays", e.getMessage());
            return new ReloadResult(false, List.of(e.getMessage()), "rejected");
        }
        List<String> summary = new ArrayList<>();
        synchronized (lock) {
            if (dataplane != null) {
                ServiceModel undo = model.copy();
                model.apply(nextServices, vrrpAddresses(next));
                try {
                    publishLocked();
                } catch (IllegalArgumentException e) {
                    model.restore(undo);
                    LOG.error("Reload: {}; the running configuration stays", e.getMessage());
                    return new ReloadResult(false, List.of(e.getMessage()), "rejected");
                }
                summary.add("services republished");
                if (ctx.dataplaneInterfaces().isEmpty()
                        && !SpecMapper.interfaces(next).equals(SpecMapper.interfaces(config))) {
                    LOG.warn("Reload: the configuration now names interfaces {} (running on {}); the dataplane stays on"
                            + " its interfaces until fulcrum restarts", SpecMapper.interfaces(next),
                            SpecMapper.interfaces(config));
                }
            }
            config = next;
        }
        // Checkers and VRRP are stopped and started without the control lock: their threads take it in callbacks
        // (health events, address release on shutdown) and closing them waits for those threads.
        boolean checksChanged = !nextChecks.equals(checkPlan);
        boolean vrrpChanged = !nextVrrp.equals(vrrpPlan);
        try {
            restart(checksChanged, vrrpChanged, nextChecks, nextVrrp, summary);
        } catch (RuntimeException e) {
            LOG.error("Reload: restarting {} failed: {}", vrrpChanged ? "VRRP" : "the checkers", e.getMessage());
            summary.add("restart failed: " + e.getMessage());
        }
        lastReload = Instant.now();
        generation++;
        String s = summary.isEmpty() ? "no change" : String.join(", ", summary);
        LOG.info("Reload finished: {}", s);
        event("reload", Map.of("summary", s));
        return new ReloadResult(true, List.of(), s);
    }

    private void restart(boolean checksChanged, boolean vrrpChanged, List<VirtualServerCheckSpec> nextChecks,
                         SpecMapper.VrrpPlan nextVrrp, List<String> summary) {
        if (checksChanged && ctx.mode() != Mode.VRRP_ONLY) {
            HealthCheckHandle old = checks;
            checkGeneration++;
            if (old != null) {
                old.close();
            }
            checks = null;
            Set<String> carried = new HashSet<>();
            for (VirtualServerCheckSpec vs : nextChecks) {
                VirtualServerCheckSpec before = checkPlan.stream().filter(x -> x.label().equals(vs.label()))
                        .findFirst().orElse(null);
                if (before == null || before.alpha() != vs.alpha()) {
                    continue;
                }
                for (RealServerCheckSpec rs : vs.realServers()) {
                    String k = vs.label() + " " + rs.address().trio(vs.protocol());
                    if (before.realServers().contains(rs) && checkerInfo.containsKey(k)) {
                        carried.add(k);
                    }
                }
            }
            Set<String> live = new HashSet<>();
            for (VirtualServerCheckSpec vs : nextChecks) {
                vs.realServers().forEach(rs -> live.add(vs.label() + " " + rs.address().trio(vs.protocol())));
            }
            checkerInfo.keySet().retainAll(live);
            checkPlan = nextChecks;
            startChecks(nextChecks, carried, true);
            summary.add("checkers restarted (" + carried.size() + " unchanged real servers keep their state)");
        }
        checkPlan = nextChecks;
        if (vrrpChanged && ctx.mode() != Mode.CHECK_ONLY && reconfigureVrrp(nextVrrp, summary)) {
            vrrpChanged = false;
        }
        if (vrrpChanged && ctx.mode() != Mode.CHECK_ONLY) {
            Vrrp old = vrrp;
            if (old != null) {
                old.close();
                netlink.close();
            }
            vrrp = null;
            vrrpPlan = nextVrrp;
            if (!nextVrrp.instances().isEmpty()) {
                startVrrp(nextVrrp);
            }
            summary.add("VRRP instances restarted");
        }
        vrrpPlan = nextVrrp;
    }

    /**
     * Applies a changed VRRP plan to the running engine in place when the sync groups and scripts are unchanged:
     * unchanged instances keep running (state, timers, counters), changed ones restart, removed ones stop, new ones
     * start ({@link io.fulcrum.vrrp.VrrpAgent#reconfigure}). Returns false (nothing changed) when the engine refuses
     * or there is no running engine; the caller then restarts every instance. Reload thread.
     */
    private boolean reconfigureVrrp(SpecMapper.VrrpPlan nextVrrp, List<String> summary) {
        Vrrp v = vrrp;
        if (v == null || nextVrrp.instances().isEmpty() || !nextVrrp.syncGroups().equals(vrrpPlan.syncGroups())
                || !nextVrrp.scripts().equals(vrrpPlan.scripts())) {
            return false;
        }
        try {
            io.fulcrum.vrrp.VrrpAgent.Reconfiguration rc = v.agent().reconfigure(nextVrrp.instances())
                    .get(10, TimeUnit.SECONDS);
            vrrpPlan = nextVrrp;
            summary.add("VRRP instances restarted in place: changed " + rc.restarted() + ", added " + rc.added()
                    + ", removed " + rc.removed() + "; " + rc.kept().size() + " unchanged kept running");
            return true;
        } catch (IllegalArgumentException e) {
            LOG.info("Reload: {}; restarting every VRRP instance", e.getMessage());
        } catch (java.util.concurrent.ExecutionException e) {
            LOG.info("Reload: {}; restarting every VRRP instance", e.getCause().getMessage());
        } catch (java.util.concurrent.TimeoutException e) {
            LOG.warn("Reload: the VRRP thread did not apply the change within 10 s; restarting every VRRP instance");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("Reload: interrupted while applying the VRRP change; restarting every VRRP instance");
        }
        return false;
    }

    // ------------------------------------------------------------------------------------------------ dumps

    /** Writes the data dump (SIGUSR1) to {@code RUN_DIR/keepalived.data}; returns the file. Any thread. */
    public Path dumpData() throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("------< Global definitions >------\n");
        sb.append(" Router ID = ").append(config.globalDefs().routerId()).append('\n');
        sb.append(" Configuration file = ").append(ctx.configFile()).append('\n');
        sb.append("------< VRRP Topology >------\n");
        for (VrrpInstanceInfo i : vrrpInstances()) {
            sb.append(" VRRP Instance = ").append(i.name()).append('\n');
            sb.append("   State = ").append(i.state()).append('\n');
            sb.append("   Interface = ").append(i.interfaceName()).append('\n');
            sb.append("   Virtual Router ID = ").append(i.virtualRouterId()).append('\n');
            sb.append("   Priority = ").append(i.priority()).append('\n');
            sb.append("   Effective priority = ").append(i.effectivePriority()).append('\n');
            if (i.masterAddress() != null) {
                sb.append("   Master router = ").append(i.masterAddress().getHostAddress()).append('\n');
            }
            sb.append("   Advert interval = ").append(i.advertIntervalCentis() * 10).append(" milli-sec\n");
            sb.append("   Virtual IP = ").append(i.virtualAddresses().size()).append('\n');
            for (InetAddress a : i.virtualAddresses()) {
                sb.append("     ").append(a.getHostAddress()).append('\n');
            }
        }
        sb.append("------< LVS Topology >------\n");
        for (VirtualServiceInfo v : virtualServices()) {
            sb.append(" VS = ").append(v.key()).append('\n');
            sb.append("   lb_algo = ").append(v.scheduler().keyword()).append('\n');
            sb.append("   lb_kind = ").append(v.forwardMethod()).append('\n');
            for (RealServerInfo rs : v.realServers()) {
                sb.append("   RS = [").append(rs.address().getHostAddress()).append("]:").append(rs.port())
                        .append(", weight = ").append(rs.weight()).append(rs.alive() ? ", alive" : ", down").append('\n');
            }
        }
        for (CheckerInfo c : checkers()) {
            sb.append(" Checker ").append(String.join(",", c.checkers())).append(" VS ").append(c.virtualServer())
                    .append(" RS ").append(c.realServer()).append(c.up() ? " up" : " down").append('\n');
        }
        sb.append("------< Dataplane >------\n");
        for (WorkerInfo w : dataplaneWorkers()) {
            sb.append(" Worker ").append(w.worker()).append('\n');
            for (Map.Entry<DataplaneCounter, Long> e : new java.util.TreeMap<>(w.counters()).entrySet()) {
                if (e.getValue() != 0) {
                    sb.append("   ").append(e.getKey().description()).append(" = ").append(e.getValue()).append('\n');
                }
            }
        }
        for (LocalAddressInfo l : localAddresses()) {
            sb.append(" Local address ").append(l.address().getHostAddress()).append(" of ").append(l.service())
                    .append(": ").append(l.connections()).append(" connections").append(l.draining() ? ", draining" : "")
                    .append('\n');
        }
        return write("keepalived.data", sb.toString());
    }

    /** Writes the statistics dump (SIGUSR2) to {@code RUN_DIR/keepalived.stats}; returns the file. Any thread. */
    public Path dumpStats() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (VrrpInstanceInfo i : vrrpInstances()) {
            Map<String, Long> s = i.stats();
            sb.append("VRRP Instance: ").append(i.name()).append('\n');
            sb.append("  Advertisements:\n");
            sb.append("    Received: ").append(s.get("advert_rcvd")).append('\n');
            sb.append("    Sent: ").append(s.get("advert_sent")).append('\n');
            sb.append("  Became master: ").append(s.get("become_master")).append('\n');
            sb.append("  Released master: ").append(s.get("release_master")).append('\n');
            sb.append("  Packet Errors:\n");
            sb.append("    Length: ").append(s.get("packet_len_err")).append('\n');
            sb.append("    TTL: ").append(s.get("ip_ttl_err")).append('\n');
            sb.append("    Invalid Type: ").append(s.get("invalid_type_rcvd")).append('\n');
            sb.append("    Advertisement Interval: ").append(s.get("advert_interval_err")).append('\n');
            sb.append("    Address List: ").append(s.get("addr_list_err")).append('\n');
            sb.append("  Authentication Errors:\n");
            sb.append("    Invalid Type: ").append(s.get("invalid_authtype")).append('\n');
            sb.append("    Type Mismatch: ").append(s.get("authtype_mismatch")).append('\n');
            sb.append("    Failure: ").append(s.get("auth_failure")).append('\n');
            sb.append("  Priority Zero:\n");
            sb.append("    Received: ").append(s.get("pri_zero_rcvd")).append('\n');
            sb.append("    Sent: ").append(s.get("pri_zero_sent")).append('\n');
        }
        return write("keepalived.stats", sb.toString());
    }

    private Path write(String name, String text) throws IOException {
        Files.createDirectories(ctx.runDir());
        Path f = ctx.runDir().resolve(name);
        Path tmp = ctx.runDir().resolve(name + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return f;
    }

    // ------------------------------------------------------------------------------------------------ view

    @Override
    public Status status() {
        DataplaneIo d = dpIo;
        return new Status(ctx.mode(), ctx.configFile(), generation, startedAt, lastReload,
                d == null ? "none" : d.portKind().name(),
                dataplane == null ? List.of() : (ctx.dataplaneInterfaces().isEmpty()
                        ? SpecMapper.interfaces(config) : ctx.dataplaneInterfaces()));
    }

    @Override
    public List<VrrpInstanceInfo> vrrpInstances() {
        Vrrp v = vrrp;
        if (v == null) {
            return List.of();
        }
        List<VrrpInstanceInfo> out = new ArrayList<>();
        for (io.fulcrum.vrrp.VrrpInstance i : v.agent().instances()) {
            VrrpInstanceSpec s = i.spec();
            Map<String, Long> stats = new LinkedHashMap<>();
            for (VrrpStat st : VrrpStat.values()) {
                if (st != VrrpStat.VRID_ERR) {
                    stats.put(st.keepalivedName(), v.agent().stat(i.name(), st));
                }
            }
            // the engine's view: the last accepted advert's source while BACKUP, our own source while MASTER
            InetAddress master = i.masterAddress();
            if (master == null && i.state() == VrrpState.MASTER) {
                master = ownAddress(s);
            }
            out.add(new VrrpInstanceInfo(i.name(), s.interfaceName(), s.vrid(), s.version(), i.state().name(),
                    s.priority(), i.effectivePriority(), master, i.masterAdverIntervalCentis(),
                    s.virtualAddresses().stream().map(VirtualAddress::address).toList(), Map.copyOf(stats)));
        }
        return out;
    }

    /**
     * This node's advertisement source for an instance: {@code unicast_src_ip}, else the interface's first address of
     * the instance's family that is not one of its VIPs (IPv6: the link-local one, as RFC 5798 §5.1.2.1 sends from).
     */
    private InetAddress ownAddress(VrrpInstanceSpec s) {
        if (s.unicastSrcIp() != null) {
            return s.unicastSrcIp();
        }
        KernelNetlink n = netlink;
        if (n == null) {
            return null;
        }
        io.fulcrum.netlink.rtnl.NetlinkState st = n.monitor().state();
        var link = st.link(s.interfaceName());
        if (link.isEmpty()) {
            return null;
        }
        boolean v6 = !s.virtualAddresses().isEmpty() && s.virtualAddresses().getFirst().ipv6();
        Set<InetAddress> vips = new HashSet<>();
        s.virtualAddresses().forEach(v -> vips.add(v.address()));
        for (io.fulcrum.netlink.rtnl.Address a : st.addresses().values()) {
            if (a.ifindex() == link.get().index() && a.isIpv6() == v6 && !vips.contains(a.address())
                    && (!v6 || a.address().isLinkLocalAddress())) {
                return a.address();
            }
        }
        return null;
    }

    private long[] entity(DataplaneCounters c, int slot) {
        long[] v = new long[5];
        if (slot < 0) {
            return v;
        }
        v[0] = c.total(slot, EntityCounter.CONNECTIONS_TOTAL);
        v[1] = c.total(slot, EntityCounter.PACKETS_IN);
        v[2] = c.total(slot, EntityCounter.PACKETS_OUT);
        v[3] = c.total(slot, EntityCounter.BYTES_IN);
        v[4] = c.total(slot, EntityCounter.BYTES_OUT);
        return v;
    }

    private TrafficStats stats(DataplaneCounters c, int slot) {
        long[] v = entity(c, slot);
        long[] b = baselines.get(slot);
        if (b != null) {
            for (int i = 0; i < 5; i++) {
                v[i] = Math.max(0, v[i] - b[i]);
            }
        }
        return new TrafficStats(v[0], v[1], v[2], v[3], v[4]);
    }

    private void sampleRates() {
        Dataplane d = dataplane;
        if (d == null || closed) {
            return;
        }
        ServiceTable t = d.serviceTable();
        if (t == null) {
            return;
        }
        Set<Integer> slots = new HashSet<>();
        for (VirtualService vs : t.services()) {
            slots.add(vs.counterSlot());
            for (int i = 0; i < vs.realServerCount(); i++) {
                slots.add(vs.realSlot(i));
            }
        }
        for (int s : slots) {
            long[] now = entity(d.counters(), s);
            long[] prev = lastSample.put(s, now);
            if (prev != null) {
                rates.put(s, new TrafficRates(Math.max(0, now[0] - prev[0]) / 2, Math.max(0, now[1] - prev[1]) / 2,
                        Math.max(0, now[2] - prev[2]) / 2, Math.max(0, now[3] - prev[3]) / 2,
                        Math.max(0, now[4] - prev[4]) / 2));
            }
        }
        rates.keySet().retainAll(slots);
        lastSample.keySet().retainAll(slots);
    }

    @Override
    public List<VirtualServiceInfo> virtualServices() {
        Dataplane d = dataplane;
        if (d == null || d.serviceTable() == null) {
            return List.of();
        }
        DataplaneCounters c = d.counters();
        List<VirtualServiceInfo> out = new ArrayList<>();
        for (VirtualService vs : d.serviceTable().services()) {
            VirtualServiceSpec spec = vs.spec();
            Map<String, int[]> state;
            synchronized (lock) {
                state = model.realServerState(spec.key());
            }
            List<RealServerInfo> rss = new ArrayList<>();
            for (int i = 0; i < spec.realServers().size(); i++) {
                RealServerSpec rs = spec.realServers().get(i);
                int slot = vs.realSlot(i);
                int[] st = state.get(rs.address().getHostAddress() + "|" + rs.port());
                // IPVS's split: ActiveConn = established, InActConn = every other live connection (the two
                // counters are read racily, so the difference is clamped)
                long inactive = Math.max(0, c.total(slot, EntityCounter.CONNECTIONS_INACTIVE));
                long established = Math.max(0, c.total(slot, EntityCounter.CONNECTIONS_ACTIVE) - inactive);
                rss.add(new RealServerInfo(rs.address(), rs.port(), spec.lbKind(), rs.weight(),
                        st == null ? rs.weight() : st[0], st == null || st[1] == 1,
                        established, inactive, stats(c, slot),
                        rates.getOrDefault(slot, TrafficRates.ZERO)));
            }
            out.add(new VirtualServiceInfo(spec.key(), spec.protocol(), spec.address(), spec.port(), spec.lbAlgo(),
                    spec.lbKind(), spec.persistenceTimeoutSeconds(), spec.localAddressGroup(), vs.owned(), rss,
                    stats(c, vs.counterSlot()), rates.getOrDefault(vs.counterSlot(), TrafficRates.ZERO)));
        }
        return out;
    }

    @Override
    public List<LocalAddressInfo> localAddresses() {
        Dataplane d = dataplane;
        if (d == null || d.serviceTable() == null) {
            return List.of();
        }
        long ports = d.context().localPortMax() - d.context().localPortMin() + 1L;
        List<LocalAddressInfo> out = new ArrayList<>();
        for (VirtualService vs : d.serviceTable().services()) {
            for (int i = 0; i < vs.localAddressCount(); i++) {
                out.add(new LocalAddressInfo(vs.key(), vs.localAddress(i),
                        d.counters().total(vs.localSlot(i), EntityCounter.CONNECTIONS_ACTIVE), ports,
                        vs.localDraining(i)));
            }
        }
        return out;
    }

    @Override
    public List<WorkerInfo> dataplaneWorkers() {
        Dataplane d = dataplane;
        if (d == null) {
            return List.of();
        }
        List<WorkerInfo> out = new ArrayList<>();
        for (int w = 0; w < d.counters().workers(); w++) {
            Map<DataplaneCounter, Long> m = new EnumMap<>(DataplaneCounter.class);
            for (DataplaneCounter c : DataplaneCounter.values()) {
                m.put(c, d.counters().get(w, c));
            }
            out.add(new WorkerInfo(w, Map.copyOf(m)));
        }
        return out;
    }

    /**
     * Lists the dataplane's connections ({@code fulcrumadm -L -n -c}) through {@link Dataplane#listConnections}: at
     * most {@code limit} entries, waiting at most {@code timeoutMs} for the workers. Null when no dataplane runs. Any
     * thread.
     *
     * @throws InterruptedException when the calling thread is interrupted while waiting
     */
    public io.fulcrum.dataplane.conn.ConnectionListing listConnections(int limit, long timeoutMs)
            throws InterruptedException {
        Dataplane d = dataplane;
        return d == null ? null : d.listConnections(limit, timeoutMs);
    }

    @Override
    public ConnectionTableInfo connectionTable() {
        Dataplane d = dataplane;
        if (d == null) {
            return null;
        }
        List<Long> active = new ArrayList<>();
        for (int w = 0; w < d.counters().workers(); w++) {
            active.add(d.counters().get(w, DataplaneCounter.CONNECTIONS_ACTIVE));
        }
        return new ConnectionTableInfo(d.context().connectionCapacity(), d.counters().workers(), active);
    }

    @Override
    public List<CheckerInfo> checkers() {
        return List.copyOf(checkerInfo.values());
    }

    @Override
    public long netlinkOverruns() {
        KernelNetlink n = netlink;
        return n == null ? -1 : n.monitor().overruns();
    }

    // ------------------------------------------------------------------------------------------------ commands

    private interface ModelOp {
        Result apply(ServiceModel m);
    }

    private Result command(ModelOp op) {
        if (dataplane == null) {
            return Result.error("no dataplane runs in this mode");
        }
        synchronized (lock) {
            ServiceModel undo = model.copy();
            Result r = op.apply(model);
            if (!r.ok()) {
                model.restore(undo);
                return r;
            }
            try {
                publishLocked();
            } catch (IllegalArgumentException e) {
                model.restore(undo);
                return Result.error(e.getMessage());
            }
            return r;
        }
    }

    @Override
    public Result addService(ServiceDefinition service) {
        return command(m -> m.addService(service));
    }

    @Override
    public Result editService(ServiceDefinition service) {
        return command(m -> m.editService(service));
    }

    @Override
    public Result deleteService(ServiceKey key) {
        return command(m -> m.deleteService(key));
    }

    @Override
    public Result addRealServer(ServiceKey key, InetAddress address, int port, int weight) {
        return command(m -> m.addRealServer(key, address, port, weight));
    }

    @Override
    public Result editRealServer(ServiceKey key, InetAddress address, int port, int weight) {
        return command(m -> m.editRealServer(key, address, port, weight));
    }

    @Override
    public Result deleteRealServer(ServiceKey key, InetAddress address, int port) {
        return command(m -> m.deleteRealServer(key, address, port));
    }

    @Override
    public Result addLocalAddress(ServiceKey key, InetAddress address) {
        Dataplane d = dataplane;
        if (d == null) {
            return Result.error("no dataplane runs in this mode");
        }
        synchronized (lock) {
            try {
                LocalAddressResult r = d.addLocalAddress(key, address);
                generation++;
                return new Result(r.done(), r.message());
            } catch (LocalAddressException e) {
                return Result.error(e.getMessage());
            }
        }
    }

    @Override
    public Result deleteLocalAddress(ServiceKey key, InetAddress address) {
        Dataplane d = dataplane;
        if (d == null) {
            return Result.error("no dataplane runs in this mode");
        }
        synchronized (lock) {
            try {
                LocalAddressResult r = d.deleteLocalAddress(key, address);
                generation++;
                return new Result(r.done(), r.message());
            } catch (LocalAddressException e) {
                return Result.error(e.getMessage());
            }
        }
    }

    @Override
    public Result zeroCounters(ServiceKey key) {
        Dataplane d = dataplane;
        if (d == null) {
            return Result.error("no dataplane runs in this mode");
        }
        ServiceTable t = d.serviceTable();
        boolean found = false;
        for (VirtualService vs : t.services()) {
            if (key != null && !vs.key().equals(key)) {
                continue;
            }
            found = true;
            baselines.put(vs.counterSlot(), entity(d.counters(), vs.counterSlot()));
            for (int i = 0; i < vs.realServerCount(); i++) {
                baselines.put(vs.realSlot(i), entity(d.counters(), vs.realSlot(i)));
            }
        }
        if (!found && key != null) {
            return Result.error("no such service: " + key);
        }
        return Result.ok(key == null ? "counters of all services zeroed" : "counters of " + key + " zeroed");
    }

    /**
     * Zeroes the VRRP statistics of instance {@code instance}, or of every instance when {@code null}
     * ({@code fulcrumadm stats-clear}, keepalived's {@code STATS_CLEAR} signal). The VRRP thread does the zeroing
     * between packets; this waits up to 5 s for it. Any thread.
     */
    public Result clearVrrpStats(String instance) {
        Vrrp v = vrrp;
        if (v == null) {
            return Result.error(ctx.mode() == Mode.CHECK_ONLY ? "no VRRP runs in this mode"
                    : "no VRRP instance is running");
        }
        try {
            int n = v.agent().clearStats(instance).get(5, TimeUnit.SECONDS);
            return Result.ok(instance == null ? "VRRP statistics of " + n + " instance" + (n == 1 ? "" : "s")
                    + " cleared" : "VRRP statistics of " + instance + " cleared");
        } catch (IllegalArgumentException e) {
            return Result.error("no such VRRP instance: " + instance);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Result.error("interrupted while clearing the VRRP statistics");
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return Result.error("the VRRP thread did not clear the statistics within 5 s");
        }
    }

    // ------------------------------------------------------------------------------------------------ stop

    /**
     * Stops in order: VRRP first (a MASTER advertises priority 0 and releases its addresses), then the checkers, then
     * the dataplane; removes the pid file. Idempotent; called by the main thread.
     */
    @Override
    public void close() {
        synchronized (reloadLock) {
            closeSerialized();
        }
    }

    private void closeSerialized() {
        if (closed) {
            return;
        }
        closed = true;
        Vrrp v = vrrp;
        if (v != null) {
            v.close();
        }
        if (netlink != null) {
            netlink.close();
        }
        HealthCheckHandle h = checks;
        checkGeneration++;
        if (h != null) {
            h.close();
        }
        if (sampler != null) {
            sampler.shutdownNow();
        }
        timers.shutdownNow();
        if (dpIo != null) {
            dpIo.close();
        }
        if (dataplane != null) {
            dataplane.close();
        }
        if (pid != null) {
            pid.close();
        }
        event("stopped", Map.of());
        LOG.info("Stopped Fulcrum");
    }
}

package io.fulcrum.vrrp;

import io.fulcrum.vrrp.packet.VrrpPacketFlyweight;
import io.fulcrum.vrrp.transport.AdvertHandler;
import io.fulcrum.vrrp.transport.ReceivedAdvert;
import io.fulcrum.vrrp.transport.VrrpTransport;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The VRRP engine: one agent runs every instance — one event loop over the VRRP sockets and the link monitor, with
 * its own timers driven by the injected clock (keepalived's scheduler, as an Agrona {@link Agent}).
 *
 * <p>{@link #onStart}, {@link #doWork}, {@link #awaitWork} and {@link #onClose} run on the VRRP thread (a test may
 * step them on its own thread). {@link #post}, {@link #linkListener}, {@link #clearStats(String)},
 * {@link #reconfigure(List)}, {@link #instances()}, {@link #instance(String)} state reads and {@link #counters()} reads
 * are safe from any thread (the commands run on the VRRP thread through the inbox).
 */
public final class VrrpAgent implements Agent {

    private static final Logger LOG = LoggerFactory.getLogger("io.fulcrum.vrrp.Vrrp");
    private static final int RECEIVE_BATCH = 64;
    /** Counter rows kept free for instances added by {@link #reconfigure} (rows of removed ones are reused). */
    static final int SPARE_ROWS = 256;

    private final VrrpContext ctx;
    private final NanoClock clock;
    /** Replaced (never mutated) on the VRRP thread by {@link #reconfigure}; read from any thread. */
    private volatile VrrpInstance[] instances;
    private volatile Map<String, VrrpInstance> byName;
    private final ArrayDeque<Integer> freeRows = new ArrayDeque<>();
    private final VrrpInstance[][] byVrid = new VrrpInstance[2][256];
    private final List<VrrpSyncGroup> groups = new ArrayList<>();
    private final VrrpCounters counters;
    private final ConcurrentLinkedQueue<VrrpMessage> inbox = new ConcurrentLinkedQueue<>();
    private final LinkStateListener linkListener = (ifName, up) -> post(new VrrpMessage.Link(ifName, up));
    private final Map<String, Boolean> links = new HashMap<>();
    private final Map<String, ScriptState> scripts = new HashMap<>();
    private final Map<Path, Long> files = new HashMap<>();
    private final VrrpPacketFlyweight in = new VrrpPacketFlyweight();
    private final AdvertHandler handler = this::dispatch;
    private VrrpTransport transport;
    private VipOwnership ownership = VipOwnership.none();
    private LinkStateSource linkSource = LinkStateSource.none();
    private VrrpNotifier notifier;
    private VrrpScriptRunner scriptRunner;
    private volatile boolean started;
    private boolean closed;

    private static final class ScriptState {
        final VrrpScriptSpec spec;
        boolean ok;
        int okRun;
        int failRun;

        ScriptState(VrrpScriptSpec spec) {
            this.spec = spec;
            this.ok = !spec.initFail();
        }
    }

    /** Builds the engine from a concluded context (nothing is opened until {@link #onStart}). */
    public VrrpAgent(VrrpContext ctx) {
        if (!ctx.concluded()) {
            ctx.conclude();
        }
        this.ctx = ctx;
        this.clock = ctx.clock();
        List<VrrpInstanceSpec> specs = ctx.instances();
        VrrpInstance[] all = new VrrpInstance[specs.size()];
        this.counters = new VrrpCounters(specs.size() + SPARE_ROWS);
        Map<String, VrrpInstance> names = new HashMap<>();
        for (int i = 0; i < all.length; i++) {
            VrrpInstance inst = new VrrpInstance(specs.get(i), i, this);
            all[i] = inst;
            names.put(inst.name(), inst);
            int fam = inst.spec.ipv6() ? 1 : 0;
            inst.nextSameVrid = byVrid[fam][inst.spec.vrid()];
            byVrid[fam][inst.spec.vrid()] = inst;
        }
        for (int r = all.length; r < all.length + SPARE_ROWS; r++) {
            freeRows.add(r);
        }
        this.instances = all;
        this.byName = Map.copyOf(names);
        for (VrrpSyncGroupSpec g : ctx.syncGroups()) {
            List<VrrpInstance> members = new ArrayList<>();
            for (String m : g.members()) {
                members.add(byName.get(m));
            }
            VrrpSyncGroup group = new VrrpSyncGroup(g, members, this);
            for (VrrpInstance m : members) {
                m.group = group;
            }
            groups.add(group);
        }
        for (VrrpScriptSpec s : ctx.scripts()) {
            scripts.put(s.name(), new ScriptState(s));
        }
    }

    @Override
    public String roleName() {
        return "vrrp";
    }

    /** Opens sockets, removes stale addresses, reads tracked files, starts scripts and every instance. */
    @Override
    public void onStart() {
        ctx.threadInitializer().run();
        notifier = new VrrpNotifier(ctx.notifyFifo());
        ownership = ctx.ownership().get();
        transport = ctx.transport().get();
        for (VrrpInstance inst : instances) {
            inst.channel = transport.open(inst.spec);
        }
        for (VrrpInstance inst : instances) {
            if (!inst.spec.initialMaster()) {
                LOG.info("{} removing VIPs.", inst.tag); // keepalived's line when it clears an instance at start
            }
            ownership.removeStale(inst.name(), inst.spec.interfaceName(), inst.owned);
        }
        Set<Path> trackedFiles = new LinkedHashSet<>();
        for (VrrpInstance inst : instances) {
            for (VrrpInstanceSpec.TrackFile f : inst.spec.trackFiles()) {
                trackedFiles.add(f.path());
            }
        }
        for (Path p : trackedFiles) {
            files.put(p, VrrpScriptRunner.readFile(p));
        }
        linkSource = ctx.linkStateSource().get();
        linkSource.start(linkListener);
        transport.watch(linkSource.pollFd());
        drainInbox(clock.nanoTime());
        if (!scripts.isEmpty() || !trackedFiles.isEmpty()) {
            scriptRunner = new VrrpScriptRunner(ctx.scriptThreads(), this::post);
            scriptRunner.start(ctx.scripts(), trackedFiles);
        }
        long now = clock.nanoTime();
        for (VrrpInstance inst : instances) {
            if (inst.state() == VrrpState.INIT) {
                inst.start(now);
            }
        }
        started = true;
    }

    /** One turn of the event loop: messages, the link monitor, packets, timers. Returns the work done. */
    @Override
    public int doWork() {
        long now = clock.nanoTime();
        int work = drainInbox(now);
        work += linkSource.doWork();
        work += transport.receive(handler, RECEIVE_BATCH);
        now = clock.nanoTime();
        for (VrrpInstance inst : instances) {
            if (inst.nextDeadline() <= now) {
                work += inst.onTimers(now);
            }
        }
        return work;
    }

    /** Blocks in the transport until a packet may be readable or the next timer is due (capped). */
    public void awaitWork() {
        long now = clock.nanoTime();
        long next = VrrpInstance.NEVER;
        for (VrrpInstance inst : instances) {
            next = Math.min(next, inst.nextDeadline());
        }
        long wait = Math.min(ctx.maxPollNanos(), Math.max(0, next - now));
        if (wait > 0 && inbox.isEmpty()) {
            transport.await(wait);
        }
    }

    /** Shuts every instance down (priority 0 from a MASTER, addresses released) and closes everything. */
    @Override
    public void onClose() {
        if (closed) {
            return;
        }
        closed = true;
        long now = clock.nanoTime();
        if (started) {
            for (VrrpInstance inst : instances) {
                if (inst.state() != VrrpState.STOP) {
                    inst.handle(VrrpEvent.SHUTDOWN, now);
                }
            }
        }
        if (scriptRunner != null) {
            scriptRunner.close();
        }
        linkSource.close();
        if (ownership instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("closing the address ownership failed: {}", e.getMessage());
            }
        }
        if (transport != null) {
            transport.close();
        }
        if (notifier != null) {
            notifier.close();
        }
    }

    // ---------------------------------------------------------------- any thread

    /** Queues a message for the VRRP thread; any thread. */
    public void post(VrrpMessage message) {
        inbox.offer(message);
    }

    /** A listener that queues link reports for the VRRP thread; any thread may call it. */
    public LinkStateListener linkListener() {
        return linkListener;
    }

    /** The instance named {@code name}; its state and priority may be read from any thread. */
    public VrrpInstance instance(String name) {
        VrrpInstance i = byName.get(name);
        if (i == null) {
            throw new IllegalArgumentException("no vrrp_instance " + name);
        }
        return i;
    }

    /** Every instance, in configuration order. */
    public List<VrrpInstance> instances() {
        return List.of(instances);
    }

    /** The statistics; readable from any thread. */
    public VrrpCounters counters() {
        return counters;
    }

    /** The counter value {@code stat} of instance {@code name}; any thread. */
    public long stat(String name, VrrpStat stat) {
        return counters.get(instance(name).row, stat);
    }

    /**
     * Zeroes the statistics of instance {@code name}, or of every instance and the engine-wide row when {@code name}
     * is {@code null} (keepalived's {@code --signum=STATS_CLEAR}). The zeroing runs on the VRRP thread through the
     * command inbox, between packets, so it never races the counters' increments; the returned future completes there
     * with the number of instances cleared (it stays incomplete if the engine is not running). Any thread.
     *
     * @throws IllegalArgumentException at once when there is no instance {@code name} (nothing is cleared)
     */
    public CompletableFuture<Integer> clearStats(String name) {
        if (name != null) {
            instance(name);
        }
        CompletableFuture<Integer> done = new CompletableFuture<>();
        post(new VrrpMessage.Task(() -> {
            int n = 0;
            if (name == null) {
                for (VrrpInstance inst : instances) {
                    counters.clear(inst.row);
                    n++;
                }
                counters.clear(counters.engineRow());
            } else {
                VrrpInstance inst = byName.get(name); // removed by a reconfigure meanwhile: nothing to clear
                if (inst != null) {
                    counters.clear(inst.row);
                    n++;
                }
            }
            LOG.info("Clearing VRRP statistics for {}", name == null ? "all instances" : "(" + name + ")");
            done.complete(n);
        }));
        return done;
    }

    /**
     * What a {@link #reconfigure} did.
     *
     * @param kept instances whose spec is unchanged: they keep running (state, timers, counters untouched)
     * @param restarted instances whose spec changed: stopped (priority 0 from a MASTER, addresses released) and
     *     started again from INIT with the new spec and zeroed counters
     * @param added new instances, started
     * @param removed instances no longer configured, stopped
     */
    public record Reconfiguration(List<String> kept, List<String> restarted, List<String> added,
                                  List<String> removed) {
    }

    /**
     * Replaces the running instances with {@code specs} on the VRRP thread without a restart: instances whose spec is
     * unchanged keep running, changed ones are stopped and started again, missing ones are stopped and new ones
     * started. Sync groups and {@code vrrp_script}s stay as launched, so this refuses (with
     * {@link IllegalArgumentException}, nothing changed) a set in which an added, removed or changed instance belongs
     * to a sync group, tracks a file not tracked at launch, or that fails the context's checks (duplicate names or
     * VRIDs, unknown scripts). The returned future completes on the VRRP thread; it fails with the transport's error
     * (nothing changed) when a new instance's socket cannot be opened. A removed instance's socket stays open until
     * the engine closes (the transport shares sockets per interface and has no per-instance close). Any thread.
     */
    public CompletableFuture<Reconfiguration> reconfigure(List<VrrpInstanceSpec> specs) {
        VrrpContext check = new VrrpContext().transport(ctx.transport());
        specs.forEach(check::instance);
        ctx.syncGroups().forEach(check::syncGroup);
        ctx.scripts().forEach(check::script);
        check.conclude();
        Set<String> grouped = new java.util.HashSet<>();
        ctx.syncGroups().forEach(g -> grouped.addAll(g.members()));
        Set<Path> tracked = new java.util.HashSet<>();
        ctx.instances().forEach(i -> i.trackFiles().forEach(f -> tracked.add(f.path())));
        List<VrrpInstanceSpec> snapshot = List.copyOf(specs);
        Set<String> nextNames = new java.util.HashSet<>();
        for (VrrpInstanceSpec s : snapshot) {
            nextNames.add(s.name());
            for (VrrpInstanceSpec.TrackFile f : s.trackFiles()) {
                if (!tracked.contains(f.path())) {
                    throw new IllegalArgumentException("vrrp_instance " + s.name() + ": track_file " + f.path()
                            + " was not tracked at start");
                }
            }
        }
        for (VrrpInstance inst : instances) {
            nextNames.add(inst.name());
        }
        CompletableFuture<Reconfiguration> done = new CompletableFuture<>();
        post(new VrrpMessage.Task(() -> {
            try {
                for (String n : nextNames) {
                    VrrpInstance running = byName.get(n);
                    VrrpInstanceSpec next = snapshot.stream().filter(x -> x.name().equals(n)).findFirst()
                            .orElse(null);
                    boolean same = running != null && next != null && running.spec.equals(next);
                    if (!same && grouped.contains(n)) {
                        throw new IllegalArgumentException("vrrp_instance " + n
                                + " belongs to a vrrp_sync_group: its change needs a restart of VRRP");
                    }
                }
                done.complete(applyInstances(snapshot, clock.nanoTime()));
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        }));
        return done;
    }

    /** Whether {@link #onStart} finished. */
    public boolean started() {
        return started;
    }

    // ---------------------------------------------------------------- VRRP thread

    /** {@link #reconfigure} on the VRRP thread: opens the new channels first, so a failure changes nothing. */
    private Reconfiguration applyInstances(List<VrrpInstanceSpec> specs, long now) {
        Map<String, VrrpInstance> running = byName;
        List<VrrpInstanceSpec> toStart = new ArrayList<>();
        for (VrrpInstanceSpec s : specs) {
            VrrpInstance r = running.get(s.name());
            if (r == null || !r.spec.equals(s)) {
                toStart.add(s);
            }
        }
        if (toStart.size() > freeRows.size() + countChanged(specs, running)) {
            throw new IllegalArgumentException("too many VRRP instances added at runtime: restart fulcrum");
        }
        Map<String, io.fulcrum.vrrp.transport.VrrpChannel> channels = new HashMap<>();
        for (VrrpInstanceSpec s : toStart) {
            channels.put(s.name(), transport.open(s)); // may throw: nothing changed yet
        }
        Set<String> nextNames = new java.util.HashSet<>();
        specs.forEach(s -> nextNames.add(s.name()));
        List<String> kept = new ArrayList<>();
        List<String> restarted = new ArrayList<>();
        List<String> added = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        for (VrrpInstance inst : instances) {
            VrrpInstance same = null;
            for (VrrpInstanceSpec s : specs) {
                if (s.name().equals(inst.name()) && s.equals(inst.spec)) {
                    same = inst;
                }
            }
            if (same != null) {
                continue;
            }
            if (inst.state() != VrrpState.STOP) {
                inst.handle(VrrpEvent.SHUTDOWN, now); // RFC 5798 §6.4.3: priority 0, addresses released
            }
            freeRows.add(inst.row);
            (nextNames.contains(inst.name()) ? restarted : removed).add(inst.name());
        }
        VrrpInstance[] next = new VrrpInstance[specs.size()];
        Map<String, VrrpInstance> names = new HashMap<>();
        List<VrrpInstance> fresh = new ArrayList<>();
        for (int i = 0; i < next.length; i++) {
            VrrpInstanceSpec s = specs.get(i);
            VrrpInstance r = running.get(s.name());
            if (r != null && r.spec.equals(s)) {
                next[i] = r;
                kept.add(s.name());
            } else {
                int row = freeRows.poll();
                counters.clear(row);
                next[i] = new VrrpInstance(s, row, this);
                next[i].channel = channels.get(s.name());
                fresh.add(next[i]);
                if (r == null) {
                    added.add(s.name());
                }
            }
            names.put(s.name(), next[i]);
        }
        for (VrrpInstance[] chain : byVrid) {
            java.util.Arrays.fill(chain, null);
        }
        for (VrrpInstance inst : next) {
            int fam = inst.spec.ipv6() ? 1 : 0;
            inst.nextSameVrid = byVrid[fam][inst.spec.vrid()];
            byVrid[fam][inst.spec.vrid()] = inst;
        }
        instances = next;
        byName = Map.copyOf(names);
        for (VrrpInstance inst : fresh) {
            if (!inst.spec.initialMaster()) {
                LOG.info("{} removing VIPs.", inst.tag);
            }
            ownership.removeStale(inst.name(), inst.spec.interfaceName(), inst.owned);
            inst.start(now);
        }
        return new Reconfiguration(List.copyOf(kept), List.copyOf(restarted), List.copyOf(added),
                List.copyOf(removed));
    }

    /** How many running instances are changed or removed by {@code specs} (their rows come free). */
    private int countChanged(List<VrrpInstanceSpec> specs, Map<String, VrrpInstance> running) {
        int n = 0;
        for (VrrpInstance inst : running.values()) {
            boolean same = false;
            for (VrrpInstanceSpec s : specs) {
                if (s.equals(inst.spec)) {
                    same = true;
                    break;
                }
            }
            if (!same) {
                n++;
            }
        }
        return n;
    }

    VipOwnership ownership() {
        return ownership;
    }

    boolean linkUp(String ifName) {
        return links.getOrDefault(ifName, Boolean.TRUE);
    }

    boolean scriptOk(String name) {
        ScriptState s = scripts.get(name);
        return s == null || s.ok;
    }

    int scriptWeight(String name) {
        ScriptState s = scripts.get(name);
        return s == null ? 0 : s.spec.weight();
    }

    long fileValue(Path path) {
        return files.getOrDefault(path, 0L);
    }

    void notifyInstance(VrrpInstance inst, VrrpState state) {
        if (notifier != null) {
            notifier.instance(inst.name(), state, inst.effectivePriority(), inst.spec.notifyScripts());
        }
        VrrpStateListener l = ctx.stateListener();
        if (l != null) {
            l.onInstanceState(inst.name(), state, inst.effectivePriority());
        }
    }

    void notifyGroup(VrrpSyncGroup group, VrrpState state) {
        if (notifier != null) {
            notifier.group(group.spec.name(), state, group.spec.notifyScripts());
        }
        VrrpStateListener l = ctx.stateListener();
        if (l != null) {
            l.onGroupState(group.spec.name(), state);
        }
    }

    private int drainInbox(long now) {
        int work = 0;
        VrrpMessage m;
        while ((m = inbox.poll()) != null) {
            work++;
            switch (m) {
                case VrrpMessage.Link l -> onLink(l, now);
                case VrrpMessage.ScriptResult r -> onScript(r, now);
                case VrrpMessage.FileValue f -> onFile(f, now);
                case VrrpMessage.Task t -> t.task().run();
            }
        }
        return work;
    }

    private void onLink(VrrpMessage.Link l, long now) {
        Boolean prev = links.put(l.ifName(), l.up());
        if (prev != null && prev == l.up() || prev == null && l.up()) {
            return;
        }
        LOG.info("Netlink reports {} {}", l.ifName(), l.up() ? "up" : "down");
        if (!started) {
            return;
        }
        for (VrrpInstance inst : instances) {
            if (tracksInterface(inst.spec, l.ifName())) {
                inst.recomputeTracking(now, true);
            }
        }
    }

    private static boolean tracksInterface(VrrpInstanceSpec spec, String ifName) {
        if (spec.interfaceName().equals(ifName)) {
            return true;
        }
        for (VrrpInstanceSpec.TrackInterface t : spec.trackInterfaces()) {
            if (t.name().equals(ifName)) {
                return true;
            }
        }
        return false;
    }

    private void onScript(VrrpMessage.ScriptResult r, long now) {
        ScriptState s = scripts.get(r.script());
        if (s == null) {
            return;
        }
        boolean success = !r.timedOut() && r.exitCode() == 0;
        boolean before = s.ok;
        if (success) {
            s.okRun++;
            s.failRun = 0;
            if (!s.ok && s.okRun >= s.spec.rise()) {
                s.ok = true;
                LOG.info("VRRP_Script({}) succeeded", s.spec.name());
            }
        } else {
            s.failRun++;
            s.okRun = 0;
            if (s.ok && s.failRun >= s.spec.fall()) {
                s.ok = false;
                if (r.timedOut()) {
                    LOG.info("VRRP_Script({}) timed out", s.spec.name());
                } else {
                    LOG.info("VRRP_Script({}) failed (exited with status {})", s.spec.name(), r.exitCode());
                }
            }
        }
        if (before != s.ok && started) {
            for (VrrpInstance inst : instances) {
                for (VrrpInstanceSpec.TrackScript t : inst.spec.trackScripts()) {
                    if (t.name().equals(r.script())) {
                        inst.recomputeTracking(now, true);
                        break;
                    }
                }
            }
        }
    }

    private void onFile(VrrpMessage.FileValue f, long now) {
        Long prev = files.put(f.path(), f.value());
        if (prev != null && prev == f.value() || !started) {
            return;
        }
        for (VrrpInstance inst : instances) {
            for (VrrpInstanceSpec.TrackFile t : inst.spec.trackFiles()) {
                if (t.path().equals(f.path())) {
                    inst.recomputeTracking(now, true);
                    break;
                }
            }
        }
    }

    private void dispatch(ReceivedAdvert r) {
        long now = clock.nanoTime();
        if (r.length < VrrpPacketFlyweight.HEADER_LENGTH) {
            counters.increment(counters.engineRow(), VrrpStat.PACKET_LEN_ERR);
            return;
        }
        in.wrap(r.buffer, r.offset);
        VrrpInstance inst = byVrid[r.ipv6 ? 1 : 0][in.vrid()];
        VrrpInstance match = null;
        for (; inst != null; inst = inst.nextSameVrid) {
            if (r.ifIndex == 0 || inst.channel == null || inst.channel.ifIndex() == r.ifIndex) {
                match = inst;
                break;
            }
        }
        if (match == null) {
            counters.increment(counters.engineRow(), VrrpStat.VRID_ERR);
            return;
        }
        if (match.channel != null && java.util.Arrays.equals(match.channel.sourceAddress(), r.source())) {
            return; // our own packet looped back
        }
        match.onAdvert(r, in, now);
    }
}

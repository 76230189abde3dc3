package io.fulcrum.vrrp;

import io.fulcrum.vrrp.transport.VrrpTransport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

/**
 * Everything the VRRP engine needs: instances, sync groups, scripts, and the parts it talks to (transport, address
 * ownership, link state, clock). {@link #conclude()} checks it completely before any thread starts.
 *
 * <p>Built and concluded on one thread (the appliance's start-up or a test), then handed to {@link Vrrp#launch}; not
 * modified afterwards. The factories are called on the VRRP thread so sockets are made in that thread's network
 * namespace.
 */
public final class VrrpContext {

    private final List<VrrpInstanceSpec> instances = new ArrayList<>();
    private final List<VrrpSyncGroupSpec> syncGroups = new ArrayList<>();
    private final List<VrrpScriptSpec> scripts = new ArrayList<>();
    private Path notifyFifo;
    private NanoClock clock = SystemNanoClock.INSTANCE;
    private Supplier<VrrpTransport> transport;
    private Supplier<VipOwnership> ownership = VipOwnership::none;
    private Supplier<LinkStateSource> linkStateSource = LinkStateSource::none;
    private VrrpStateListener stateListener;
    private Runnable threadInitializer = () -> {
    };
    private int scriptThreads = 2;
    private long maxPollNanos = 10_000_000L;
    private boolean concluded;

    /** Adds an instance. */
    public VrrpContext instance(VrrpInstanceSpec spec) {
        instances.add(spec);
        return this;
    }

    /** Adds a sync group. */
    public VrrpContext syncGroup(VrrpSyncGroupSpec spec) {
        syncGroups.add(spec);
        return this;
    }

    /** Adds a {@code vrrp_script}. */
    public VrrpContext script(VrrpScriptSpec spec) {
        scripts.add(spec);
        return this;
    }

    /** {@code notify_fifo} (global {@code vrrp_notify_fifo}), or {@code null}. */
    public VrrpContext notifyFifo(Path fifo) {
        notifyFifo = fifo;
        return this;
    }

    /** The clock every timer reads (a virtual one in tests). */
    public VrrpContext clock(NanoClock c) {
        clock = c;
        return this;
    }

    /** Makes the transport (called on the VRRP thread). */
    public VrrpContext transport(Supplier<VrrpTransport> factory) {
        transport = factory;
        return this;
    }

    /**
     * Uses the kernel: raw VRRP sockets ({@link io.fulcrum.vrrp.kernel.RawVrrpTransport}) and addresses added through
     * netlink with GARP/NA ({@link io.fulcrum.vrrp.kernel.KernelVipOwnership}), link state from the netlink monitor
     * ({@link io.fulcrum.vrrp.kernel.NetlinkLinkStateSource}).
     */
    public VrrpContext kernel() {
        return kernel(new io.fulcrum.netlink.rtnl.NetlinkMonitorContext());
    }

    /**
     * Like {@link #kernel()} with the given netlink monitor settings (receive buffer size, force); the monitor and
     * the address guard restoring removed VIPs are shared by link tracking and ownership.
     */
    public VrrpContext kernel(io.fulcrum.netlink.rtnl.NetlinkMonitorContext monitor) {
        io.fulcrum.vrrp.kernel.KernelNetlink shared = new io.fulcrum.vrrp.kernel.KernelNetlink(monitor);
        transport = io.fulcrum.vrrp.kernel.RawVrrpTransport::new;
        ownership = () -> new io.fulcrum.vrrp.kernel.KernelVipOwnership(shared);
        linkStateSource = () -> new io.fulcrum.vrrp.kernel.NetlinkLinkStateSource(shared);
        return this;
    }

    /** Makes the address ownership (called on the VRRP thread). Default: none. */
    public VrrpContext ownership(Supplier<VipOwnership> factory) {
        ownership = factory;
        return this;
    }

    /** Makes the link state source (called on the VRRP thread). Default: none (interfaces taken as up). */
    public VrrpContext linkStateSource(Supplier<LinkStateSource> factory) {
        linkStateSource = factory;
        return this;
    }

    /** Hears every state change on the VRRP thread, or {@code null}. */
    public VrrpContext stateListener(VrrpStateListener l) {
        stateListener = l;
        return this;
    }

    /** Runs first on the VRRP thread (e.g. to enter a network namespace). */
    public VrrpContext threadInitializer(Runnable r) {
        threadInitializer = r;
        return this;
    }

    /** Threads for {@code vrrp_script} runs and {@code track_file} reads. */
    public VrrpContext scriptThreads(int n) {
        scriptThreads = n;
        return this;
    }

    /** The longest the event loop waits for a packet before looking at messages from other threads again. */
    public VrrpContext maxPollNanos(long n) {
        maxPollNanos = n;
        return this;
    }

    /**
     * Checks the whole configuration: unique instance names, unique VRID per interface and family, sync group
     * members that exist and belong to one group, tracked scripts that exist. Throws
     * {@link IllegalArgumentException} naming the instance, keyword and value; nothing is started on failure.
     */
    public VrrpContext conclude() {
        if (transport == null) {
            throw new IllegalArgumentException("VRRP: no transport configured");
        }
        Map<String, VrrpInstanceSpec> byName = new HashMap<>();
        Set<String> vridKeys = new HashSet<>();
        Set<String> scriptNames = new HashSet<>();
        for (VrrpScriptSpec s : scripts) {
            if (!scriptNames.add(s.name())) {
                throw new IllegalArgumentException("vrrp_script " + s.name() + ": defined twice");
            }
        }
        for (VrrpInstanceSpec i : instances) {
            if (byName.put(i.name(), i) != null) {
                throw new IllegalArgumentException("vrrp_instance " + i.name() + ": defined twice");
            }
            String key = i.interfaceName() + "/" + (i.ipv6() ? 6 : 4) + "/" + i.vrid();
            if (!vridKeys.add(key)) {
                throw new IllegalArgumentException("vrrp_instance " + i.name() + ": virtual_router_id " + i.vrid()
                        + " already used on " + i.interfaceName() + " for IPv" + (i.ipv6() ? 6 : 4));
            }
            for (VrrpInstanceSpec.TrackScript t : i.trackScripts()) {
                if (!scriptNames.contains(t.name())) {
                    throw new IllegalArgumentException("vrrp_instance " + i.name() + ": track_script " + t.name()
                            + " has no vrrp_script");
                }
            }
        }
        Set<String> grouped = new HashSet<>();
        for (VrrpSyncGroupSpec g : syncGroups) {
            for (String m : g.members()) {
                if (!byName.containsKey(m)) {
                    throw new IllegalArgumentException("vrrp_sync_group " + g.name() + ": member " + m
                            + " is not a vrrp_instance");
                }
                if (!grouped.add(m)) {
                    throw new IllegalArgumentException("vrrp_sync_group " + g.name() + ": member " + m
                            + " already belongs to another sync group");
                }
            }
        }
        if (scriptThreads < 1 || maxPollNanos < 1) {
            throw new IllegalArgumentException("VRRP: scriptThreads and maxPollNanos must be positive");
        }
        concluded = true;
        return this;
    }

    /** Whether {@link #conclude()} passed. */
    public boolean concluded() {
        return concluded;
    }

    /** The instances. */
    public List<VrrpInstanceSpec> instances() {
        return List.copyOf(instances);
    }

    /** The sync groups. */
    public List<VrrpSyncGroupSpec> syncGroups() {
        return List.copyOf(syncGroups);
    }

    /** The scripts. */
    public List<VrrpScriptSpec> scripts() {
        return List.copyOf(scripts);
    }

    /** The notify FIFO, or {@code null}. */
    public Path notifyFifo() {
        return notifyFifo;
    }

    /** The clock. */
    public NanoClock clock() {
        return clock;
    }

    /** The transport factory. */
    public Supplier<VrrpTransport> transport() {
        return transport;
    }

    /** The ownership factory. */
    public Supplier<VipOwnership> ownership() {
        return ownership;
    }

    /** The link state source factory. */
    public Supplier<LinkStateSource> linkStateSource() {
        return linkStateSource;
    }

    /** The state listener, or {@code null}. */
    public VrrpStateListener stateListener() {
        return stateListener;
    }

    /** The thread initializer. */
    public Runnable threadInitializer() {
        return threadInitializer;
    }

    /** Script threads. */
    public int scriptThreads() {
        return scriptThreads;
    }

    /** Longest wait in the event loop. */
    public long maxPollNanos() {
        return maxPollNanos;
    }
}

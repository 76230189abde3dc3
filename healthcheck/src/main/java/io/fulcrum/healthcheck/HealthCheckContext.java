package io.fulcrum.healthcheck;

import java.io.IOException;
import java.net.Inet4Address;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.random.RandomGenerator;

/**
 * Everything {@link HealthChecks#launch} needs: the virtual servers to check, where events go, and the threads.
 *
 * <p>Built and {@link #conclude() concluded} on one thread (the appliance's start-up thread) before launch; after
 * {@code conclude()} it is immutable and the setters throw. {@code conclude()} validates every spec completely, so
 * nothing starts half-configured.
 */
public final class HealthCheckContext {

    /** Observes how late each check attempt started against its schedule; used by the scale benchmark. */
    public interface CheckStartObserver {
        /** Called on an event-loop thread as an attempt starts, {@code latenessNanos} after it was due. */
        void onStart(long latenessNanos);
    }

    private List<VirtualServerCheckSpec> virtualServers = List.of();
    private RealServerListener listener = (vs, rs, up, weight) -> { };
    private int ioThreads = 1;
    private int scriptThreads = 2;
    private int scriptQueueLimit = 4096;
    private ThreadFactory threadFactory = Thread.ofPlatform().daemon(true).factory();
    private boolean forceNio;
    private RandomGenerator random = RandomGenerator.getDefault();
    private CheckStartObserver startObserver;
    private boolean reload;
    private boolean concluded;
    private final Map<String, int[]> users = new HashMap<>();

    /** Creates an empty context with the defaults (one I/O thread, two script threads). */
    public HealthCheckContext() {
    }

    /** The virtual servers to check. */
    public HealthCheckContext virtualServers(List<VirtualServerCheckSpec> v) {
        mutable();
        this.virtualServers = List.copyOf(v);
        return this;
    }

    /** Where real-server events go. */
    public HealthCheckContext listener(RealServerListener v) {
        mutable();
        this.listener = Objects.requireNonNull(v, "listener");
        return this;
    }

    /** Event-loop threads for all network checks, 1 or 2 (default 1). */
    public HealthCheckContext ioThreads(int v) {
        mutable();
        this.ioThreads = v;
        return this;
    }

    /** Threads that start scripts and read files, 1..16 (default 2). */
    public HealthCheckContext scriptThreads(int v) {
        mutable();
        this.scriptThreads = v;
        return this;
    }

    /** Script starts that may wait for a pool thread before further ones fail (default 4096). */
    public HealthCheckContext scriptQueueLimit(int v) {
        mutable();
        this.scriptQueueLimit = v;
        return this;
    }

    /**
     * The factory for the event-loop and script threads (e.g. one that enters a network namespace first).
     * Default: daemon platform threads.
     */
    public HealthCheckContext threadFactory(ThreadFactory v) {
        mutable();
        this.threadFactory = Objects.requireNonNull(v, "threadFactory");
        return this;
    }

    /** Use NIO even where epoll is available (the reason is logged). */
    public HealthCheckContext forceNio(boolean v) {
        mutable();
        this.forceNio = v;
        return this;
    }

    /** The random source for {@code warmup} delays (inject a seeded one for repeatable tests). */
    public HealthCheckContext random(RandomGenerator v) {
        mutable();
        this.random = Objects.requireNonNull(v, "random");
        return this;
    }

    /** An observer of check start lateness (benchmarks), or null. */
    public HealthCheckContext startObserver(CheckStartObserver v) {
        mutable();
        this.startObserver = v;
        return this;
    }

    /**
     * Whether this launch follows a configuration reload: then, as keepalived, a track file's
     * {@code init_file ... overwrite} does not overwrite a file that exists (it only creates a missing one).
     * Default false.
     */
    public HealthCheckContext reload(boolean v) {
        mutable();
        this.reload = v;
        return this;
    }

    /** Whether this launch follows a reload. */
    public boolean reload() {
        return reload;
    }

    /** The virtual servers. */
    public List<VirtualServerCheckSpec> virtualServers() {
        return virtualServers;
    }

    /** The listener. */
    public RealServerListener listener() {
        return listener;
    }

    /** Event-loop threads. */
    public int ioThreads() {
        return ioThreads;
    }

    /** Script threads. */
    public int scriptThreads() {
        return scriptThreads;
    }

    /** Script queue limit. */
    public int scriptQueueLimit() {
        return scriptQueueLimit;
    }

    /** The thread factory. */
    public ThreadFactory threadFactory() {
        return threadFactory;
    }

    /** Whether NIO is forced. */
    public boolean forceNio() {
        return forceNio;
    }

    /** The warmup random source. */
    public RandomGenerator random() {
        return random;
    }

    /** The start observer, or null. */
    public CheckStartObserver startObserver() {
        return startObserver;
    }

    /** Whether {@link #conclude()} succeeded. */
    public boolean concluded() {
        return concluded;
    }

    /** The uid and gid of a {@code MISC_CHECK} {@code user}, resolved by {@link #conclude()}. */
    int[] user(String name) {
        return name == null ? null : users.get(name);
    }

    private void mutable() {
        if (concluded) {
            throw new IllegalStateException("HealthCheckContext is concluded and immutable");
        }
    }

    /**
     * Validates everything and freezes the context. Throws {@link HealthCheckConfigException} naming the first
     * problem (virtual server, real server, keyword and value). Idempotent.
     */
    public HealthCheckContext conclude() {
        if (concluded) {
            return this;
        }
        if (ioThreads < 1 || ioThreads > 2) {
            throw new HealthCheckConfigException("health check I/O threads " + ioThreads + " out of range 1..2");
        }
        if (scriptThreads < 1 || scriptThreads > 16) {
            throw new HealthCheckConfigException("health check script threads " + scriptThreads
                    + " out of range 1..16");
        }
        if (scriptQueueLimit < 1) {
            throw new HealthCheckConfigException("health check script queue limit " + scriptQueueLimit
                    + " must be at least 1");
        }
        List<String> seen = new ArrayList<>();
        for (VirtualServerCheckSpec vs : virtualServers) {
            String where = "virtual_server " + vs.label();
            if (seen.contains(vs.label())) {
                throw new HealthCheckConfigException(where + ": defined twice");
            }
            seen.add(vs.label());
            if (vs.quorum() < 1) {
                throw new HealthCheckConfigException(where + ": quorum " + vs.quorum() + " must be at least 1");
            }
            if (vs.hysteresis() < 0 || vs.hysteresis() >= vs.quorum()) {
                throw new HealthCheckConfigException(where + ": hysteresis " + vs.hysteresis()
                        + " out of range 0.." + (vs.quorum() - 1) + " (must be below quorum " + vs.quorum() + ")");
            }
            List<Endpoint> rsSeen = new ArrayList<>();
            for (RealServerCheckSpec rs : vs.realServers()) {
                String rsWhere = where + " real_server " + rs.address().trio(vs.protocol());
                if (rsSeen.contains(rs.address())) {
                    throw new HealthCheckConfigException(rsWhere + ": defined twice");
                }
                rsSeen.add(rs.address());
                if (rs.weight() < 0 || rs.weight() > 65535) {
                    throw new HealthCheckConfigException(rsWhere + ": weight " + rs.weight()
                            + " out of range 0..65535");
                }
                for (CheckSpec c : rs.checks()) {
                    check(rsWhere + " " + c.keyword(), c, rs);
                }
            }
        }
        concluded = true;
        return this;
    }

    private void check(String where, CheckSpec c, RealServerCheckSpec rs) {
        CheckOptions o = c.options();
        positive(where, "connect_timeout", o.connectTimeout());
        positive(where, "delay_loop", o.delayLoop());
        if (o.retry() < 0) {
            throw new HealthCheckConfigException(where + ": retry " + o.retry() + " must not be negative");
        }
        if (o.delayBeforeRetry().isNegative()) {
            throw new HealthCheckConfigException(where + ": delay_before_retry " + o.delayBeforeRetry().toMillis()
                    + " ms must not be negative");
        }
        if (o.warmup().isNegative()) {
            throw new HealthCheckConfigException(where + ": warmup must not be negative");
        }
        if (o.connectPort() < 0 || o.connectPort() > 65535) {
            throw new HealthCheckConfigException(where + ": connect_port " + o.connectPort()
                    + " out of range 0..65535");
        }
        if (o.bindPort() < 0 || o.bindPort() > 65535) {
            throw new HealthCheckConfigException(where + ": bind_port " + o.bindPort() + " out of range 0..65535");
        }
        Endpoint target = o.target(rs.address());
        if (o.bindTo() != null && (o.bindTo() instanceof Inet4Address) != (target.address() instanceof Inet4Address)) {
            throw new HealthCheckConfigException(where + ": bindto " + Endpoint.ip(o.bindTo())
                    + " does not match the address family of " + target.ip());
        }
        switch (c) {
            case CheckSpec.Tcp _ -> needPort(where, target);
            case CheckSpec.Http h -> {
                needPort(where, target);
                if (h.urls().isEmpty()) {
                    throw new HealthCheckConfigException(where + ": no url specified");
                }
                for (CheckSpec.Url u : h.urls()) {
                    if (u.path().isEmpty() || !u.path().startsWith("/")) {
                        throw new HealthCheckConfigException(where + ": url path '" + u.path()
                                + "' must start with /");
                    }
                    if (u.digest() != null && !u.digest().matches("[0-9a-f]{32}")) {
                        throw new HealthCheckConfigException(where + ": digest '" + u.digest()
                                + "' is not 32 hex digits (an MD5)");
                    }
                }
            }
            case CheckSpec.Smtp s -> {
                needPort(where, target);
                if (s.heloName().isBlank() || s.heloName().contains("\r") || s.heloName().contains("\n")) {
                    throw new HealthCheckConfigException(where + ": helo_name '" + s.heloName() + "' invalid");
                }
            }
            case CheckSpec.Udp _ -> needPort(where, target);
            case CheckSpec.Dns d -> {
                needPort(where, target);
                if (DnsMessage.type(d.type()) < 0) {
                    throw new HealthCheckConfigException(where + ": type '" + d.type() + "' unknown (expected one of "
                            + String.join(", ", new java.util.TreeSet<>(DnsMessage.TYPES.keySet())) + ")");
                }
                if (!d.name().equals(".") && (d.name().startsWith(".") || d.name().contains(".."))) {
                    throw new HealthCheckConfigException(where + ": name '" + d.name() + "' has an empty label");
                }
                for (String label : d.name().split("\\.")) {
                    if (label.length() > 63) {
                        throw new HealthCheckConfigException(where + ": name '" + d.name()
                                + "' has a label longer than 63 characters");
                    }
                }
            }
            case CheckSpec.Misc m -> {
                if (m.path().isBlank()) {
                    throw new HealthCheckConfigException(where + ": misc_path is empty");
                }
                if (m.timeout() != null && (m.timeout().isZero() || m.timeout().isNegative())) {
                    throw new HealthCheckConfigException(where + ": misc_timeout must be positive");
                }
                if (m.user() != null && !users.containsKey(m.user())) {
                    users.put(m.user(), lookupUser(where, m.user()));
                }
            }
            case CheckSpec.File f -> {
                if (f.weight() == Integer.MIN_VALUE) {
                    throw new HealthCheckConfigException(where + ": weight " + f.weight()
                            + " out of range -2147483647..2147483647");
                }
            }
            case CheckSpec.Ping _ -> {
                if (forceNio) {
                    throw new HealthCheckConfigException(where + ": PING_CHECK needs the epoll transport (NIO forced)");
                }
            }
        }
    }

    private static void needPort(String where, Endpoint target) {
        if (target.port() == 0) {
            throw new HealthCheckConfigException(where + ": no port to connect to (set connect_port)");
        }
    }

    private static void positive(String where, String key, Duration d) {
        if (d.isZero() || d.isNegative()) {
            throw new HealthCheckConfigException(where + ": " + key + " " + d.toMillis() + " ms must be positive");
        }
    }

    private static int[] lookupUser(String where, String user) {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
                String[] f = line.split(":");
                if (f.length > 3 && f[0].equals(user)) {
                    return new int[] {Integer.parseInt(f[2]), Integer.parseInt(f[3])};
                }
            }
        } catch (IOException | NumberFormatException e) {
            throw new HealthCheckConfigException(where + ": cannot read /etc/passwd to resolve user '" + user + "': "
                    + e.getMessage());
        }
        throw new HealthCheckConfigException(where + ": user '" + user + "' does not exist");
    }
}

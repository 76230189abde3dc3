package io.fulcrum.healthcheck;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running health checks: one Netty event-loop group (epoll, else NIO) of one or two threads carrying every
 * network check and its timers, a small script pool, and the per-virtual-server state.
 *
 * <p>Created by {@link HealthChecks#launch}. The query methods are thread-safe; {@link #close()} may be called from
 * any one thread, once (later calls do nothing).
 */
public final class HealthCheckHandle implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HealthCheckHandle.class);

    /** Identical checks (same spec, same target, same initial state) share one {@link SharedCheck}. */
    private record ShareKey(CheckSpec spec, Endpoint target, boolean alpha) {
    }

    private final HealthCheckContext ctx;
    private final Transport transport;
    private final MultiThreadIoEventLoopGroup group;
    private final ScriptRunner scripts;
    private final List<VirtualServerState> states = new ArrayList<>();
    private final Map<ShareKey, SharedCheck> shared = new LinkedHashMap<>();
    private final Map<CheckSpec.File, FileCheck> files = new LinkedHashMap<>();
    private final TrackFileWatcher watcher;
    private final IcmpPinger.PerLoop pingers = new IcmpPinger.PerLoop();
    private int subscriptions;
    private boolean closed;

    HealthCheckHandle(HealthCheckContext ctx) {
        this.ctx = ctx;
        this.transport = Transport.select(ctx.forceNio());
        if (!"epoll".equals(transport.name())) {
            for (VirtualServerCheckSpec vs : ctx.virtualServers()) {
                for (RealServerCheckSpec rs : vs.realServers()) {
                    for (CheckSpec c : rs.checks()) {
                        if (c instanceof CheckSpec.Ping) {
                            throw new HealthCheckConfigException("virtual_server " + vs.label() + " real_server "
                                    + rs.address().trio(vs.protocol()) + " PING_CHECK: needs the epoll transport, "
                                    + "which is unavailable here");
                        }
                    }
                }
            }
        }
        this.group = new MultiThreadIoEventLoopGroup(ctx.ioThreads(), named(ctx.threadFactory(), "fulcrum-hc-io-"),
                transport.ioHandlerFactory());
        this.scripts = new ScriptRunner(ctx.scriptThreads(), ctx.scriptQueueLimit(), ctx.threadFactory());
        this.watcher = new TrackFileWatcher(ctx.threadFactory());
        SslContext ssl = null;
        SharedCheck.StartObserver observer = ctx.startObserver() == null ? null : ctx.startObserver()::onStart;
        for (VirtualServerCheckSpec vs : ctx.virtualServers()) {
            VirtualServerState state = new VirtualServerState(vs, ctx.listener(), scripts);
            states.add(state);
            for (int r = 0; r < vs.realServers().size(); r++) {
                RealServerCheckSpec rs = vs.realServers().get(r);
                for (int c = 0; c < rs.checks().size(); c++) {
                    CheckSpec spec = rs.checks().get(c);
                    if (spec instanceof CheckSpec.File f) {
                        FileCheck fc = files.get(f);
                        if (fc == null) {
                            fc = new FileCheck(f);
                            fc.initialise(ctx.reload());
                            // watch first, then read: a change in between is not lost
                            watcher.add(fc);
                            fc.initialStatus();
                            files.put(f, fc);
                        }
                        fc.subscribe(new SharedCheck.Subscriber(state, r, c));
                        long status = fc.status();
                        state.preset(r, c, FileCheck.fault(status));
                        if (!FileCheck.fault(status) && status != 0) {
                            state.setWeightQuietly(r, FileCheck.offset(status));
                        }
                        subscriptions++;
                        continue;
                    }
                    Endpoint target = spec.options().target(rs.address());
                    boolean alpha = VirtualServerState.alpha(vs, spec);
                    ShareKey key = new ShareKey(spec, target, alpha);
                    SharedCheck check = shared.get(key);
                    if (check == null) {
                        if (spec instanceof CheckSpec.Http h && h.ssl() && ssl == null) {
                            ssl = clientSsl();
                        }
                        EventLoop loop = group.next();
                        check = new SharedCheck(spec, alpha, prober(spec, target, loop, ssl),
                                new LoopExecutor(loop), observer);
                        shared.put(key, check);
                    }
                    check.subscribe(new SharedCheck.Subscriber(state, r, c));
                    subscriptions++;
                }
            }
        }
    }

    private static SslContext clientSsl() {
        try {
            // keepalived's SSL_GET does not verify the server certificate
            return SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot create the TLS client context: " + e.getMessage(), e);
        }
    }

    private Prober prober(CheckSpec spec, Endpoint target, EventLoop loop, SslContext ssl) {
        return switch (spec) {
            case CheckSpec.Tcp t -> new TcpCheck(NetProbe.tcp(loop, transport, t.options()), target, t.options());
            case CheckSpec.Http h -> new HttpCheck(h, NetProbe.tcp(loop, transport, h.options()), target,
                    h.ssl() ? ssl : null, scripts::submit);
            case CheckSpec.Smtp s -> new SmtpCheck(s, NetProbe.tcp(loop, transport, s.options()), target);
            case CheckSpec.Udp u -> new UdpCheck(u, NetProbe.udp(loop, transport), target);
            case CheckSpec.Dns d -> new DnsCheck(d, NetProbe.udp(loop, transport), target);
            case CheckSpec.Misc m -> new MiscCheck(m, scripts, loop, ctx.user(m.user()));
            case CheckSpec.File f -> throw new IllegalStateException("FILE_CHECK " + f.file() + " is watched, not probed");
            case CheckSpec.Ping p -> {
                if (!(loop instanceof io.netty.channel.IoEventLoop io)) {
                    throw new IllegalStateException("event loop " + loop + " cannot register an ICMP socket");
                }
                yield new PingCheck(p, pingers.of(io), target);
            }
        };
    }

    void start() {
        for (VirtualServerState s : states) {
            s.start();
        }
        watcher.start();
        LOG.info("Health checks: {} checkers as {} shared checks on {} {} thread(s)", subscriptions,
                shared.size() + files.size(), ctx.ioThreads(), transport.name());
        for (SharedCheck c : shared.values()) {
            long warmup = c.spec().options().warmup().toNanos();
            c.start(warmup > 0 ? ctx.random().nextLong(warmup) : 0);
        }
    }

    /** The transport in use: {@code epoll} or {@code nio}. */
    public String transport() {
        return transport.name();
    }

    /** How many distinct checks run (identical checks of several virtual servers count once). */
    public int sharedChecks() {
        return shared.size() + files.size();
    }

    /** How many (virtual server, real server, checker) triples the shared checks serve. */
    public int checkers() {
        return subscriptions;
    }

    /** Whether real server {@code rs} (index in its spec) of virtual server {@code vs} is up. */
    public boolean isUp(int vs, int rs) {
        return states.get(vs).alive(rs);
    }

    /** The current weight of real server {@code rs} of virtual server {@code vs}. */
    public int weight(int vs, int rs) {
        return states.get(vs).weight(rs);
    }

    /** Whether virtual server {@code vs} has its quorum. */
    public boolean quorumUp(int vs) {
        return states.get(vs).quorumUp();
    }

    /** Whether virtual server {@code vs} currently uses its sorry server. */
    public boolean sorryServerActive(int vs) {
        return states.get(vs).sorryActive();
    }

    /** Attempts started so far by all checks (approximate while running). */
    public long attempts() {
        long n = 0;
        for (SharedCheck c : shared.values()) {
            n += c.attempts();
        }
        return n;
    }

    Collection<SharedCheck> sharedCheckList() {
        return shared.values();
    }

    /**
     * Stops every check, the event loops and the scripts; then removes every alive real server as keepalived does at
     * shutdown, running notify_down and quorum_down scripts for {@code omega} virtual servers.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (SharedCheck c : shared.values()) {
            c.close();
        }
        pingers.close();
        watcher.close();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        for (VirtualServerState s : states) {
            s.stop();
        }
        scripts.close();
    }

    private static ThreadFactory named(ThreadFactory base, String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = base.newThread(r);
            t.setName(prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * A {@link CheckExecutor} on a Netty event loop. Deadlines are rounded up to a {@link #QUANTUM_NANOS} grid so that
     * checks due within the same 2 ms run in one wake-up of the loop (thousands of checks per second then cost
     * hundreds of wake-ups, not thousands); a check may therefore start up to 2 ms after its exact due time.
     */
    private record LoopExecutor(EventLoop loop) implements CheckExecutor {
        static final long QUANTUM_NANOS = 2_000_000L;

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public boolean inExecutor() {
            return loop.inEventLoop();
        }

        @Override
        public void execute(Runnable task) {
            loop.execute(task);
        }

        @Override
        public void schedule(Runnable task, long delayNanos) {
            long now = System.nanoTime();
            long deadline = now + delayNanos;
            long rounded = Math.floorDiv(deadline + QUANTUM_NANOS - 1, QUANTUM_NANOS) * QUANTUM_NANOS;
            loop.schedule(task, rounded - now, TimeUnit.NANOSECONDS);
        }
    }
}

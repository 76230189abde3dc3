package io.fulcrum.healthcheck;

import io.fulcrum.netlink.NetNs;
import io.fulcrum.testkit.Await;
import io.fulcrum.testkit.KernelTest;
import io.fulcrum.testkit.NetnsLab;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Scale benchmark (not part of the unit suite): 5,000 distinct TCP checks at delay_loop 1 s against 50 local listeners
 * for 30 s, measuring process CPU, the check threads' CPU and the lateness of check starts. Runs inside a fresh network
 * namespace so its connections and TIME_WAIT sockets stay out of the host's. Run:
 * {@code mvn -pl healthcheck test -Dtest=TcpCheckScaleBench -Dfulcrum.bench=true -Dsurefire.failIfNoSpecifiedTests=false}
 * (as root); results are printed and written to {@code healthcheck/target/bench-healthcheck.txt}.
 */
@Tag("bench")
@KernelTest
@EnabledIfSystemProperty(named = "fulcrum.bench", matches = "true")
class TcpCheckScaleBench {

    private static final int LISTENERS = 50;
    private static final int SOURCES = Integer.getInteger("fulcrum.bench.sources", 100);
    private static final int SECONDS = Integer.getInteger("fulcrum.bench.seconds", 30);
    private static final int WARM_SECONDS = 3;

    /** Lateness histogram: 10 µs buckets up to 1 s, then one overflow bucket. */
    private static final int BUCKET_NS = 10_000;
    private static final int BUCKETS = 100_001;

    @Test
    void fiveThousandTcpChecksOnTwoCores() throws Exception {
        try (NetnsLab lab = NetnsLab.create()) {
            String ns = lab.ns("bench");
            lab.sysctl(ns, "net.ipv4.tcp_max_tw_buckets", "400000");
            // a starved listener must not drop SYNs (a dropped SYN costs a 1 s retransmit, not a late check start)
            lab.sysctl(ns, "net.core.somaxconn", "65535");
            // the real servers: a separate JVM in its own session (setsid), accepting and closing
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            NetnsLab.Spawned listeners = lab.spawn(ns, "setsid", java, "-cp", System.getProperty("java.class.path"),
                    BenchListeners.class.getName(), Integer.toString(LISTENERS), "8000");
            Await.until("listeners up", Duration.ofSeconds(30), () -> listeners.output().contains("listening"));
            CompletableFuture<String> result = new CompletableFuture<>();
            Thread t = new Thread(() -> {
                try {
                    NetNs.enter(ns);
                    result.complete(run(ns));
                } catch (Throwable e) {
                    result.completeExceptionally(e);
                }
            }, "bench-main");
            t.start();
            String report = result.get() + loadAverage();
            System.out.println(report);
            Files.writeString(Path.of("target", "bench-healthcheck.txt"), report);
        }
    }

    private static String run(String ns) throws Exception {
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < LISTENERS; i++) {
            ports.add(8000);
        }
        CheckOptions o = CheckOptions.DEFAULTS.withDelayLoop(Duration.ofSeconds(1)).withRetry(1)
                .withDelayBeforeRetry(Duration.ofSeconds(1)).withConnectTimeout(Duration.ofSeconds(2))
                .withWarmup(Duration.ofSeconds(1));
        List<VirtualServerCheckSpec> vss = new ArrayList<>();
        for (int l = 0; l < LISTENERS; l++) {
            List<RealServerCheckSpec> rss = new ArrayList<>();
            for (int s = 0; s < SOURCES; s++) {
                // distinct checks: same listener, different bindto source, so nothing is shared
                CheckSpec tcp = new CheckSpec.Tcp(o.withBindTo(Endpoint.literal("127.0.1." + (1 + s)))
                        .withConnectIp(Endpoint.literal("127.0.0." + (1 + l))).withConnectPort(ports.get(l)));
                rss.add(RealServerCheckSpec.of(Endpoint.of("10.2." + l + "." + (1 + s), 80), tcp));
            }
            vss.add(new VirtualServerCheckSpec(Endpoint.of("10.3.0." + (1 + l), 80), Protocol.TCP, 1, 0, null, null,
                    null, false, false, rss));
        }
        AtomicLongArray hist = new AtomicLongArray(BUCKETS);
        AtomicLong measuring = new AtomicLong();
        AtomicLong max = new AtomicLong();
        AtomicLong downs = new AtomicLong();
        HealthCheckContext ctx = new HealthCheckContext().virtualServers(vss).ioThreads(2)
                .threadFactory(r -> new Thread(() -> {
                    NetNs.enter(ns);
                    r.run();
                }))
                .listener((vs, rs, up, w) -> {
                    if (!up) {
                        downs.incrementAndGet();
                    }
                })
                .startObserver(late -> {
                    if (measuring.get() == 1) {
                        hist.incrementAndGet((int) Math.min(BUCKETS - 1, Math.max(0, late) / BUCKET_NS));
                        max.accumulateAndGet(late, Math::max);
                    }
                });
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        HealthCheckHandle h = HealthChecks.launch(ctx);
        try {
            Await.pause(WARM_SECONDS * 1000L);
            long attempts0 = h.attempts();
            long cpu0 = os.getProcessCpuTime();
            long hc0 = hcThreadsCpu(threads);
            long hcUser0 = hcThreadsUser(threads);
            long t0 = System.nanoTime();
            measuring.set(1);
            Await.pause(SECONDS * 1000L);
            measuring.set(0);
            long wall = System.nanoTime() - t0;
            long cpu = os.getProcessCpuTime() - cpu0;
            long hcCpu = hcThreadsCpu(threads) - hc0;
            long hcUser = hcThreadsUser(threads) - hcUser0;
            long attempts = h.attempts() - attempts0;
            long n = 0;
            for (int i = 0; i < BUCKETS; i++) {
                n += hist.get(i);
            }
            long late10 = countAbove(hist, 10_000_000L);
            long late100 = countAbove(hist, 100_000_000L);
            return String.format(
                    "healthcheck scale: %d TCP checks (%d shared) delay_loop 1 s, %d s measured, %s transport, 2 "
                            + "event-loop threads%n"
                            + "attempts started: %d (%.0f/s, expected ~%d/s)%n"
                            + "start lateness: p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms; "
                            + "> 10 ms: %d, > 100 ms: %d of %d%n"
                            + "CPU: checker process %.2f s per s (%.0f%% of one core), check threads"
                            + " %.2f s per s (%.0f%% of one core), %.1f us of check-thread CPU per attempt (%.0f%% in the kernel)%n"
                            + "real servers reported down: %d%n",
                    h.checkers(), h.sharedChecks(), SECONDS, h.transport(), attempts, attempts * 1e9 / wall,
                    h.sharedChecks(), pct(hist, n, 0.50), pct(hist, n, 0.99), pct(hist, n, 0.999),
                    max.get() / 1e6, late10, late100, n, cpu / (double) wall, 100.0 * cpu / wall,
                    hcCpu / (double) wall, 100.0 * hcCpu / wall, hcCpu / 1e3 / Math.max(1, attempts),
                    100.0 * (hcCpu - hcUser) / Math.max(1, hcCpu), downs.get());
        } finally {
            h.close();
        }
    }

    /** Control: the same number of timers on a bare Netty epoll loop doing no I/O, to separate the machine's load. */
    @Test
    void bareLoopTimers() throws Exception {
        MultiThreadIoEventLoopGroup g = new MultiThreadIoEventLoopGroup(2, EpollIoHandler.newFactory());
        AtomicLongArray hist = new AtomicLongArray(BUCKETS);
        AtomicLong measuring = new AtomicLong();
        int n = LISTENERS * SOURCES;
        for (int i = 0; i < n; i++) {
            io.netty.channel.EventLoop loop = g.next();
            long first = (long) (Math.random() * 1e9);
            Runnable[] task = new Runnable[1];
            long[] due = {System.nanoTime() + first};
            task[0] = () -> {
                long now = System.nanoTime();
                if (measuring.get() == 1) {
                    hist.incrementAndGet((int) Math.min(BUCKETS - 1, Math.max(0, now - due[0]) / BUCKET_NS));
                }
                due[0] = now + 1_000_000_000L;
                loop.schedule(task[0], 1_000_000_000L, java.util.concurrent.TimeUnit.NANOSECONDS);
            };
            loop.schedule(task[0], first, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
        Await.pause(2000);
        measuring.set(1);
        Await.pause(SECONDS * 1000L);
        measuring.set(0);
        long c = 0;
        for (int i = 0; i < BUCKETS; i++) {
            c += hist.get(i);
        }
        String r = String.format("bare loop: %d timers at 1 s: p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms of %d%n", n,
                pct(hist, c, 0.5), pct(hist, c, 0.99), pct(hist, c, 0.999), c) + loadAverage();
        System.out.println(r);
        Files.writeString(Path.of("target", "bench-healthcheck-bare.txt"), r);
        g.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static String loadAverage() {
        try {
            return "load average (1/5/15 min) at the end: " + Files.readString(Path.of("/proc/loadavg")).strip()
                    + System.lineSeparator();
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static long hcThreadsUser(ThreadMXBean threads) {
        long sum = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("fulcrum-hc-")) {
                long c = threads.getThreadUserTime(t.threadId());
                if (c > 0) {
                    sum += c;
                }
            }
        }
        return sum;
    }

    private static long hcThreadsCpu(ThreadMXBean threads) {
        long sum = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("fulcrum-hc-")) {
                long c = threads.getThreadCpuTime(t.threadId());
                if (c > 0) {
                    sum += c;
                }
            }
        }
        return sum;
    }

    private static long countAbove(AtomicLongArray hist, long ns) {
        long c = 0;
        for (int i = (int) (ns / BUCKET_NS) + 1; i < BUCKETS; i++) {
            c += hist.get(i);
        }
        return c;
    }

    private static double pct(AtomicLongArray hist, long n, double q) {
        long target = (long) Math.ceil(n * q);
        long c = 0;
        for (int i = 0; i < BUCKETS; i++) {
            c += hist.get(i);
            if (c >= target) {
                return (i + 1) * BUCKET_NS / 1e6;
            }
        }
        return Double.NaN;
    }
}

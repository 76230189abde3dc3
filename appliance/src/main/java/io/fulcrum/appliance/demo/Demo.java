package io.fulcrum.appliance.demo;

import io.fulcrum.netlink.NetNs;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code fulcrum demo}: runs a two-node HA pair in network namespaces on an embedded configuration (a client, two LB
 * nodes running the full Fulcrum daemon, three real servers running a tiny HTTP server, all on one segment; FullNAT
 * service on a VRRPv3 VIP with {@code advert_int 0.1}), sends new HTTP connections through the VIP, SIGKILLs the
 * MASTER and prints what happened, measured: who became MASTER and when, how many requests failed, the outage.
 * {@code --keep} leaves the lab up; {@code fulcrum demo down} removes it.
 *
 * <p>Called once on the main thread; a shutdown hook removes the lab on Ctrl-C.
 */
public final class Demo {

    /** Where the lab keeps its files. */
    public static final Path DIR = Path.of("/tmp/fulcrum-demo");
    /** The virtual address. */
    public static final String VIP = DemoLab.NET + "100";
    /** The FullNAT local address (moves with the VIP). */
    public static final String LIP = DemoLab.NET + "200";
    /** lb2's FullNAT local address. */
    public static final String LIP2 = DemoLab.NET + "201";
    static final int REQUEST_EVERY_MS = 10;
    static final int REQUESTS = 600;
    static final int KILL_AFTER_MS = 2000;
    static final int CONNECT_TIMEOUT_MS = 300;

    private static final Pattern MASTER_EVENT = Pattern.compile(
            "\\{\"time\":\"([^\"]+)\",\"event\":\"vrrp_instance\",\"instance\":\"VI_1\",\"state\":\"MASTER\"");

    private Demo() {
    }

    /** The embedded configuration: one file for both nodes ({@code -i lb1} / {@code -i lb2}). */
    public static String config() {
        StringBuilder rs = new StringBuilder();
        for (int i = 1; i <= 3; i++) {
            rs.append("""
                        real_server %s 80 {
                            weight 1
                            TCP_CHECK {
                                connect_timeout 1
                            }
                        }
                    """.formatted(DemoLab.NET + (20 + i)));
        }
        return """
                ! Fulcrum demo: two LB nodes, FullNAT, VRRPv3 advert_int 0.1
                global_defs {
                    @lb1 router_id lb1
                    @lb2 router_id lb2
                    vrrp_garp_master_delay 0
                    vrrp_garp_master_repeat 3
                }
                ! one local address per node: a new MASTER never reuses the other node's (local address, port) pairs,
                ! which the real servers may still hold in TIME_WAIT
                local_address_group laddr {
                    @lb1 %s eth0
                    @lb2 %s eth0
                }
                vrrp_instance VI_1 {
                    @lb1 state MASTER
                    @lb2 state BACKUP
                    interface eth0
                    virtual_router_id 77
                    @lb1 priority 150
                    @lb2 priority 100
                    version 3
                    advert_int 0.1
                    virtual_ipaddress {
                        %s/24 dev eth0
                    }
                }
                virtual_server %s 80 {
                    delay_loop 1
                    lb_algo rr
                    lb_kind FNAT
                    protocol TCP
                    laddr_group_name laddr
                %s}
                """.formatted(LIP, LIP2, VIP, VIP, rs);
    }

    /** The demo's tuning: AF_XDP where the kernel allows it (else AF_PACKET), one worker, a small connection table. */
    public static String tuning() {
        return """
                fulcrum.dataplane {
                  io-mode = auto
                  workers = 1
                  conn-table-capacity = 65536
                }
                """;
    }

    /** Runs {@code fulcrum demo [--keep] | down}; returns the exit status. */
    public static int run(String[] args) {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                StandardCharsets.UTF_8);
        boolean keep = false;
        for (String a : args) {
            switch (a) {
                case "down" -> {
                    DemoLab.down(DIR);
                    out.println("demo: lab removed");
                    return 0;
                }
                case "--keep" -> keep = true;
                case "-h", "--help" -> {
                    out.println("usage: fulcrum demo [--keep] | fulcrum demo down");
                    return 0;
                }
                default -> {
                    out.println("fulcrum demo: unknown argument '" + a + "'; usage: fulcrum demo [--keep] | down");
                    return 64;
                }
            }
        }
        if (ProcessHandle.current().info().user().map(u -> !u.equals("root")).orElse(false)) {
            out.println("fulcrum demo: needs root (network namespaces)");
            return 1;
        }
        if (DemoLab.exists()) {
            out.println("demo: removing the previous lab");
            DemoLab.down(DIR);
        }
        boolean keepLab = keep;
        Thread hook = Thread.ofPlatform().unstarted(() -> {
            if (!keepLab) {
                out.println();
                out.println("demo: interrupted; removing the lab");
                DemoLab.down(DIR);
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return new Demo.Run(out, keep).go();
        } catch (Exception e) {
            out.println("demo: failed: " + e.getMessage());
            out.println("demo: logs are in " + DIR);
            return 1;
        } finally {
            if (!keep) {
                DemoLab.down(DIR);
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down
            }
        }
    }

    /**
     * Daemon threads inside the client namespace; a thread that cannot enter it (the lab was removed under it after
     * Ctrl-C) ends quietly.
     */
    static java.util.concurrent.ThreadFactory clientThreads() {
        return task -> Thread.ofPlatform().name("demo-client").daemon(true)
                .uncaughtExceptionHandler((t, e) -> { })
                .unstarted(() -> {
                    NetNs.enter(DemoLab.ns("client"));
                    task.run();
                });
    }

    /** One request's outcome: start offset from the traffic start, success, backend or error. */
    record Outcome(long startMs, boolean ok, String backend) {
    }

    /** One run of the demo. */
    static final class Run {
        private final PrintStream out;
        private final boolean keep;
        private final long t0 = System.nanoTime();
        private final DemoLab lab = new DemoLab(DIR);

        Run(PrintStream out, boolean keep) {
            this.out = out;
            this.keep = keep;
        }

        private double now() {
            return (System.nanoTime() - t0) / 1e9;
        }

        private void say(String fmt, Object... a) {
            out.printf("[%7.3f] %s%n", now(), String.format(fmt, a));
        }

        private static List<String> java(String main, String... args) {
            String javaBin = ProcessHandle.current().info().command().orElse("java");
            List<String> cmd = new ArrayList<>(List.of(javaBin, "--enable-native-access=ALL-UNNAMED", "-Xmx64m",
                    "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), main));
            cmd.addAll(List.of(args));
            return cmd;
        }

        int go() throws Exception {
            say("building the lab: client, lb1, lb2, rs1..rs3 on one segment (namespaces %s*)", DemoLab.PREFIX);
            lab.up();
            Files.writeString(DIR.resolve("fulcrum.conf"), config());
            Files.writeString(DIR.resolve("tuning.hocon"), tuning());
            for (int i = 1; i <= 3; i++) {
                lab.spawn("rs" + i, "rs" + i, java(DemoHttpServer.class.getName(), DemoLab.NET + (20 + i), "80",
                        "rs" + i));
            }
            for (int i = 1; i <= 3; i++) {
                awaitLine(DIR.resolve("rs" + i + ".log"), "listening", 20_000);
            }
            say("real servers rs1..rs3 answer HTTP on %s21-23:80", DemoLab.NET);
            long lbStart = System.nanoTime();
            Process lb1 = startLb("lb1");
            Process lb2 = startLb("lb2");
            awaitLine(DIR.resolve("lb1.log"), "Entering MASTER STATE", 30_000);
            long ready = awaitServed(30_000);
            say("lb1 is MASTER and serves %s:80 (cold start to the first response through the VIP: %d ms)", VIP,
                    (ready - lbStart) / 1_000_000);
            say("lb2 is %s", lbState("lb2"));
            say("each LB runs the full daemon (VRRP, health checks, dataplane); %s", dataplaneLine("lb1"));

            say("traffic: a new HTTP connection every %d ms, %d in all; SIGKILL of the MASTER after %d ms",
                    REQUEST_EVERY_MS, REQUESTS, KILL_AFTER_MS);
            long[] killAt = new long[2];
            List<Outcome> results = traffic(() -> {
                killAt[0] = System.nanoTime();
                killAt[1] = System.currentTimeMillis();
                lb1.destroyForcibly();
            });
            long killMs = (killAt[0] - trafficT0) / 1_000_000;
            Instant masterAt = masterEventTime(DIR.resolve("lb2.log"));
            boolean pass = report(results, killMs, killAt[1], masterAt, lb1.pid());
            if (keep) {
                out.println();
                out.println("The lab stays up (--keep). lb2 is MASTER; lb1 was killed. Try:");
                out.println("  ip netns exec fkdemo-client curl -s http://" + VIP + "/");
                out.println("  cat " + DIR + "/lb2.log");
                out.println("  kill -USR1 $(cat " + DIR + "/lb2.pid); cat " + DIR + "/lb2/keepalived.data");
                if (Files.exists(DIR.resolve("lb2").resolve("fulcrum.sock"))) {
                    out.println("  fulcrumadm --control-socket " + DIR + "/lb2/fulcrum.sock -L -n");
                }
                out.println("  fulcrum demo down      # removes it");
            } else {
                lb2.destroy();
                lb2.waitFor(5, TimeUnit.SECONDS);
                say("lab removed (use --keep to explore it)");
            }
            return pass ? 0 : 3;
        }

        private Process startLb(String name) throws IOException {
            Path run = DIR.resolve(name);
            Files.createDirectories(run);
            return lab.spawn(name, name, java("io.fulcrum.appliance.Fulcrum", "-l", "-i", name,
                    "-f", DIR.resolve("fulcrum.conf").toString(), "--tuning", DIR.resolve("tuning.hocon").toString(),
                    "-p", run.resolve("fulcrum.pid").toString(), "--run-dir", run.toString(),
                    "--control-socket", run.resolve("fulcrum.sock").toString()));
        }

        /** The dataplane's own start-up line from a node's log (what is really forwarding). */
        private String dataplaneLine(String name) throws IOException {
            return Files.readString(DIR.resolve(name + ".log")).lines()
                    .filter(l -> l.contains("dataplane: ready on"))
                    .map(l -> name + "'s " + l.substring(l.indexOf("dataplane: ready on")))
                    .findFirst().orElse(name + "'s dataplane did not report ready");
        }

        private String lbState(String name) throws IOException {
            String log = Files.readString(DIR.resolve(name + ".log"));
            int m = log.lastIndexOf("Entering MASTER STATE");
            int b = log.lastIndexOf("Entering BACKUP STATE");
            return m > b ? "MASTER" : b >= 0 ? "BACKUP" : "starting";
        }

        private long trafficT0;

        /** Sends the requests from the client namespace; runs {@code kill} after {@link #KILL_AFTER_MS}. */
        private List<Outcome> traffic(Runnable kill) throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(48, clientThreads());
            try {
                List<Future<Outcome>> futures = new ArrayList<>();
                trafficT0 = System.nanoTime();
                boolean killed = false;
                for (int i = 0; i < REQUESTS; i++) {
                    long due = trafficT0 + (long) i * REQUEST_EVERY_MS * 1_000_000L;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    if (!killed && (long) i * REQUEST_EVERY_MS >= KILL_AFTER_MS) {
                        kill.run();
                        killed = true;
                        say("SIGKILL lb1 (the MASTER)");
                    }
                    futures.add(pool.submit(() -> request(trafficT0)));
                }
                List<Outcome> out = new ArrayList<>();
                for (Future<Outcome> f : futures) {
                    out.add(f.get(10, TimeUnit.SECONDS));
                }
                return out;
            } finally {
                pool.shutdownNow();
            }
        }

        private static Outcome request(long t0) {
            long start = (System.nanoTime() - t0) / 1_000_000;
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(VIP, 80), CONNECT_TIMEOUT_MS);
                s.setSoTimeout(1000);
                OutputStream o = s.getOutputStream();
                o.write(("GET / HTTP/1.0\r\nHost: " + VIP + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                o.flush();
                InputStream in = s.getInputStream();
                String resp = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
                String[] lines = resp.strip().split("\r?\n");
                boolean ok = resp.startsWith("HTTP/1.") && resp.contains(" 200 ");
                return new Outcome(start, ok, ok ? lines[lines.length - 1].strip() : "bad response");
            } catch (IOException e) {
                return new Outcome(start, false, e.getClass().getSimpleName());
            }
        }

        private long awaitServed(long limitMs) throws Exception {
            long deadline = System.nanoTime() + limitMs * 1_000_000L;
            ExecutorService one = Executors.newSingleThreadExecutor(clientThreads());
            try {
                while (System.nanoTime() < deadline) {
                    Outcome o = one.submit(() -> request(System.nanoTime())).get(5, TimeUnit.SECONDS);
                    if (o.ok()) {
                        return System.nanoTime();
                    }
                    TimeUnit.MILLISECONDS.sleep(20);
                }
            } finally {
                one.shutdownNow();
            }
            throw new IllegalStateException("no response through the VIP within " + limitMs + " ms");
        }

        /** Prints the outcome; returns whether traffic flowed again through the other node. */
        private boolean report(List<Outcome> r, long killMs, long killWallMs, Instant masterAt, long lb1Pid) {
            long ok = r.stream().filter(Outcome::ok).count();
            long lastOkBefore = r.stream().filter(o -> o.ok() && o.startMs() < killMs).mapToLong(Outcome::startMs)
                    .max().orElse(-1);
            long firstOkAfter = r.stream().filter(o -> o.ok() && o.startMs() >= killMs).mapToLong(Outcome::startMs)
                    .min().orElse(-1);
            List<Outcome> failed = r.stream().filter(o -> !o.ok()).toList();
            Map<String, Integer> by = new TreeMap<>();
            r.stream().filter(Outcome::ok).forEach(o -> by.merge(o.backend(), 1, Integer::sum));
            Map<String, Integer> errors = new TreeMap<>();
            failed.forEach(o -> errors.merge(o.backend(), 1, Integer::sum));
            out.println();
            out.println("What happened:");
            out.printf("  lb1 (pid %d, MASTER) was killed with SIGKILL at t=%d ms of the traffic%n", lb1Pid, killMs);
            if (masterAt != null) {
                out.printf("  lb2 became MASTER %d ms after the kill (its JSON state-change line)%n",
                        masterAt.toEpochMilli() - killWallMs);
            } else {
                out.println("  lb2 did NOT become MASTER (see " + DIR + "/lb2.log)");
            }
            out.printf("  requests: %d sent, %d answered, %d failed%s%n", r.size(), ok, failed.size(),
                    errors.isEmpty() ? "" : " " + errors);
            if (!failed.isEmpty()) {
                out.printf("  failed requests were started between t=%d and t=%d ms%n", failed.getFirst().startMs(),
                        failed.getLast().startMs());
            }
            long lastFailAfter = failed.stream().filter(o -> o.startMs() >= killMs).mapToLong(Outcome::startMs)
                    .max().orElse(-1);
            if (firstOkAfter >= 0) {
                long back = Math.max(firstOkAfter, lastFailAfter < 0 ? 0 : lastFailAfter + REQUEST_EVERY_MS) - killMs;
                out.printf("  measured outage: %d ms from the kill until new connections were answered again through"
                        + " lb2%n", back);
                out.printf("    (first answered request after the kill started %d ms after it; last failed one %s;"
                        + " last answer before the kill: request started at t=%d ms)%n", firstOkAfter - killMs,
                        lastFailAfter < 0 ? "none" : "started " + (lastFailAfter - killMs) + " ms after it",
                        lastOkBefore);
            } else {
                out.println("  measured outage: no request was answered after the kill");
            }
            out.println("  answers by real server: " + by);
            return firstOkAfter >= 0 && masterAt != null;
        }

        private static Instant masterEventTime(Path log) throws IOException {
            Instant last = null;
            Matcher m = MASTER_EVENT.matcher(Files.readString(log));
            while (m.find()) {
                last = Instant.parse(m.group(1));
            }
            return last;
        }

        private static void awaitLine(Path file, String text, long limitMs) throws Exception {
            long deadline = System.nanoTime() + limitMs * 1_000_000L;
            while (System.nanoTime() < deadline) {
                if (Files.exists(file) && Files.readString(file).contains(text)) {
                    return;
                }
                TimeUnit.MILLISECONDS.sleep(20);
            }
            throw new IllegalStateException("'" + text + "' did not appear in " + file + " within " + limitMs + " ms");
        }
    }
}

package io.fulcrum.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A set of network namespaces, veth pairs, bridges and processes built for one test, removed on {@link #close()}.
 *
 * <p>Every namespace is named {@code fk<id>-<role>} so a leftover is easy to spot (and {@code scripts/lab-clean}
 * removes it). Processes are started through {@link #spawn} and ended by their own PID on close, also when the test
 * failed; a JVM shutdown hook closes labs a crashed test left open. Not thread-safe: use a lab from one test thread.
 */
public final class NetnsLab implements AutoCloseable {

    private static final Set<NetnsLab> OPEN = ConcurrentHashMap.newKeySet();
    private static final SecureRandom RANDOM = new SecureRandom();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (NetnsLab lab : List.copyOf(OPEN)) {
                lab.close();
            }
        }, "netns-lab-cleanup"));
    }

    private final String id;
    private final Set<String> namespaces = new LinkedHashSet<>();
    private final List<Spawned> processes = new ArrayList<>();
    private final Path workDir;
    private boolean closed;

    /** A process started in a namespace, with its output in a file. */
    public record Spawned(String ns, Process process, Path log) {

        /** The process's PID. */
        public long pid() {
            return process.pid();
        }

        /** The output written so far (stdout and stderr together). */
        public String output() {
            try {
                return Files.exists(log) ? Files.readString(log) : "";
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Sends SIGKILL to the process (by PID) and waits for it to end. */
        public void kill() {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private NetnsLab(String id) {
        this.id = id;
        try {
            this.workDir = Files.createTempDirectory("fk" + id + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        OPEN.add(this);
    }

    /** Creates an empty lab with a fresh random id. */
    public static NetnsLab create() {
        String alphabet = "abcdefghijkmnpqrstuvwxyz23456789";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return new NetnsLab(sb.toString());
    }

    /** This lab's id, part of every namespace name. */
    public String id() {
        return id;
    }

    /** A scratch directory for this lab's files (configs, logs); deleted on close. */
    public Path workDir() {
        return workDir;
    }

    /** The full namespace name for {@code role}. */
    public String nsName(String role) {
        return "fk" + id + "-" + role;
    }

    /** Creates namespace {@code role} with loopback up, and returns its full name. */
    public String ns(String role) {
        String name = nsName(role);
        if (namespaces.add(name)) {
            Cmd.ok("ip", "netns", "add", name);
            exec(name, "ip", "link", "set", "lo", "up").orThrow();
            sysctl(name, "net.ipv6.conf.all.accept_dad", "0");
            sysctl(name, "net.ipv6.conf.default.accept_dad", "0");
        }
        return name;
    }

    /** Sets a sysctl inside a namespace (best effort for keys this kernel lacks). */
    public void sysctl(String ns, String key, String value) {
        exec(ns, "sysctl", "-qw", key + "=" + value);
    }

    /**
     * Creates a veth pair with one end {@code ifA} in namespace {@code nsA} and the other {@code ifB} in {@code nsB}
     * (full names), both up. Transmit checksum offload is turned off on both ends so frames carry full checksums,
     * as from a real NIC.
     */
    public void veth(String nsA, String ifA, String nsB, String ifB) {
        Cmd.ok("ip", "link", "add", ifA, "netns", nsA, "type", "veth", "peer", "name", ifB, "netns", nsB);
        for (String[] end : new String[][] {{nsA, ifA}, {nsB, ifB}}) {
            exec(end[0], "ethtool", "-K", end[1], "tx", "off");
            exec(end[0], "ip", "link", "set", end[1], "up").orThrow();
        }
    }

    /** Creates a bridge {@code br} in namespace {@code ns} (full name) and brings it up. */
    public void bridge(String ns, String br) {
        exec(ns, "ip", "link", "add", br, "type", "bridge", "forward_delay", "0").orThrow();
        exec(ns, "ip", "link", "set", br, "type", "bridge", "stp_state", "0").orThrow();
        exec(ns, "ip", "link", "set", br, "up").orThrow();
    }

    /**
     * Connects namespace {@code host} to the bridge {@code br} in namespace {@code sw} through a veth pair:
     * {@code hostIf} in the host, {@code portIf} enslaved to the bridge.
     */
    public void plug(String host, String hostIf, String sw, String br, String portIf) {
        veth(host, hostIf, sw, portIf);
        exec(sw, "ip", "link", "set", portIf, "master", br).orThrow();
    }

    /** Adds an address (CIDR notation) to an interface in a namespace. */
    public void addr(String ns, String ifName, String cidr) {
        String[] cmd = cidr.contains(":")
                ? new String[] {"ip", "-6", "addr", "add", cidr, "dev", ifName, "nodad"}
                : new String[] {"ip", "addr", "add", cidr, "dev", ifName};
        exec(ns, cmd).orThrow();
    }

    /** Runs a command inside a namespace with a 60 s limit. */
    public Cmd.Result exec(String ns, String... command) {
        return Cmd.run(Duration.ofSeconds(60), Cmd.inNs(ns, command));
    }

    /** Runs a command inside a namespace with the given limit. */
    public Cmd.Result exec(Duration limit, String ns, String... command) {
        return Cmd.run(limit, Cmd.inNs(ns, command));
    }

    /** Starts a long-running process inside a namespace; its output goes to a log file in {@link #workDir()}. */
    public Spawned spawn(String ns, String... command) {
        return spawn(ns, List.of(), command);
    }

    /** Starts a process inside a namespace with extra environment entries ({@code KEY=VALUE}). */
    public Spawned spawn(String ns, List<String> env, String... command) {
        Path log = workDir.resolve("proc-" + processes.size() + "-" + Path.of(command[0]).getFileName() + ".log");
        // Default signal dispositions: a test run started under nohup (SIGHUP ignored) must not pass that on, or a
        // daemon's SIGHUP reload could not be installed (the JVM keeps a signal ignored that was ignored at start).
        List<String> full = new ArrayList<>(List.of("env", "--default-signal"));
        full.addAll(List.of(command));
        ProcessBuilder pb = new ProcessBuilder(Cmd.inNs(ns, full.toArray(String[]::new)));
        for (String e : env) {
            int eq = e.indexOf('=');
            pb.environment().put(e.substring(0, eq), e.substring(eq + 1));
        }
        pb.redirectErrorStream(true);
        pb.redirectOutput(log.toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        try {
            Spawned s = new Spawned(ns, pb.start(), log);
            processes.add(s);
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", command) + " in " + ns, e);
        }
    }

    /** The namespaces created so far (full names). */
    public List<String> namespaces() {
        return Collections.unmodifiableList(new ArrayList<>(namespaces));
    }

    /** Ends every spawned process by PID, then any other process left in the lab's namespaces, then the namespaces. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        OPEN.remove(this);
        for (Spawned s : processes) {
            if (s.process().isAlive()) {
                s.kill();
            }
        }
        for (String ns : namespaces) {
            Cmd.Result pids = Cmd.run("ip", "netns", "pids", ns);
            for (String pid : pids.stdout().split("\\s+")) {
                if (!pid.isBlank()) {
                    ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        }
        for (String ns : namespaces) {
            Cmd.run("ip", "netns", "del", ns);
        }
        deleteTree(workDir);
    }

    private static void deleteTree(Path dir) {
        if (System.getenv("FULCRUM_KEEP_LAB_LOGS") != null) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }
}

package io.fulcrum.appliance.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The demo's network: namespaces {@code fkdemo-client}, {@code fkdemo-lb1}, {@code fkdemo-lb2} and
 * {@code fkdemo-rs1..3} on one Ethernet segment (a bridge in {@code fkdemo-sw}), built and removed with
 * {@code ip(8)}; child processes (real servers, the two daemons) are started inside them with {@code ip netns exec}
 * and recorded by PID in the lab directory so {@code fulcrum demo down} (or {@code scripts/lab-clean}) removes
 * everything later. Transmit checksum offload is off on every veth (the dataplane needs full checksums, see report).
 *
 * <p>Used by the demo's main thread (and its shutdown hook); not thread-safe.
 */
public final class DemoLab {

    /** Namespace prefix ({@code scripts/lab-clean} removes {@code fk*}). */
    public static final String PREFIX = "fkdemo-";
    /** The segment's prefix length. */
    public static final String NET = "10.77.0.";
    /** Client, LB and real-server roles with their addresses. */
    public static final List<String[]> HOSTS = List.of(
            new String[]{"client", NET + "10"},
            new String[]{"lb1", NET + "2"},
            new String[]{"lb2", NET + "3"},
            new String[]{"rs1", NET + "21"},
            new String[]{"rs2", NET + "22"},
            new String[]{"rs3", NET + "23"});

    private final Path dir;
    private final String prefix;
    private final List<Process> children = new ArrayList<>();

    /** The demo's lab: namespaces {@code fkdemo-*}, files (config, logs, PIDs) in {@code dir}. */
    public DemoLab(Path dir) {
        this(dir, PREFIX);
    }

    /** A lab with its own namespace prefix (tests use {@code fk<id>-}) so it cannot collide with the demo. */
    public DemoLab(Path dir, String prefix) {
        this.dir = dir;
        this.prefix = prefix;
    }

    /** The full namespace name of a role in this lab. */
    public String name(String role) {
        return prefix + role;
    }

    /** The lab directory. */
    public Path dir() {
        return dir;
    }

    /** The full namespace name of a role in the demo's lab. */
    public static String ns(String role) {
        return PREFIX + role;
    }

    /** Runs a command (10 s limit); throws {@link IllegalStateException} with its output when it fails. */
    static String run(String... cmd) {
        return run(Duration.ofSeconds(10), true, cmd);
    }

    static String run(Duration limit, boolean check, String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", cmd) + ": timed out");
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (check && p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + ": exit " + p.exitValue() + ": " + out.strip());
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", cmd) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Whether any demo namespace exists. */
    public static boolean exists() {
        return run(Duration.ofSeconds(10), false, "ip", "netns", "list").lines()
                .anyMatch(l -> l.startsWith(PREFIX));
    }

    /** Creates the namespaces, the bridge and the addresses. */
    public void up() throws IOException {
        Files.createDirectories(dir);
        String sw = name("sw");
        run("ip", "netns", "add", sw);
        run("ip", "-n", sw, "link", "add", "br0", "type", "bridge", "forward_delay", "0");
        run("ip", "-n", sw, "link", "set", "br0", "up");
        run("ip", "-n", sw, "link", "set", "lo", "up");
        for (String[] h : HOSTS) {
            String n = name(h[0]);
            run("ip", "netns", "add", n);
            run("ip", "link", "add", "eth0", "netns", n, "type", "veth", "peer", "name", "p-" + h[0], "netns", sw);
            run(Duration.ofSeconds(10), false, "ip", "netns", "exec", n, "ethtool", "-K", "eth0", "tx", "off");
            run(Duration.ofSeconds(10), false, "ip", "netns", "exec", sw, "ethtool", "-K", "p-" + h[0], "tx", "off");
            run("ip", "-n", sw, "link", "set", "p-" + h[0], "master", "br0", "up");
            run("ip", "-n", n, "addr", "add", h[1] + "/24", "dev", "eth0");
            run("ip", "-n", n, "link", "set", "eth0", "up");
            run("ip", "-n", n, "link", "set", "lo", "up");
        }
    }

    /**
     * Starts {@code command} inside the namespace of {@code role}, output to {@code DIR/NAME.log}, PID recorded in
     * {@code DIR/NAME.pid}.
     */
    public Process spawn(String role, String name, List<String> command) throws IOException {
        // Default signal dispositions: a demo (or test) started under nohup must not pass an ignored SIGHUP on to the
        // daemons, whose JVM could then not install its reload handler.
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", name(role), "env", "--default-signal"));
        cmd.addAll(command);
        Path log = dir.resolve(name + ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        p.getOutputStream().close();
        Files.writeString(dir.resolve(name + ".pid"), p.pid() + "\n");
        children.add(p);
        return p;
    }

    /**
     * Removes everything: kills the recorded child processes by PID (SIGKILL), every process left in a demo
     * namespace, and deletes the namespaces. Safe to call twice and on a half-built lab.
     */
    public static void down(Path dir) {
        down(dir, PREFIX);
    }

    /** Like {@link #down(Path)} for a lab with its own namespace prefix. */
    public static void down(Path dir, String prefix) {
        if (Files.isDirectory(dir)) {
            try (var files = Files.list(dir)) {
                for (Path f : files.filter(x -> x.toString().endsWith(".pid")).toList()) {
                    try {
                        long pid = Long.parseLong(Files.readString(f).strip());
                        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                    } catch (IOException | NumberFormatException e) {
                        // ignore a damaged pid file
                    }
                }
            } catch (IOException e) {
                // nothing to kill
            }
        }
        for (String line : run(Duration.ofSeconds(10), false, "ip", "netns", "list").lines().toList()) {
            String n = line.split(" ")[0];
            if (!n.startsWith(prefix)) {
                continue;
            }
            for (String pid : run(Duration.ofSeconds(10), false, "ip", "netns", "pids", n).lines().toList()) {
                try {
                    ProcessHandle.of(Long.parseLong(pid.strip())).ifPresent(ProcessHandle::destroyForcibly);
                } catch (NumberFormatException e) {
                    // not a pid
                }
            }
        }
        for (String line : run(Duration.ofSeconds(10), false, "ip", "netns", "list").lines().toList()) {
            String n = line.split(" ")[0];
            if (n.startsWith(prefix)) {
                run(Duration.ofSeconds(10), false, "ip", "netns", "del", n);
            }
        }
    }
}

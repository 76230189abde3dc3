package io.fulcrum.vrrp.kernel;

import io.fulcrum.testkit.Await;
import io.fulcrum.testkit.NetnsLab;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * keepalived from Debian's package, run with {@code --vrrp} inside a lab namespace with its own config and pid files
 * (never the host's), its log read for state lines.
 */
final class KeepalivedPeer implements AutoCloseable {

    final NetnsLab lab;
    final String ns;
    final String name;
    private NetnsLab.Spawned proc;
    private int generation;

    KeepalivedPeer(NetnsLab lab, String ns, String name) {
        this.lab = lab;
        this.ns = ns;
        this.name = name;
    }

    /** One instance block body (without the braces) plus optional global_defs lines. */
    void start(String instanceBody) {
        start("", instanceBody);
    }

    void start(String globals, String instanceBody) {
        generation++;
        Path dir = lab.workDir().resolve("ka-" + name + "-" + generation);
        try {
            Files.createDirectories(dir);
            String conf = "global_defs {\n  router_id " + name + "\n  vrrp_garp_master_delay 0\n"
                    + "  vrrp_garp_master_repeat 1\n" + globals + "}\n"
                    + "vrrp_instance VI_1 {\n" + instanceBody + "\n}\n";
            Files.writeString(dir.resolve("keepalived.conf"), conf);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        proc = lab.spawn(ns, "keepalived", "-n", "-l", "-D", "--vrrp",
                "-f", dir.resolve("keepalived.conf").toString(),
                "-p", dir.resolve("keepalived.pid").toString(),
                "-r", dir.resolve("vrrp.pid").toString(),
                "-c", dir.resolve("checkers.pid").toString(),
                "-i", name + generation);
    }

    String log() {
        return proc == null ? "" : proc.output();
    }

    /** Whether the last line mentioning an entered state says {@code state}. */
    String state() {
        String log = log();
        int m = log.lastIndexOf("Entering MASTER STATE");
        int b = log.lastIndexOf("Entering BACKUP STATE");
        int f = log.lastIndexOf("Entering FAULT STATE");
        int max = Math.max(m, Math.max(b, f));
        if (max < 0) {
            return "INIT";
        }
        return max == m ? "MASTER" : max == b ? "BACKUP" : "FAULT";
    }

    void awaitState(String state, Duration limit) {
        Await.until(() -> "keepalived " + name + " in " + state + "; log:\n" + tail(), limit,
                () -> state.equals(state()));
    }

    String tail() {
        String l = log();
        return l.substring(Math.max(0, l.length() - 3000));
    }

    /**
     * SIGKILL of keepalived and its VRRP child: no priority 0 advert. Returns {@link System#nanoTime()} just before
     * the signals went out (after the processes were listed, which can take tens of milliseconds on a loaded
     * machine), the moment a failover is timed from; waits for the processes to end.
     */
    long kill() {
        long at = System.nanoTime();
        if (proc != null) {
            java.util.List<ProcessHandle> all = new java.util.ArrayList<>(proc.process().descendants().toList());
            all.add(proc.process().toHandle());
            at = System.nanoTime();
            all.forEach(ProcessHandle::destroyForcibly);
            proc.kill();
        }
        return at;
    }

    /** SIGTERM: keepalived sends priority 0 and exits. */
    void stop() {
        if (proc != null && proc.process().isAlive()) {
            ProcessHandle.of(proc.pid()).ifPresent(ProcessHandle::destroy);
            proc.process().descendants().forEach(ProcessHandle::destroy);
            try {
                proc.process().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        kill();
    }
}

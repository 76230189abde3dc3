package io.fulcrum.vrrp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@code vrrp_script} checks and reads {@code track_file} files on a small bounded pool of its own threads, and
 * posts each result as a {@link VrrpMessage} to the VRRP thread, which is therefore never blocked by a script.
 *
 * <p>{@link #start} and {@link #close} are called by the engine; the rest runs on the pool's threads.
 */
public final class VrrpScriptRunner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(VrrpScriptRunner.class);
    /** How often tracked files are read. */
    public static final long FILE_POLL_MILLIS = 500;

    private final ScheduledThreadPoolExecutor pool;
    private final Consumer<VrrpMessage> sink;

    /** Creates a runner with {@code threads} threads posting to {@code sink}. */
    public VrrpScriptRunner(int threads, Consumer<VrrpMessage> sink) {
        this.sink = sink;
        this.pool = new ScheduledThreadPoolExecutor(Math.max(1, threads), r -> {
            Thread t = new Thread(r, "vrrp-script");
            t.setDaemon(true);
            return t;
        });
        this.pool.setRemoveOnCancelPolicy(true);
    }

    /** Schedules every script at its interval (first run at once) and polls every file. */
    public void start(Collection<VrrpScriptSpec> scripts, Collection<Path> files) {
        for (VrrpScriptSpec s : scripts) {
            pool.scheduleWithFixedDelay(() -> sink.accept(runOnce(s)), 0, s.intervalMillis(), TimeUnit.MILLISECONDS);
        }
        List<Path> all = new ArrayList<>(files);
        if (!all.isEmpty()) {
            long[] last = new long[all.size()];
            boolean[] sent = new boolean[all.size()];
            pool.scheduleWithFixedDelay(() -> {
                for (int i = 0; i < all.size(); i++) {
                    long v = readFile(all.get(i));
                    if (!sent[i] || last[i] != v) {
                        sent[i] = true;
                        last[i] = v;
                        sink.accept(new VrrpMessage.FileValue(all.get(i), v));
                    }
                }
            }, FILE_POLL_MILLIS, FILE_POLL_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** Reads a tracked file's integer as keepalived does: missing, empty or not a number reads as 0. */
    public static long readFile(Path path) {
        try {
            String s = Files.readString(path).strip();
            if (s.isEmpty()) {
                return 0;
            }
            int end = 0;
            while (end < s.length() && (Character.isDigit(s.charAt(end)) || (end == 0 && s.charAt(0) == '-'))) {
                end++;
            }
            return end == 0 || (end == 1 && s.charAt(0) == '-') ? 0 : Long.parseLong(s.substring(0, end));
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    /** Runs one script to completion or its timeout; called on a pool thread. */
    static VrrpMessage.ScriptResult runOnce(VrrpScriptSpec s) {
        List<String> cmd = new ArrayList<>();
        if (s.user() != null && !s.user().isBlank() && !s.user().equals(System.getProperty("user.name"))) {
            cmd.addAll(List.of("runuser", "-u", s.user(), "--"));
        }
        cmd.addAll(CommandLine.split(s.command()));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        } catch (IOException e) {
            LOG.warn("VRRP_Script({}) cannot start {}: {}", s.name(), cmd, e.getMessage());
            return new VrrpMessage.ScriptResult(s.name(), -1, false);
        }
        try {
            if (p.waitFor(s.effectiveTimeoutMillis(), TimeUnit.MILLISECONDS)) {
                return new VrrpMessage.ScriptResult(s.name(), p.exitValue(), false);
            }
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(1, TimeUnit.SECONDS);
            return new VrrpMessage.ScriptResult(s.name(), -1, true);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return new VrrpMessage.ScriptResult(s.name(), -1, true);
        }
    }

    /** Stops scheduling and kills nothing further (a run in progress ends at its timeout). */
    @Override
    public void close() {
        pool.shutdownNow();
    }
}

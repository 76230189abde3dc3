package io.fulcrum.vrrp;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs notify scripts and writes {@code notify_fifo} lines without ever blocking the VRRP thread.
 *
 * <p>{@link #instance} and {@link #group} are called on the VRRP thread; the work runs on a small bounded pool
 * (scripts) and one writer thread (the FIFO, opened read-write so a missing reader never blocks). keepalived's
 * conventions: {@code notify SCRIPT} gets {@code INSTANCE|GROUP NAME STATE PRIORITY} appended, FIFO lines read
 * {@code INSTANCE "VI_1" MASTER 100} and {@code GROUP "G1" MASTER}.
 */
public final class VrrpNotifier implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(VrrpNotifier.class);
    private static final long SCRIPT_TIMEOUT_SECONDS = 30;

    private final ThreadPoolExecutor scripts;
    private final ThreadPoolExecutor fifoWriter;
    private final Path fifo;
    private RandomAccessFile fifoFile; // only on the writer thread

    /** Creates a notifier; {@code fifo} may be {@code null}. */
    public VrrpNotifier(Path fifo) {
        this.fifo = fifo;
        this.scripts = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1024),
                daemon("vrrp-notify"));
        this.scripts.allowCoreThreadTimeOut(true);
        this.fifoWriter = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(4096),
                daemon("vrrp-notify-fifo"));
        this.fifoWriter.allowCoreThreadTimeOut(true);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** An instance entered {@code state}; called on the VRRP thread. */
    public void instance(String name, VrrpState state, int priority, NotifySpec notify) {
        String stateName = state.name();
        fifoLine("INSTANCE \"" + name + "\" " + stateName + " " + priority);
        run(notify.forState(state), List.of());
        run(notify.generic(), List.of("INSTANCE", name, stateName, Integer.toString(priority)));
    }

    /** A sync group entered {@code state}; called on the VRRP thread. */
    public void group(String name, VrrpState state, NotifySpec notify) {
        String stateName = state.name();
        fifoLine("GROUP \"" + name + "\" " + stateName);
        run(notify.forState(state), List.of());
        run(notify.generic(), List.of("GROUP", name, stateName));
    }

    private void fifoLine(String line) {
        if (fifo == null) {
            return;
        }
        submit(fifoWriter, () -> {
            try {
                if (fifoFile == null) {
                    fifoFile = new RandomAccessFile(fifo.toFile(), "rw");
                }
                fifoFile.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                LOG.warn("notify_fifo {}: write failed: {}", fifo, e.getMessage());
            }
        }, "notify_fifo line " + line);
    }

    private void run(String script, List<String> extra) {
        if (script == null || script.isBlank()) {
            return;
        }
        List<String> cmd = new ArrayList<>(CommandLine.split(script));
        cmd.addAll(extra);
        submit(scripts, () -> {
            try {
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (!p.waitFor(SCRIPT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    LOG.warn("notify script {} timed out", cmd);
                }
            } catch (IOException e) {
                LOG.warn("cannot run notify script {}: {}", cmd, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "notify script " + cmd);
    }

    private static void submit(ThreadPoolExecutor pool, Runnable task, String what) {
        try {
            pool.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.warn("dropping {}: notify queue full or closed", what);
        }
    }

    /** Lets queued work finish (bounded wait) and stops the threads. */
    @Override
    public void close() {
        scripts.shutdown();
        submit(fifoWriter, () -> {
            if (fifoFile != null) {
                try {
                    fifoFile.close();
                } catch (IOException e) {
                    LOG.debug("closing notify_fifo {}: {}", fifo, e.getMessage());
                }
                fifoFile = null;
            }
        }, "notify_fifo close");
        fifoWriter.shutdown();
        try {
            fifoWriter.awaitTermination(2, TimeUnit.SECONDS);
            scripts.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        fifoWriter.shutdownNow();
        scripts.shutdownNow();
    }
}

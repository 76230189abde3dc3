package io.fulcrum.healthcheck;

import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs scripts ({@code MISC_CHECK}, notify and quorum scripts) and small blocking jobs ({@code FILE_CHECK} reads) off
 * the event loops, in a small bounded pool.
 *
 * <p>Thread-safe. The pool threads only start processes (and read files); waiting for a script is asynchronous
 * ({@link Process#onExit()}), and its {@code misc_timeout} is a timer on the caller's event loop that kills the whole
 * process tree. So a flood of slow scripts occupies processes, not event-loop or pool threads.
 */
final class ScriptRunner implements ScriptLauncher, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ScriptRunner.class);
    private static final File DEV_NULL = new File("/dev/null");

    /** How a script ended. */
    record Outcome(boolean timedOut, int exitCode, String error) {
    }

    private final ThreadPoolExecutor pool;
    private final Set<Process> running = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    ScriptRunner(int threads, int queueLimit, ThreadFactory baseFactory) {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory tf = r -> {
            Thread t = baseFactory.newThread(r);
            t.setName("fulcrum-hc-script-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queueLimit),
                tf);
        this.pool.allowCoreThreadTimeOut(true);
    }

    /** Runs {@code job} on the pool; returns false if the pool is full or closed. */
    boolean submit(Runnable job) {
        if (closed) {
            return false;
        }
        try {
            pool.execute(job);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /**
     * Starts {@code command} and reports how it ended; after {@code timeoutMillis} its process tree is killed and the
     * outcome says {@code timedOut}. {@code done} runs on a pool or JDK process-reaper thread.
     */
    void run(List<String> command, long timeoutMillis, ScheduledExecutorService timer, Consumer<Outcome> done) {
        boolean queued = submit(() -> {
            Process p;
            try {
                p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(DEV_NULL))
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            } catch (IOException | RuntimeException e) {
                done.accept(new Outcome(false, 127, e.getMessage()));
                return;
            }
            running.add(p);
            AtomicBoolean timedOut = new AtomicBoolean();
            ScheduledFuture<?> kill;
            try {
                kill = timer.schedule(() -> {
                    if (p.isAlive()) {
                        timedOut.set(true);
                        killTree(p);
                    }
                }, timeoutMillis, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // shutting down: the event loop is gone, so is the reason to run the script
                killTree(p);
                running.remove(p);
                done.accept(new Outcome(true, -1, "shutting down"));
                return;
            }
            p.onExit().whenComplete((ph, err) -> {
                kill.cancel(false);
                running.remove(p);
                done.accept(new Outcome(timedOut.get(), p.exitValue(), null));
            });
        });
        if (!queued) {
            done.accept(new Outcome(false, 255, "script pool full"));
        }
    }

    @Override
    public void launch(String commandLine) {
        boolean queued = submit(() -> {
            try {
                Process p = new ProcessBuilder("/bin/sh", "-c", commandLine)
                        .redirectInput(ProcessBuilder.Redirect.from(DEV_NULL))
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
                running.add(p);
                p.onExit().whenComplete((ph, err) -> running.remove(p));
            } catch (IOException | RuntimeException e) {
                LOG.warn("Cannot run script [{}]: {}", commandLine, e.getMessage());
            }
        });
        if (!queued && !closed) {
            LOG.warn("Cannot run script [{}]: script pool full", commandLine);
        }
    }

    /** Kills a process and every descendant (SIGKILL), children first. */
    static void killTree(Process p) {
        p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    int running() {
        return running.size();
    }

    /** Stops the pool and kills every script still running. */
    @Override
    public void close() {
        closed = true;
        pool.shutdownNow();
        for (Process p : List.copyOf(running)) {
            killTree(p);
        }
    }
}

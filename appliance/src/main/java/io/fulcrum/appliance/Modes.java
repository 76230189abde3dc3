package io.fulcrum.appliance;

import io.fulcrum.appliance.config.KeepalivedConfig;
import io.fulcrum.appliance.tuning.Tuning;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the modes of {@code fulcrum} once the configuration and tuning are valid: the full daemon, {@code -P} (VRRP
 * only, VIPs as kernel addresses, like {@code keepalived --vrrp}) and {@code -C} (health checks only, like
 * {@code keepalived --check}). Launches the {@link Appliance}, starts the {@link ApplianceExtension}s, routes signals
 * (SIGHUP reload, SIGUSR1 data dump, SIGUSR2 stats dump, SIGTERM/SIGINT graceful stop) and waits for the stop.
 *
 * <p>Called once on the main thread.
 */
public final class Modes {

    private static final Logger LOG = LoggerFactory.getLogger("io.fulcrum.appliance.Modes");

    /** Exit code when the daemon cannot start (missing interface, no permission, pid file held, ...). */
    public static final int EXIT_START_FAILED = 1;

    private Modes() {
    }

    /**
     * What the command line asked for, with the validated configuration and tuning.
     *
     * @param vrrpOnly {@code -P}
     * @param checkOnly {@code -C}
     * @param dontFork {@code -n}
     * @param pidFile {@code -p} or null
     * @param configFile {@code -f}
     * @param configId {@code -i} or null
     * @param logConsole {@code -l}
     * @param logDetail {@code -D}
     * @param config the validated configuration
     * @param tuning the validated tuning
     * @param controlSocket {@code --control-socket} or null
     * @param runDir {@code --run-dir} (dump files) or null for {@code /tmp}
     */
    public record LaunchRequest(boolean vrrpOnly, boolean checkOnly, boolean dontFork, Path pidFile, Path configFile,
                                String configId, boolean logConsole, boolean logDetail, KeepalivedConfig config,
                                Tuning tuning, Path controlSocket, Path runDir) {
    }

    /** The context a request asks for. */
    static ApplianceContext context(LaunchRequest r) {
        ApplianceView.Mode mode = r.vrrpOnly() ? ApplianceView.Mode.VRRP_ONLY
                : r.checkOnly() ? ApplianceView.Mode.CHECK_ONLY : ApplianceView.Mode.FULL;
        ApplianceContext ctx = new ApplianceContext().mode(mode).configFile(r.configFile()).configId(r.configId())
                .config(r.config()).tuning(r.tuning()).pidFile(r.pidFile()).controlSocket(r.controlSocket());
        if (r.runDir() != null) {
            ctx.runDir(r.runDir());
        }
        return ctx;
    }

    /** Runs the requested mode until SIGTERM/SIGINT; returns the process exit status. */
    public static int run(LaunchRequest request, PrintWriter err) {
        if (request.vrrpOnly() && request.checkOnly()) {
            err.println("fulcrum: -P and -C together: give neither to run both (with the dataplane)");
            return Fulcrum.EXIT_USAGE;
        }
        ApplianceContext ctx = context(request);
        Appliance appliance;
        try {
            appliance = Appliance.launch(ctx);
        } catch (RuntimeException e) {
            err.println("fulcrum: cannot start: " + e.getMessage());
            LOG.debug("start-up failure", e);
            return EXIT_START_FAILED;
        }
        CountDownLatch stop = new CountDownLatch(1);
        ExecutorService control = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon(true)
                .name("fulcrum-signals").unstarted(r));
        Signals.handle("TERM", stop::countDown);
        Signals.handle("INT", stop::countDown);
        Signals.handle("HUP", () -> control.execute(appliance::reload));
        Signals.handle("USR1", () -> control.execute(() -> dump(appliance, true)));
        Signals.handle("USR2", () -> control.execute(() -> dump(appliance, false)));
        List<AutoCloseable> extensions = new ArrayList<>();
        for (ApplianceExtension x : ServiceLoader.load(ApplianceExtension.class)) {
            try {
                extensions.add(x.start(ctx, appliance, appliance));
            } catch (Exception e) {
                LOG.error("{} did not start: {}", x.getClass().getSimpleName(), e.getMessage());
            }
        }
        Thread hook = Thread.ofPlatform().unstarted(appliance::close);
        Runtime.getRuntime().addShutdownHook(hook);
        logStartupTime();
        SystemdNotify.ready();
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        SystemdNotify.stopping();
        control.shutdownNow();
        for (AutoCloseable x : extensions) {
            try {
                x.close();
            } catch (Exception e) {
                LOG.warn("closing an extension: {}", e.getMessage());
            }
        }
        appliance.close();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down
        }
        return 0;
    }

    /**
     * Logs how long the start took from process start (JVM start-up, class loading, configuration, subsystems) and
     * the CPU time the process used for it, which scripts/bench-coldstart reports. The elapsed time is /proc/uptime
     * minus the process's start time in /proc/self/stat (both counted from boot in 1/100 s; the start instant of
     * {@link ProcessHandle.Info} rests on a boot time in whole seconds); the CPU time comes from
     * {@link ProcessHandle.Info#totalCpuDuration}. Reading them loads no java.management class.
     */
    private static void logStartupTime() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // fields after the command name in parentheses: state is field 3, starttime field 22 (clock ticks)
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long startTicks = Long.parseLong(f[22 - 3]);
            String up = Files.readString(Path.of("/proc/uptime"));
            double uptime = Double.parseDouble(up.substring(0, up.indexOf(' ')));
            long elapsedMs = Math.round(uptime * 1000) - startTicks * 10;   // USER_HZ is 100 on Linux
            long cpuMs = ProcessHandle.current().info().totalCpuDuration().map(Duration::toMillis).orElse(-1L);
            LOG.info("Fulcrum ready {} ms after process start ({} ms CPU time)", elapsedMs, cpuMs);
        } catch (IOException | RuntimeException e) {
            LOG.debug("start-up time unknown: {}", e.toString());
        }
    }

    private static void dump(Appliance a, boolean data) {
        try {
            Path f = data ? a.dumpData() : a.dumpStats();
            LOG.info("{} written to {}", data ? "Data dump" : "Statistics", f);
        } catch (java.io.IOException e) {
            LOG.error("cannot write the {} dump: {}", data ? "data" : "statistics", e.getMessage());
        }
    }
}

package io.fulcrum.appliance;

import io.fulcrum.appliance.config.KeepalivedConfig;
import io.fulcrum.appliance.tuning.Tuning;
import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * Dispatches the running modes of {@code fulcrum} once the configuration and tuning are valid: the full daemon,
 * {@code -P} (VRRP only) and {@code -C} (health checks only). This is the one place the running subsystems are wired in;
 * none of them is available yet, so each mode reports that and exits with {@link #EXIT_NOT_AVAILABLE}.
 *
 * <p>Called once on the main thread.
 */
public final class Modes {

    /** Exit code of a mode that is not available yet. */
    public static final int EXIT_NOT_AVAILABLE = 2;

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
     */
    public record LaunchRequest(boolean vrrpOnly, boolean checkOnly, boolean dontFork, Path pidFile, Path configFile,
                                String configId, boolean logConsole, boolean logDetail, KeepalivedConfig config,
                                Tuning tuning) {
    }

    /** Runs the requested mode; returns the process exit status. */
    public static int run(LaunchRequest request, PrintWriter err) {
        String mode;
        if (request.vrrpOnly() && request.checkOnly()) {
            mode = "the VRRP and checker subsystems (-P -C)";
        } else if (request.vrrpOnly()) {
            mode = "the VRRP-only mode (-P)";
        } else if (request.checkOnly()) {
            mode = "the checker-only mode (-C)";
        } else {
            mode = "the daemon";
        }
        err.println("fulcrum: " + mode + " is not available yet in this build; use -t to check a configuration");
        return EXIT_NOT_AVAILABLE;
    }
}

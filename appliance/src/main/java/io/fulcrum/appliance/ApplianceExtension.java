package io.fulcrum.appliance;

/**
 * A component started beside the running daemon with read access to its state and its command interface: the admin
 * socket server ({@code io.fulcrum.appliance.admin}) and the metrics endpoint ({@code io.fulcrum.appliance.metrics})
 * plug in here. Implementations are found with {@link java.util.ServiceLoader} (list the class in
 * {@code META-INF/services/io.fulcrum.appliance.ApplianceExtension}); the daemon starts each after the appliance is up
 * and closes it before the appliance stops.
 *
 * <p>{@link #start} is called once on the main thread; the returned handle's {@code close()} is called once on the
 * main thread. The extension may call the view and commands from its own threads (both are thread-safe).
 */
public interface ApplianceExtension {

    /**
     * Starts the extension.
     *
     * @param context the daemon's context ({@link ApplianceContext#controlSocket()}, the tuning, the mode)
     * @param view the read-only view
     * @param commands the runtime commands
     * @return a handle closed at shutdown
     * @throws Exception when it cannot start (logged; the daemon keeps running without it)
     */
    AutoCloseable start(ApplianceContext context, ApplianceView view, ApplianceCommands commands) throws Exception;
}

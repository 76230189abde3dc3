package io.fulcrum.healthcheck;

/**
 * The health-check module's entry point: {@code HealthChecks.launch(ctx)} starts every checker of a concluded
 * {@link HealthCheckContext} and returns the running {@link HealthCheckHandle}.
 *
 * <p>Call from the appliance's start-up thread; the returned handle is closed from any one thread.
 */
public final class HealthChecks {

    private HealthChecks() {
    }

    /**
     * Concludes {@code ctx} (if not yet), reports every real server's initial state to the listener on the calling
     * thread, then starts the checks on the event-loop group. Throws {@link HealthCheckConfigException} for bad specs
     * before anything starts.
     */
    public static HealthCheckHandle launch(HealthCheckContext ctx) {
        ctx.conclude();
        HealthCheckHandle h = new HealthCheckHandle(ctx);
        h.start();
        return h;
    }
}

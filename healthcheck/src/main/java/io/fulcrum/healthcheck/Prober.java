package io.fulcrum.healthcheck;

import java.util.function.Consumer;

/**
 * Performs one attempt of a check (connect, request, run a script) and reports a {@link ProbeResult}.
 *
 * <p>{@link #probe} is called on the check's event-loop thread and must not block it; {@code done} is called exactly
 * once, on any thread.
 */
interface Prober {

    /** Starts one attempt. */
    void probe(Consumer<ProbeResult> done);
}

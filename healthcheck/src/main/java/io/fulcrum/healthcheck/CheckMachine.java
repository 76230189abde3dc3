package io.fulcrum.healthcheck;

/**
 * A checker's retry and verdict rules: told each attempt's result, it answers with a verdict and the delay before the
 * next attempt. {@link CheckerStateMachine} has keepalived's common rules; {@link HttpUrlMachine} those of
 * {@code HTTP_GET}/{@code SSL_GET}, which check one url per attempt.
 *
 * <p>Not thread-safe: driven by the one event-loop thread that owns the check.
 */
interface CheckMachine {

    /** Feeds one attempt's result; returns the verdict and sets {@link #nextDelayNanos()}. */
    CheckerStateMachine.Verdict onResult(boolean ok);

    /** The delay before the next attempt, set by the last {@link #onResult(boolean)}. */
    long nextDelayNanos();

    /** Whether the checker is up. */
    boolean up();

    /** Whether the checker has completed its first run. */
    boolean hasRun();
}

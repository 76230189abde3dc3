package io.fulcrum.healthcheck;

/**
 * keepalived's per-checker retry state machine: retries, the first-run rule, and up/down verdicts.
 *
 * <p>Pure logic with no clock of its own: it is told each attempt's result and answers with a {@link Verdict} and the
 * delay until the next attempt ({@code delay_before_retry} while retrying, else {@code delay_loop}). Not thread-safe:
 * driven by the one event-loop thread that owns the check.
 *
 * <p>Rules (keepalived 2.x {@code check_tcp.c}/{@code check_misc.c} epilogs): a success after a failure or on the
 * first run is reported {@link Verdict#UP}; a failure while up is retried {@code retry} times
 * {@code delay_before_retry} apart, then reported {@link Verdict#DOWN}; failures while already down are not retried.
 * At start-up the retry count is already used up (keepalived's {@code validate_check_config} sets
 * {@code retry_it = retry}): one failure on the first run is enough, and in alpha mode that first failure is
 * reported once.
 */
final class CheckerStateMachine implements CheckMachine {

    /** What one attempt's result means. */
    enum Verdict {
        /** Nothing to report (success while up, or failure while already down). */
        NONE,
        /** Failed, a retry is scheduled after delay_before_retry. */
        RETRY,
        /** The checker is (or is confirmed, on its first run) up. */
        UP,
        /** The checker failed after its retries. */
        DOWN
    }

    private final int retry;
    private final long delayLoopNanos;
    private final long delayBeforeRetryNanos;
    private boolean up;
    private boolean hasRun;
    private int retryIt;
    private long nextDelayNanos;

    CheckerStateMachine(int retry, long delayLoopNanos, long delayBeforeRetryNanos, boolean startUp) {
        this.retry = retry;
        this.delayLoopNanos = delayLoopNanos;
        this.delayBeforeRetryNanos = delayBeforeRetryNanos;
        this.up = startUp;
        // keepalived: "For non alpha mode, one failure is enough initially. For alpha mode, log failure after one"
        this.retryIt = retry;
    }

    /** Feeds one attempt's result; returns the verdict and sets {@link #nextDelayNanos()}. */
    @Override
    public Verdict onResult(boolean ok) {
        Verdict v;
        if (ok) {
            retryIt = 0;
            nextDelayNanos = delayLoopNanos;
            v = (!up || !hasRun) ? Verdict.UP : Verdict.NONE;
            up = true;
        } else if (up || !hasRun) {
            if (retryIt < retry) {
                retryIt++;
                nextDelayNanos = delayBeforeRetryNanos;
                v = Verdict.RETRY;
            } else {
                retryIt = 0;
                nextDelayNanos = delayLoopNanos;
                v = Verdict.DOWN;
                up = false;
            }
        } else {
            retryIt = 0;
            nextDelayNanos = delayLoopNanos;
            v = Verdict.NONE;
        }
        hasRun = true;
        return v;
    }

    /** The delay before the next attempt, set by the last {@link #onResult(boolean)}. */
    @Override
    public long nextDelayNanos() {
        return nextDelayNanos;
    }

    /** Whether the checker is up. */
    @Override
    public boolean up() {
        return up;
    }

    /** Whether at least one attempt completed. */
    @Override
    public boolean hasRun() {
        return hasRun;
    }

    /** The retries used so far in the current failure streak. */
    int retryIt() {
        return retryIt;
    }

    /** The configured retry count. */
    int retry() {
        return retry;
    }
}

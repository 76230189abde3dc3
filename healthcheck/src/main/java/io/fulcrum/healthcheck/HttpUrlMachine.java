package io.fulcrum.healthcheck;

/**
 * keepalived 2.x's {@code HTTP_GET}/{@code SSL_GET} cycle ({@code check_http.c} {@code epilog} and
 * {@code timeout_epilog}): each attempt fetches one url; the checker is up once every url has passed in turn.
 *
 * <p>Rules: a passing url moves on to the next after {@code delay_loop}; when the last one passes the checker is
 * reported {@link CheckerStateMachine.Verdict#UP} if it was down (or had not run) and the cycle starts again. A
 * failing url while up (or before the first run completed) is retried {@code retry} times {@code delay_before_retry}
 * apart, then the checker is reported {@link CheckerStateMachine.Verdict#DOWN} and that url is remembered as the
 * failed one: only it is fetched, every max(delay_before_retry, delay_loop), until it passes; then all the urls are
 * checked again from the first. At start-up the retry count is already used up, as for every keepalived checker.
 * With {@code fast_recovery} the urls are fetched back to back (no delay) while the checker has not completed its
 * first run, and while it is down with no failed url (recovering), so a server comes up as soon as every url passed.
 * Unlike keepalived, a url that fails during such a recovery waits {@code delay_before_retry} before the next fetch
 * (keepalived fetches again at once, a tight loop against a refusing server).
 *
 * <p>Not thread-safe: driven by the check's event-loop thread.
 */
final class HttpUrlMachine implements CheckMachine {

    private final int urls;
    private final int retry;
    private final long delayLoopNanos;
    private final long delayBeforeRetryNanos;
    private final boolean fastRecovery;
    private boolean up;
    private boolean hasRun;
    private int retryIt;
    private int url;
    private int failedUrl = -1;
    private long nextDelayNanos;

    HttpUrlMachine(int urls, int retry, long delayLoopNanos, long delayBeforeRetryNanos, boolean startUp,
                   boolean fastRecovery) {
        if (urls < 1) {
            throw new IllegalArgumentException("HTTP check needs at least one url");
        }
        this.urls = urls;
        this.retry = retry;
        this.delayLoopNanos = delayLoopNanos;
        this.delayBeforeRetryNanos = delayBeforeRetryNanos;
        this.fastRecovery = fastRecovery;
        this.up = startUp;
        this.retryIt = retry;
    }

    /** The index of the url the next attempt fetches. */
    int currentUrl() {
        return url;
    }

    @Override
    public CheckerStateMachine.Verdict onResult(boolean ok) {
        CheckerStateMachine.Verdict v = CheckerStateMachine.Verdict.NONE;
        if (ok) {
            boolean last = url == urls - 1;
            url = last ? 0 : url + 1;
            retryIt = 0;
            if (last && failedUrl < 0) {
                if (!up || !hasRun) {
                    v = CheckerStateMachine.Verdict.UP;
                    up = true;
                    hasRun = true;
                }
            } else if (failedUrl >= 0) {
                // the failed url answers again: check them all, from the first
                failedUrl = -1;
                url = 0;
            }
            nextDelayNanos = delayLoopNanos;
            if (!hasRun) {
                retryIt = retry;
            }
        } else {
            if (up || !hasRun) {
                hasRun = true;
                retryIt++;
                if (retryIt > retry) {
                    if (up) {
                        v = CheckerStateMachine.Verdict.DOWN;
                        up = false;
                    }
                    failedUrl = url;
                } else {
                    v = CheckerStateMachine.Verdict.RETRY;
                }
            }
            nextDelayNanos = failedUrl >= 0 ? Math.max(delayBeforeRetryNanos, delayLoopNanos) : delayBeforeRetryNanos;
        }
        // keepalived also skips the delay after a url fails while recovering, which re-fetches a refusing server
        // in a tight loop; here only a passing url is followed at once
        if (fastRecovery && ok && (!hasRun || (!up && failedUrl < 0))) {
            nextDelayNanos = 0;
        }
        return v;
    }

    @Override
    public long nextDelayNanos() {
        return nextDelayNanos;
    }

    @Override
    public boolean up() {
        return up;
    }

    @Override
    public boolean hasRun() {
        return hasRun;
    }

    /** The url remembered as failed, or -1. */
    int failedUrl() {
        return failedUrl;
    }
}

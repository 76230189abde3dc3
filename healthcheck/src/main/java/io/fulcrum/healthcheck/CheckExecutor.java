package io.fulcrum.healthcheck;

/**
 * The thread and timer a shared check runs on: an event loop in production, a virtual clock in unit tests.
 *
 * <p>{@link #execute} and {@link #schedule} may be called from any thread; the tasks run on the executor's thread.
 */
interface CheckExecutor {

    /** Monotonic time in nanoseconds. */
    long nanoTime();

    /** Whether the caller is this executor's thread. */
    boolean inExecutor();

    /** Runs {@code task} on this executor's thread. */
    void execute(Runnable task);

    /** Runs {@code task} on this executor's thread after {@code delayNanos}. */
    void schedule(Runnable task, long delayNanos);
}

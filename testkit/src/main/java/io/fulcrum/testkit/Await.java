package io.fulcrum.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Polls a condition from a kernel or interop test until it holds or a deadline passes.
 *
 * <p>For tests that wait on real processes and the kernel; unit tests step a virtual clock instead.
 */
public final class Await {

    private Await() {
    }

    /** Waits until {@code condition} is true, polling every 10 ms; throws with {@code what} after {@code limit}. */
    public static void until(String what, Duration limit, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + limit.toMillis() + " ms waiting for " + what);
            }
            pause(10);
        }
    }

    /** Like {@link #until(String, Duration, BooleanSupplier)} but with a message computed at failure time. */
    public static void until(Supplier<String> what, Duration limit, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + limit.toMillis() + " ms waiting for " + what.get());
            }
            pause(10);
        }
    }

    /** Sleeps for {@code millis} milliseconds, keeping the interrupt flag. */
    public static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}

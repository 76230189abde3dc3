package io.fulcrum.appliance.demo;

/**
 * The entry of {@code fulcrum demo}, reserved for the two-node demonstration the lead builds; not available yet.
 *
 * <p>Called once on the main thread.
 */
public final class Demo {

    private Demo() {
    }

    /** Runs the demo with its own arguments; returns the exit status (2: not available yet). */
    public static int run(String[] args) {
        System.err.println("demo not available yet");
        return 2;
    }
}

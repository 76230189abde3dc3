package io.fulcrum.vrrp;

import java.util.Objects;

/**
 * A {@code vrrp_script} block: a command run every {@code interval}, whose exit status feeds {@code track_script}.
 *
 * <p>Immutable; safe from any thread.
 *
 * @param name the script's name ({@code vrrp_script NAME})
 * @param command the command line ({@code script})
 * @param intervalMillis time between runs ({@code interval}, default 1 s)
 * @param timeoutMillis a run longer than this is killed and counts as a failure ({@code timeout}; 0 = interval)
 * @param weight priority change ({@code weight}, -253..253; 0 means a failure forces FAULT)
 * @param rise successes in a row needed to count as up ({@code rise})
 * @param fall failures in a row needed to count as down ({@code fall})
 * @param user run as this user, or {@code null} ({@code user})
 * @param initFail whether the script starts as failed ({@code init_fail})
 */
public record VrrpScriptSpec(String name, String command, long intervalMillis, long timeoutMillis, int weight,
                             int rise, int fall, String user, boolean initFail) {

    /** Checks the fields; messages name the script and the keyword. */
    public VrrpScriptSpec {
        Objects.requireNonNull(name, "name");
        if (command == null || command.isBlank()) {
            throw new IllegalArgumentException("vrrp_script " + name + ": script missing");
        }
        if (intervalMillis < 1) {
            throw new IllegalArgumentException("vrrp_script " + name + ": interval " + intervalMillis
                    + " ms must be at least 1 ms");
        }
        if (timeoutMillis < 0) {
            throw new IllegalArgumentException("vrrp_script " + name + ": timeout " + timeoutMillis + " ms negative");
        }
        if (weight < -253 || weight > 253) {
            throw new IllegalArgumentException("vrrp_script " + name + ": weight " + weight
                    + " out of range -253..253");
        }
        if (rise < 1 || fall < 1) {
            throw new IllegalArgumentException("vrrp_script " + name + ": rise " + rise + " / fall " + fall
                    + " must be at least 1");
        }
    }

    /** A script with keepalived's defaults: interval 1 s, timeout = interval, weight 0, rise 1, fall 1. */
    public static VrrpScriptSpec of(String name, String command) {
        return new VrrpScriptSpec(name, command, 1000, 0, 0, 1, 1, null, false);
    }

    /** The effective timeout (the interval when none was given). */
    public long effectiveTimeoutMillis() {
        return timeoutMillis == 0 ? intervalMillis : timeoutMillis;
    }
}

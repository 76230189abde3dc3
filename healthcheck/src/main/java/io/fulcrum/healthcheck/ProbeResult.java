package io.fulcrum.healthcheck;

import java.util.List;

/**
 * The result of one check attempt, with the detail keepalived's log lines need.
 *
 * <p>Immutable; created on whichever thread finished the attempt and handed to the check's event loop.
 *
 * @param ok         whether the attempt passed
 * @param detail     checker-specific wording of the failure (e.g. {@code Timeout connecting}), or null
 * @param code       the script exit code or DNS rcode where relevant, else -1
 * @param weight     the weight the attempt asks for, or null for no change
 * @param notes      checker-specific success notes (HTTP: "HTTP status code" and the url path, in pairs)
 */
record ProbeResult(boolean ok, String detail, int code, WeightChange weight, List<String> notes) {

    static final ProbeResult SUCCESS = new ProbeResult(true, null, -1, null, List.of());

    static ProbeResult success() {
        return SUCCESS;
    }

    static ProbeResult failure(String detail) {
        return new ProbeResult(false, detail, -1, null, List.of());
    }

    /** A weight requested by a check: an absolute value, the configured weight, or an offset from it. */
    record WeightChange(Mode mode, int value) {

        /** How {@link #value} applies. */
        enum Mode {
            /** The weight is {@code value}. */
            ABSOLUTE,
            /** Back to the real server's configured weight. */
            CONFIGURED,
            /** The configured weight plus {@code value}, floored at 0. */
            OFFSET
        }

        int apply(int configured) {
            return switch (mode) {
                case ABSOLUTE -> value;
                case CONFIGURED -> configured;
                case OFFSET -> Math.max(0, Math.min(65535, configured + value));
            };
        }
    }
}

package io.fulcrum.appliance.admin;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The daemon's answer to one {@link AdminRequest}: the exit status {@code fulcrumadm} ends with and the text it
 * prints on standard output and standard error. Travels as one line of JSON ({@code {"exit":0,"out":"...","err":""}}).
 *
 * <p>Immutable; any thread.
 *
 * @param exit 0 on success, {@link #EXIT_FAILED} when the command was refused or failed, {@link #EXIT_BAD_REQUEST}
 *     for a malformed request
 * @param out text for standard output
 * @param err text for standard error
 */
public record AdminResponse(int exit, String out, String err) {

    /** Exit status of a command that was refused or failed (nothing changed). */
    public static final int EXIT_FAILED = 1;
    /** Exit status of a request that is malformed (as a bad command line). */
    public static final int EXIT_BAD_REQUEST = 2;

    /** Success with {@code out} on standard output. */
    public static AdminResponse ok(String out) {
        return new AdminResponse(0, out, "");
    }

    /** Failure with one line on standard error. */
    public static AdminResponse failed(String message) {
        return new AdminResponse(EXIT_FAILED, "", message.endsWith("\n") ? message : message + "\n");
    }

    /** The JSON object of this response. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("exit", exit);
        m.put("out", out);
        m.put("err", err);
        return m;
    }

    /** Reads a response object; null when it is not one. */
    public static AdminResponse fromJson(Object json) {
        if (json instanceof Map<?, ?> m && m.get("exit") instanceof Long exit && m.get("out") instanceof String out
                && m.get("err") instanceof String err) {
            return new AdminResponse((int) (long) exit, out, err);
        }
        return null;
    }
}

package io.fulcrum.appliance.config;

import java.util.Objects;

/**
 * One message about a configuration: an error (the configuration is rejected) or a warning (it loads, as keepalived
 * would load it), always naming the file and line as {@code FILE:LINE: message}.
 *
 * <p>Immutable; any thread may use it.
 *
 * @param severity error or warning
 * @param origin the file and line the message is about
 * @param message what is wrong, naming the keyword and the bad value
 */
public record Diagnostic(Severity severity, Origin origin, String message) {

    /** How bad a diagnostic is. */
    public enum Severity {
        /** The configuration is rejected as a whole. */
        ERROR,
        /** The item is ignored or adjusted, as keepalived does; the configuration still loads. */
        WARNING
    }

    /** Validates the fields. */
    public Diagnostic {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(message, "message");
    }

    /** Whether this is an error. */
    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** The file name the message is about. */
    public String file() {
        return origin.file();
    }

    /** The line the message is about. */
    public int line() {
        return origin.line();
    }

    @Override
    public String toString() {
        return origin + ": " + (severity == Severity.WARNING ? "warning: " : "") + message;
    }
}

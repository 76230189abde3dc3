package io.fulcrum.healthcheck;

/**
 * The transport protocol of a virtual service, as keepalived prints it in {@code [10.0.0.2]:tcp:80}.
 *
 * <p>Immutable; safe from any thread.
 */
public enum Protocol {
    /** TCP. */
    TCP("tcp"),
    /** UDP. */
    UDP("udp"),
    /** SCTP. */
    SCTP("sctp");

    private final String word;

    Protocol(String word) {
        this.word = word;
    }

    /** The lower-case word keepalived uses in log lines. */
    public String word() {
        return word;
    }
}

package io.fulcrum.appliance.config;

/** An address family, as keepalived's {@code ip_family inet|inet6}. Immutable; any thread. */
public enum Family {
    /** IPv4. */
    INET("inet"),
    /** IPv6. */
    INET6("inet6");

    private final String keyword;

    Family(String keyword) {
        this.keyword = keyword;
    }

    /** The keepalived word for this family. */
    public String keyword() {
        return keyword;
    }

    /** The family of an address. */
    public static Family of(java.net.InetAddress a) {
        return IpLiteral.isV6(a) ? INET6 : INET;
    }

    /** Human-readable name used in messages. */
    public String label() {
        return this == INET ? "IPv4" : "IPv6";
    }
}

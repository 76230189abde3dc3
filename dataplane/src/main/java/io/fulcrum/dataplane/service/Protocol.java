package io.fulcrum.dataplane.service;

/**
 * The transport protocol of a virtual service.
 *
 * <p>Immutable; any thread may use it.
 */
public enum Protocol {
    /** TCP (IP protocol 6). */
    TCP(6, "tcp"),
    /** UDP (IP protocol 17). */
    UDP(17, "udp");

    private final int number;
    private final String keyword;

    Protocol(int number, String keyword) {
        this.number = number;
        this.keyword = keyword;
    }

    /** The IP protocol number. */
    public int number() {
        return number;
    }

    /** The lower-case name keepalived and ipvsadm print ("tcp", "udp"). */
    public String keyword() {
        return keyword;
    }
}

package io.fulcrum.healthcheck;

import io.fulcrum.netlink.IpText;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * An IP address and port, formatted the way keepalived's log lines print services.
 *
 * <p>Immutable; safe from any thread. {@link #trio(Protocol)} gives {@code [10.0.0.2]:tcp:80} and
 * {@code [::1]:tcp:80} (IPv6 in the compressed RFC 5952 form).
 *
 * @param address the IP address
 * @param port    the port, 0..65535 (0 where no port applies, e.g. ICMP)
 */
public record Endpoint(InetAddress address, int port) {

    /** Validates the fields. */
    public Endpoint {
        Objects.requireNonNull(address, "address");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " out of range 0..65535");
        }
    }

    /** Parses a literal IP address (never a host name: no DNS lookup) and a port. */
    public static Endpoint of(String ip, int port) {
        return new Endpoint(literal(ip), port);
    }

    /**
     * Parses a literal IPv4 or IPv6 address ({@link IpText#parse}: never a host name, no DNS lookup); throws
     * {@link IllegalArgumentException} {@code not an IP address: '<ip>'} for anything else.
     */
    public static InetAddress literal(String ip) {
        return IpText.parse(ip);
    }

    /** This endpoint as a socket address. */
    public InetSocketAddress socketAddress() {
        return new InetSocketAddress(address, port);
    }

    /** keepalived's "trio" form: {@code [ip]:proto:port}. */
    public String trio(Protocol protocol) {
        return IpText.bracketed(address) + ":" + protocol.word() + ":" + port;
    }

    /** keepalived's "pair" form: {@code [ip]:port}. */
    public String pair() {
        return IpText.bracketed(address) + ":" + port;
    }

    /** The address alone, IPv6 compressed. */
    public String ip() {
        return ip(address);
    }

    @Override
    public String toString() {
        return pair();
    }

    /** Formats an address: dotted quad for IPv4, RFC 5952 compressed form for IPv6 ({@link IpText#format}). */
    public static String ip(InetAddress address) {
        return IpText.format(address);
    }
}

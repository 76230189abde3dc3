package io.fulcrum.healthcheck;

import java.net.Inet6Address;
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

    /** Parses a literal IPv4 or IPv6 address; throws {@link IllegalArgumentException} for anything else. */
    public static InetAddress literal(String ip) {
        if (ip == null || ip.isEmpty() || !ip.matches("[0-9a-fA-F:.%]+") || (!ip.contains(".") && !ip.contains(":"))) {
            throw new IllegalArgumentException("not an IP address: '" + ip + "'");
        }
        try {
            return InetAddress.getByName(ip);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: '" + ip + "'", e);
        }
    }

    /** This endpoint as a socket address. */
    public InetSocketAddress socketAddress() {
        return new InetSocketAddress(address, port);
    }

    /** keepalived's "trio" form: {@code [ip]:proto:port}. */
    public String trio(Protocol protocol) {
        return "[" + ip(address) + "]:" + protocol.word() + ":" + port;
    }

    /** keepalived's "pair" form: {@code [ip]:port}. */
    public String pair() {
        return "[" + ip(address) + "]:" + port;
    }

    /** The address alone, IPv6 compressed. */
    public String ip() {
        return ip(address);
    }

    @Override
    public String toString() {
        return pair();
    }

    /** Formats an address: dotted quad for IPv4, RFC 5952 compressed form for IPv6. */
    public static String ip(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address.getHostAddress();
        }
        byte[] b = address.getAddress();
        int[] w = new int[8];
        for (int i = 0; i < 8; i++) {
            w[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8;) {
            if (w[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && w[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        if (bestLen < 2) {
            bestStart = -1;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(w[i]));
        }
        return sb.toString();
    }
}

package io.fulcrum.appliance.config;

import io.fulcrum.netlink.IpText;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Parses and prints IPv4 and IPv6 address literals without ever resolving a name (no DNS at configuration time).
 *
 * <p>Stateless; any thread. The parsing and printing themselves live in {@link IpText}; this class only gives the
 * configuration loader its null-for-not-an-address convention.
 */
public final class IpLiteral {

    private IpLiteral() {
    }

    /** The address written as {@code text} (dotted quad or RFC 4291 text), or null when it is not a literal address. */
    public static InetAddress parse(String text) {
        try {
            return IpText.parse(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Whether {@code a} is an IPv6 address. */
    public static boolean isV6(InetAddress a) {
        return a instanceof Inet6Address;
    }

    /** The address as an operator writes it: dotted quad, or RFC 5952 compressed IPv6 ({@link IpText#format}). */
    public static String format(InetAddress a) {
        return a == null ? null : IpText.format(a);
    }
}

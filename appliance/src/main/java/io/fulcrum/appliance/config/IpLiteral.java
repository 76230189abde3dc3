package io.fulcrum.appliance.config;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.regex.Pattern;

/**
 * Parses and prints IPv4 and IPv6 address literals without ever resolving a name (no DNS at configuration time).
 *
 * <p>Stateless; any thread.
 */
public final class IpLiteral {

    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

    private IpLiteral() {
    }

    /** The address written as {@code text} (dotted quad or RFC 4291 text), or null when it is not a literal address. */
    public static InetAddress parse(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        if (IPV4.matcher(text).matches()) {
            try {
                return Inet4Address.ofLiteral(text);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        if (text.indexOf(':') >= 0 && IPV6_CHARS.matcher(text).matches()) {
            try {
                return Inet6Address.ofLiteral(text);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }

    /** Whether {@code a} is an IPv6 address. */
    public static boolean isV6(InetAddress a) {
        return a instanceof Inet6Address;
    }

    /** The address as an operator writes it: dotted quad, or RFC 5952 compressed IPv6. */
    public static String format(InetAddress a) {
        if (a == null) {
            return null;
        }
        if (!(a instanceof Inet6Address)) {
            return a.getHostAddress();
        }
        byte[] b = a.getAddress();
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen && j - i >= 2) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
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
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }
}

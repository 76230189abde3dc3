package io.fulcrum.netlink;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.regex.Pattern;

/**
 * The one place IP addresses are turned into text and back: dotted IPv4, and IPv6 compressed per RFC 5952 §4 (lower
 * case, longest run of two or more zero groups as {@code ::}, first run on a tie), as {@code ip} and keepalived print
 * them; and literal parsing that never resolves a name.
 *
 * <p>Stateless; any thread may call.
 */
public final class IpText {

    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

    private IpText() {
    }

    /**
     * Parses a literal address, never resolving a name: IPv4 as exactly four decimal parts 0..255 without leading
     * zeros, IPv6 in RFC 4291 text (with an embedded IPv4 tail allowed; no brackets, no {@code %scope}). An IPv4-mapped
     * IPv6 literal ({@code ::ffff:10.0.0.1}) gives the {@link Inet4Address}, as the JDK does.
     *
     * @throws IllegalArgumentException {@code not an IP address: '<text>'} for anything else (also null or empty)
     */
    public static InetAddress parse(String text) {
        if (text != null && !text.isEmpty()) {
            try {
                if (IPV4.matcher(text).matches()) {
                    return Inet4Address.ofLiteral(text);
                }
                if (text.indexOf(':') >= 0 && IPV6_CHARS.matcher(text).matches()) {
                    return Inet6Address.ofLiteral(text);
                }
            } catch (IllegalArgumentException e) {
                // falls through to the error naming the text
            }
        }
        throw new IllegalArgumentException("not an IP address: '" + text + "'");
    }

    /** keepalived's bracketed form of an address, {@code [10.0.0.2]} or {@code [::1]}, as in {@code [ip]:tcp:80}. */
    public static String bracketed(InetAddress address) {
        return "[" + format(address) + "]";
    }

    /** The text form of {@code address} (without scope). */
    public static String format(InetAddress address) {
        return format(address.getAddress());
    }

    /** The text form of a 4- or 16-byte address. */
    public static String format(byte[] a) {
        if (a.length == 4) {
            return (a[0] & 0xff) + "." + (a[1] & 0xff) + "." + (a[2] & 0xff) + "." + (a[3] & 0xff);
        }
        if (a.length != 16) {
            throw new IllegalArgumentException("not an IP address: " + a.length + " bytes");
        }
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
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
        StringBuilder sb = new StringBuilder(39);
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

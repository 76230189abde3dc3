package io.fulcrum.vrrp;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Address helpers for VRRP: literal parsing (never DNS), unsigned comparison and printing.
 *
 * <p>Stateless; safe from any thread.
 */
public final class Addresses {

    private Addresses() {
    }

    /** Parses an IPv4 or IPv6 literal; throws {@link IllegalArgumentException} naming the text for anything else. */
    public static InetAddress parseLiteral(String text) {
        String t = text.strip();
        boolean looksV4 = t.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean looksV6 = t.contains(":") && t.matches("[0-9a-fA-F:.%a-zA-Z0-9]+");
        if (!looksV4 && !looksV6) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 or IPv6 address");
        }
        try {
            return InetAddress.getByName(t);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 or IPv6 address", e);
        }
    }

    /** Compares two addresses of the same length as unsigned big-endian numbers. */
    public static int compare(byte[] a, byte[] b) {
        return java.util.Arrays.compareUnsigned(a, b);
    }

    /** Formats address bytes (4 or 16) as text; IPv6 in RFC 5952 form ({@code fe80::1}) as keepalived prints it. */
    public static String format(byte[] address) {
        if (address.length == 4) {
            return (address[0] & 0xff) + "." + (address[1] & 0xff) + "." + (address[2] & 0xff) + "."
                    + (address[3] & 0xff);
        }
        if (address.length != 16) {
            return "?";
        }
        int[] w = new int[8];
        for (int i = 0; i < 8; i++) {
            w[i] = ((address[2 * i] & 0xff) << 8) | (address[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (w[i] == 0) {
                int j = i;
                while (j < 8 && w[j] == 0) {
                    j++;
                }
                if (j - i > bestLen) {
                    bestStart = i;
                    bestLen = j - i;
                }
                i = j;
            } else {
                i++;
            }
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

    /** Formats an address as {@link #format(byte[])} does. */
    public static String format(InetAddress address) {
        return format(address.getAddress());
    }
}

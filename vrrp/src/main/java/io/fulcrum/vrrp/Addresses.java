package io.fulcrum.vrrp;

import io.fulcrum.netlink.IpText;
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

    /**
     * Parses an IPv4 or IPv6 literal ({@link IpText#parse}, after stripping white space); an IPv6 literal may carry a
     * {@code %scope} (interface name or index), resolved against the local interfaces. Throws
     * {@link IllegalArgumentException} naming the text for anything else; never asks DNS.
     */
    public static InetAddress parseLiteral(String text) {
        String t = text.strip();
        int pct = t.indexOf('%');
        try {
            InetAddress a = IpText.parse(pct < 0 ? t : t.substring(0, pct));
            if (pct < 0) {
                return a;
            }
            if (a.getAddress().length != 16) {
                throw new IllegalArgumentException("scope on an IPv4 address");
            }
            return InetAddress.getByName(t); // an IPv6 literal with a scope: no name lookup, only the scope
        } catch (IllegalArgumentException | UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 or IPv6 address", e);
        }
    }

    /** Compares two addresses of the same length as unsigned big-endian numbers. */
    public static int compare(byte[] a, byte[] b) {
        return java.util.Arrays.compareUnsigned(a, b);
    }

    /**
     * Formats address bytes (4 or 16) as text; IPv6 in RFC 5952 form ({@code fe80::1}) as keepalived prints it
     * ({@link IpText#format(byte[])}), and {@code ?} for any other length.
     */
    public static String format(byte[] address) {
        return address.length == 4 || address.length == 16 ? IpText.format(address) : "?";
    }

    /** Formats an address as {@link #format(byte[])} does. */
    public static String format(InetAddress address) {
        return IpText.format(address);
    }
}

package io.fulcrum.appliance.admin;

import java.net.InetAddress;

/**
 * Parses the numeric addresses {@code fulcrumadm} accepts, as ipvsadm writes them: {@code 10.0.0.1},
 * {@code 10.0.0.1:80}, {@code 2001:db8::1}, {@code [2001:db8::1]} and {@code [2001:db8::1]:80}. Host and service names
 * are refused: the admin tool never waits on a name lookup.
 *
 * <p>Stateless; any thread may call.
 */
public final class AddressText {

    /**
     * An address and a port ({@code 0} when none was given).
     *
     * @param address the address
     * @param port the port, 0 when absent
     * @param hasPort whether a port was written
     */
    public record AddressPort(InetAddress address, int port, boolean hasPort) {
    }

    private AddressText() {
    }

    /** A numeric IPv4 or IPv6 literal (brackets allowed for IPv6), or null when {@code s} is not one. */
    public static InetAddress parseAddress(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        String t = s;
        if (t.startsWith("[") && t.endsWith("]")) {
            t = t.substring(1, t.length() - 1);
        }
        if (t.indexOf('%') >= 0) {
            return null;
        }
        boolean v6 = t.indexOf(':') >= 0;
        if (!v6 && !t.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
            return null;
        }
        if (v6 && !t.matches("[0-9A-Fa-f:.]+")) {
            return null;
        }
        try {
            return InetAddress.ofLiteral(t);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * {@code host[:port]} as ipvsadm's {@code -t}/{@code -u}/{@code -r}/{@code -z} take it, or null when malformed
     * (a name, a bad address, a port outside 0..65535).
     */
    public static AddressPort parseAddressPort(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        String host;
        String port = null;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                return null;
            }
            host = s.substring(1, close);
            String rest = s.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    return null;
                }
                port = rest.substring(1);
            }
        } else {
            int colon = s.indexOf(':');
            if (colon >= 0 && s.indexOf(':', colon + 1) < 0) {
                host = s.substring(0, colon);
                port = s.substring(colon + 1);
            } else {
                host = s;
            }
        }
        InetAddress a = parseAddress(host);
        if (a == null) {
            return null;
        }
        if (port == null) {
            return new AddressPort(a, 0, false);
        }
        if (!port.matches("[0-9]{1,5}")) {
            return null;
        }
        int p = Integer.parseInt(port);
        if (p > 65535) {
            return null;
        }
        return new AddressPort(a, p, true);
    }
}

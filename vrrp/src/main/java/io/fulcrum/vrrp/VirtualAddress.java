package io.fulcrum.vrrp;

import java.net.InetAddress;
import java.util.Objects;

/**
 * One {@code virtual_ipaddress} (or {@code virtual_ipaddress_excluded}) entry: address, prefix length and device.
 *
 * <p>Immutable; safe from any thread.
 *
 * @param address the address
 * @param prefixLength the prefix length (32 / 128 when not given)
 * @param device the interface to add it to, or {@code null} for the instance's interface
 */
public record VirtualAddress(InetAddress address, int prefixLength, String device) {

    /** Checks the fields. */
    public VirtualAddress {
        Objects.requireNonNull(address, "address");
        int max = address.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > max) {
            throw new IllegalArgumentException("virtual_ipaddress " + address.getHostAddress() + "/" + prefixLength
                    + ": prefix length out of range 0.." + max);
        }
    }

    /** Parses {@code 10.0.0.100}, {@code 10.0.0.100/24} or {@code fd00::1/64} (literals only, never DNS). */
    public static VirtualAddress parse(String text) {
        String t = text.strip();
        int slash = t.indexOf('/');
        InetAddress a = Addresses.parseLiteral(slash < 0 ? t : t.substring(0, slash));
        int prefix = a.getAddress().length * 8;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(t.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("virtual_ipaddress " + t + ": bad prefix length", e);
            }
        }
        return new VirtualAddress(a, prefix, null);
    }

    /** Whether this is an IPv6 address. */
    public boolean ipv6() {
        return address.getAddress().length == 16;
    }

    @Override
    public String toString() {
        return address.getHostAddress() + "/" + prefixLength + (device == null ? "" : " dev " + device);
    }
}

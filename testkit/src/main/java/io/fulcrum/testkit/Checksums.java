package io.fulcrum.testkit;

import java.util.ArrayList;
import java.util.List;

/**
 * An independent Internet-checksum calculator and verifier for test frames (RFC 1071), written without any code from
 * the dataplane so tests can check the dataplane's incremental updates against a full computation.
 *
 * <p>Stateless; any thread may call it.
 */
public final class Checksums {

    private Checksums() {
    }

    /** One's-complement sum of {@code len} bytes from {@code off}, folded to 16 bits, starting from {@code initial}. */
    public static int sum(byte[] data, int off, int len, long initial) {
        long s = initial;
        int i = off;
        int end = off + len;
        for (; i + 1 < end; i += 2) {
            s += ((data[i] & 0xFF) << 8) | (data[i + 1] & 0xFF);
        }
        if (i < end) {
            s += (data[i] & 0xFF) << 8;
        }
        while ((s >>> 16) != 0) {
            s = (s & 0xFFFF) + (s >>> 16);
        }
        return (int) s;
    }

    /** The Internet checksum (complement of the folded sum) of a byte range. */
    public static int checksum(byte[] data, int off, int len, long initial) {
        return ~sum(data, off, len, initial) & 0xFFFF;
    }

    /** The pseudo-header sum for IPv4 (RFC 793 §3.1) or IPv6 (RFC 8200 §8.1), not folded. */
    public static long pseudoHeader(byte[] src, byte[] dst, int protocol, int length) {
        long s = 0;
        for (int i = 0; i < src.length; i += 2) {
            s += ((src[i] & 0xFF) << 8) | (src[i + 1] & 0xFF);
            s += ((dst[i] & 0xFF) << 8) | (dst[i + 1] & 0xFF);
        }
        s += protocol;
        s += length & 0xFFFF;
        s += length >>> 16;
        return s;
    }

    /**
     * Verifies every checksum in an Ethernet frame: the IPv4 header checksum, TCP/UDP/ICMP/ICMPv6 checksums and, for
     * tunnels (IP-in-IP) and ICMP errors, those of the embedded packet as far as it is present.
     *
     * @return the list of problems found, empty when every checksum is right
     */
    public static List<String> verifyFrame(byte[] frame) {
        List<String> problems = new ArrayList<>();
        int off = 12;
        int type = u16(frame, off);
        off += 2;
        while (type == 0x8100 || type == 0x88A8) {
            type = u16(frame, off + 2);
            off += 4;
        }
        if (type == 0x0800 || type == 0x86DD) {
            verifyIp(frame, off, frame.length - off, "", problems, false);
        }
        return problems;
    }

    /** Verifies the checksums of an IP packet starting at {@code off} (see {@link #verifyFrame(byte[])}). */
    public static List<String> verifyIpPacket(byte[] packet) {
        List<String> problems = new ArrayList<>();
        verifyIp(packet, 0, packet.length, "", problems, false);
        return problems;
    }

    private static void verifyIp(byte[] p, int off, int avail, String where, List<String> problems, boolean truncatedOk) {
        int version = (p[off] & 0xFF) >>> 4;
        int l4;
        int proto;
        int l4len;
        byte[] src;
        byte[] dst;
        if (version == 4) {
            int ihl = (p[off] & 0x0F) * 4;
            if (checksum(p, off, ihl, 0) != 0) {
                problems.add(where + "IPv4 header checksum wrong: " + hex(u16(p, off + 10)));
            }
            int total = u16(p, off + 2);
            proto = p[off + 9] & 0xFF;
            src = slice(p, off + 12, 4);
            dst = slice(p, off + 16, 4);
            l4 = off + ihl;
            l4len = total - ihl;
            if ((u16(p, off + 6) & 0x1FFF) != 0) {
                return; // non-first fragment
            }
        } else if (version == 6) {
            proto = p[off + 6] & 0xFF;
            src = slice(p, off + 8, 16);
            dst = slice(p, off + 24, 16);
            l4 = off + 40;
            l4len = u16(p, off + 4);
            while (proto == 0 || proto == 43 || proto == 60) {
                int next = p[l4] & 0xFF;
                int len = ((p[l4 + 1] & 0xFF) + 1) * 8;
                l4 += len;
                l4len -= len;
                proto = next;
            }
        } else {
            problems.add(where + "not an IP packet (version " + version + ")");
            return;
        }
        int present = Math.min(l4len, off + avail - l4);
        boolean complete = present >= l4len;
        switch (proto) {
            case 4, 41 -> verifyIp(p, l4, present, where + "inner ", problems, truncatedOk);
            case 6, 17 -> {
                if (!complete) {
                    return; // an ICMP error may quote a truncated packet: its L4 checksum cannot be checked
                }
                int csumOff = l4 + (proto == 6 ? 16 : 6);
                if (proto == 17 && version == 4 && u16(p, csumOff) == 0) {
                    return; // IPv4 UDP without checksum
                }
                if (checksum(p, l4, l4len, pseudoHeader(src, dst, proto, l4len)) != 0) {
                    problems.add(where + (proto == 6 ? "TCP" : "UDP") + " checksum wrong: " + hex(u16(p, csumOff)));
                }
            }
            case 1, 58 -> {
                if (!complete) {
                    return;
                }
                long initial = proto == 58 ? pseudoHeader(src, dst, 58, l4len) : 0;
                if (checksum(p, l4, l4len, initial) != 0) {
                    problems.add(where + (proto == 1 ? "ICMP" : "ICMPv6") + " checksum wrong: " + hex(u16(p, l4 + 2)));
                }
                int icmpType = p[l4] & 0xFF;
                boolean error = proto == 1 ? (icmpType == 3 || icmpType == 11 || icmpType == 12)
                        : icmpType < 128;
                if (error && l4len > 8) {
                    verifyIp(p, l4 + 8, l4len - 8, where + "quoted ", problems, true);
                }
            }
            default -> {
            }
        }
    }

    private static byte[] slice(byte[] p, int off, int len) {
        byte[] out = new byte[len];
        System.arraycopy(p, off, out, 0, len);
        return out;
    }

    private static int u16(byte[] p, int off) {
        return ((p[off] & 0xFF) << 8) | (p[off + 1] & 0xFF);
    }

    private static String hex(int v) {
        return String.format("0x%04x", v);
    }
}

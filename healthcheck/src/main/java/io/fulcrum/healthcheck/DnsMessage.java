package io.fulcrum.healthcheck;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * A minimal DNS message encoder and decoder for {@code DNS_CHECK} (RFC 1035 §4.1): builds one query and reads a
 * response's id, flags and the types of its answer records.
 *
 * <p>Stateless; safe from any thread. Names in answers may be compressed (RFC 1035 §4.1.4); they are skipped, not
 * expanded.
 */
final class DnsMessage {

    /** Record types keepalived's DNS_CHECK accepts (RFC 1035 §3.2.2, RFC 3596, RFC 4034). */
    static final Map<String, Integer> TYPES = Map.of("A", 1, "NS", 2, "CNAME", 5, "SOA", 6, "MX", 15, "TXT", 16,
            "AAAA", 28, "RRSIG", 46, "DNSKEY", 48);

    /** A decoded response header and whether its answer section holds a record of the asked type. */
    record Response(int id, boolean qr, int rcode, boolean hasAnswerOfType) {
    }

    private DnsMessage() {
    }

    /** Encodes a recursive query for {@code name}/{@code type} (class IN) with {@code id}. */
    static byte[] query(int id, String name, int type) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        put16(out, id);
        put16(out, 0x0100); // RD
        put16(out, 1);
        put16(out, 0);
        put16(out, 0);
        put16(out, 0);
        if (!name.equals(".")) {
            for (String label : name.split("\\.")) {
                if (label.isEmpty()) {
                    continue;
                }
                byte[] b = label.getBytes(StandardCharsets.US_ASCII);
                if (b.length > 63) {
                    throw new IllegalArgumentException("DNS label longer than 63 octets: " + label);
                }
                out.write(b.length);
                out.write(b, 0, b.length);
            }
        }
        out.write(0);
        put16(out, type);
        put16(out, 1);
        return out.toByteArray();
    }

    /** Decodes {@code msg}; returns null if it is too short or malformed. */
    static Response parse(byte[] msg, int wantedType) {
        if (msg.length < 12) {
            return null;
        }
        int id = u16(msg, 0);
        int flags = u16(msg, 2);
        int qd = u16(msg, 4);
        int an = u16(msg, 6);
        int p = 12;
        try {
            for (int i = 0; i < qd; i++) {
                p = skipName(msg, p) + 4;
            }
            boolean found = false;
            for (int i = 0; i < an; i++) {
                p = skipName(msg, p);
                int type = u16(msg, p);
                int rdlen = u16(msg, p + 8);
                p += 10 + rdlen;
                if (p > msg.length) {
                    return null;
                }
                if (type == wantedType) {
                    found = true;
                }
            }
            return new Response(id, (flags & 0x8000) != 0, flags & 0xf, found);
        } catch (ArrayIndexOutOfBoundsException e) {
            return null;
        }
    }

    /** The numeric type of a name such as {@code AAAA}, or -1. */
    static int type(String name) {
        return TYPES.getOrDefault(name.toUpperCase(Locale.ROOT), -1);
    }

    private static int skipName(byte[] msg, int p) {
        while (true) {
            int len = msg[p] & 0xff;
            if (len == 0) {
                return p + 1;
            }
            if ((len & 0xc0) == 0xc0) {
                return p + 2;
            }
            p += 1 + len;
        }
    }

    private static int u16(byte[] b, int off) {
        return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
    }

    private static void put16(ByteArrayOutputStream out, int v) {
        out.write((v >>> 8) & 0xff);
        out.write(v & 0xff);
    }
}

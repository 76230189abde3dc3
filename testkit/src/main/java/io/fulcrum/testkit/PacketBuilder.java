package io.fulcrum.testkit;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A fluent builder of test frames: Ethernet (+ 802.1Q), one or more IPv4/IPv6 headers (more than one makes an IP-in-IP
 * tunnel, outermost first), and TCP, UDP, ICMP or ICMPv6 with every length and checksum computed in full.
 *
 * <p>Written independently of the dataplane's flyweights (plain byte arrays) so golden tests compare the dataplane's
 * output with frames built another way. Not thread-safe; one builder per frame, on the test thread.
 *
 * <pre>{@code
 * byte[] syn = PacketBuilder.frame().eth("02:00:00:00:00:01", "02:00:00:00:00:02")
 *         .ip("198.51.100.7", "192.0.2.10").tcp(40000, 80).flags(PacketBuilder.SYN).build();
 * }</pre>
 */
public final class PacketBuilder {

    /** TCP flag FIN. */
    public static final int FIN = 0x01;
    /** TCP flag SYN. */
    public static final int SYN = 0x02;
    /** TCP flag RST. */
    public static final int RST = 0x04;
    /** TCP flag PSH. */
    public static final int PSH = 0x08;
    /** TCP flag ACK. */
    public static final int ACK = 0x10;

    private static final int NONE = 0;
    private static final int TCP = 6;
    private static final int UDP = 17;
    private static final int ICMP = 1;

    private byte[] ethSrc = mac("02:00:00:00:00:01");
    private byte[] ethDst = mac("02:00:00:00:00:02");
    private int vlan = -1;
    private final List<Ip> ips = new ArrayList<>();
    private int transport = NONE;
    private int sport;
    private int dport;
    private int tcpFlags = ACK;
    private long seq = 1000;
    private long ackNo;
    private int window = 65535;
    private byte[] tcpOptions = new byte[0];
    private boolean udpNoChecksum;
    private int icmpType;
    private int icmpCode;
    private int icmpRest;
    private byte[] payload = new byte[0];

    private static final class Ip {
        byte[] src;
        byte[] dst;
        int ttl = 64;
        int id = 0x1234;
        boolean df = true;
        int tos;
        byte[] options = new byte[0];
        byte[] hopByHop;
        int flowLabel;
    }

    private PacketBuilder() {
    }

    /** Starts a new frame. */
    public static PacketBuilder frame() {
        return new PacketBuilder();
    }

    /** Sets the Ethernet source and destination MAC addresses ("02:00:00:00:00:01"). */
    public PacketBuilder eth(String src, String dst) {
        ethSrc = mac(src);
        ethDst = mac(dst);
        return this;
    }

    /** Adds an 802.1Q tag with this VLAN id. */
    public PacketBuilder vlan(int id) {
        vlan = id;
        return this;
    }

    /** Adds an IP header (IPv4 or IPv6 from the address form); a second call makes the first the outer tunnel header. */
    public PacketBuilder ip(String src, String dst) {
        Ip ip = new Ip();
        ip.src = addr(src);
        ip.dst = addr(dst);
        if (ip.src.length != ip.dst.length) {
            throw new IllegalArgumentException("mixed address families: " + src + " " + dst);
        }
        ips.add(ip);
        return this;
    }

    /** Sets the TTL / hop limit of the last IP header. */
    public PacketBuilder ttl(int ttl) {
        last().ttl = ttl;
        return this;
    }

    /** Sets the IPv4 identification of the last IP header. */
    public PacketBuilder id(int id) {
        last().id = id;
        return this;
    }

    /** Sets the IPv4 don't-fragment flag of the last IP header (default set). */
    public PacketBuilder df(boolean df) {
        last().df = df;
        return this;
    }

    /** Sets the IPv4 TOS / IPv6 traffic class of the last IP header. */
    public PacketBuilder tos(int tos) {
        last().tos = tos;
        return this;
    }

    /** Adds IPv4 options (padded with end-of-options to a multiple of 4) to the last IP header. */
    public PacketBuilder ipv4Options(byte[] options) {
        last().options = pad(options, 4);
        return this;
    }

    /** Adds an IPv6 hop-by-hop extension header with these option bytes (PadN-padded to 8n-2) to the last header. */
    public PacketBuilder ipv6HopByHop(byte[] options) {
        last().hopByHop = options;
        return this;
    }

    /** Makes the transport TCP with these ports (default flags ACK). */
    public PacketBuilder tcp(int sport, int dport) {
        transport = TCP;
        this.sport = sport;
        this.dport = dport;
        return this;
    }

    /** Sets the TCP flags (e.g. {@code SYN}, {@code SYN | ACK}). */
    public PacketBuilder flags(int flags) {
        tcpFlags = flags;
        return this;
    }

    /** Sets the TCP sequence number. */
    public PacketBuilder seq(long seq) {
        this.seq = seq;
        return this;
    }

    /** Sets the TCP acknowledgement number. */
    public PacketBuilder ackNumber(long ack) {
        this.ackNo = ack;
        return this;
    }

    /** Sets the TCP window. */
    public PacketBuilder window(int window) {
        this.window = window;
        return this;
    }

    /** Sets the TCP options, used as given (must be a multiple of 4 bytes). */
    public PacketBuilder tcpOptions(byte[] options) {
        if (options.length % 4 != 0) {
            throw new IllegalArgumentException("TCP options must be a multiple of 4 bytes");
        }
        tcpOptions = options.clone();
        return this;
    }

    /** Makes the transport UDP with these ports. */
    public PacketBuilder udp(int sport, int dport) {
        transport = UDP;
        this.sport = sport;
        this.dport = dport;
        return this;
    }

    /** Leaves the UDP checksum zero (IPv4 only: "no checksum"). */
    public PacketBuilder udpNoChecksum() {
        udpNoChecksum = true;
        return this;
    }

    /** Makes the transport an ICMP (IPv4) or ICMPv6 (IPv6) echo request with this identifier and sequence. */
    public PacketBuilder icmpEcho(int id, int sequence) {
        transport = ICMP;
        icmpType = -1;
        icmpCode = 0;
        icmpRest = (id << 16) | (sequence & 0xFFFF);
        return this;
    }

    /**
     * Makes the transport an ICMP or ICMPv6 message of this type/code, with the 32-bit rest-of-header (e.g. the
     * next-hop MTU in its low 16 bits for ICMP fragmentation-needed, or the MTU for ICMPv6 packet-too-big) and this
     * body (for errors: the quoted IP packet, see {@link #buildIp()}).
     */
    public PacketBuilder icmp(int type, int code, int restOfHeader, byte[] body) {
        transport = ICMP;
        icmpType = type;
        icmpCode = code;
        icmpRest = restOfHeader;
        payload = body.clone();
        return this;
    }

    /** Sets the transport payload. */
    public PacketBuilder payload(byte[] payload) {
        this.payload = payload.clone();
        return this;
    }

    /** Builds the whole Ethernet frame. */
    public byte[] build() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ethDst);
        out.writeBytes(ethSrc);
        byte[] ip = buildIp();
        if (vlan >= 0) {
            out.writeBytes(new byte[] {(byte) 0x81, 0x00, (byte) (vlan >>> 8), (byte) vlan});
        }
        int etherType = ips.isEmpty() ? 0x0800 : (ips.get(0).src.length == 4 ? 0x0800 : 0x86DD);
        out.writeBytes(new byte[] {(byte) (etherType >>> 8), (byte) etherType});
        out.writeBytes(ip);
        return out.toByteArray();
    }

    /** Builds only the IP packet (outermost IP header first), e.g. to quote it inside an ICMP error. */
    public byte[] buildIp() {
        if (ips.isEmpty()) {
            throw new IllegalStateException("no IP header");
        }
        Ip innermost = ips.get(ips.size() - 1);
        byte[] l4 = buildTransport(innermost);
        int proto = transport == TCP ? 6 : transport == UDP ? 17 : innermost.src.length == 4 ? 1 : 58;
        byte[] packet = ipHeaderAndPayload(innermost, proto, l4);
        for (int i = ips.size() - 2; i >= 0; i--) {
            Ip outer = ips.get(i);
            Ip inner = ips.get(i + 1);
            packet = ipHeaderAndPayload(outer, inner.src.length == 4 ? 4 : 41, packet);
        }
        return packet;
    }

    private byte[] buildTransport(Ip ip) {
        byte[] l4;
        int proto;
        switch (transport) {
            case TCP -> {
                proto = 6;
                int hl = 20 + tcpOptions.length;
                l4 = new byte[hl + payload.length];
                put16(l4, 0, sport);
                put16(l4, 2, dport);
                put32(l4, 4, seq);
                put32(l4, 8, ackNo);
                l4[12] = (byte) ((hl / 4) << 4);
                l4[13] = (byte) tcpFlags;
                put16(l4, 14, window);
                System.arraycopy(tcpOptions, 0, l4, 20, tcpOptions.length);
                System.arraycopy(payload, 0, l4, hl, payload.length);
                put16(l4, 16, Checksums.checksum(l4, 0, l4.length, Checksums.pseudoHeader(ip.src, ip.dst, 6, l4.length)));
            }
            case UDP -> {
                proto = 17;
                l4 = new byte[8 + payload.length];
                put16(l4, 0, sport);
                put16(l4, 2, dport);
                put16(l4, 4, l4.length);
                System.arraycopy(payload, 0, l4, 8, payload.length);
                if (!udpNoChecksum || ip.src.length == 16) {
                    int c = Checksums.checksum(l4, 0, l4.length, Checksums.pseudoHeader(ip.src, ip.dst, 17, l4.length));
                    put16(l4, 6, c == 0 ? 0xFFFF : c);
                }
            }
            case ICMP -> {
                boolean v6 = ip.src.length == 16;
                proto = v6 ? 58 : 1;
                l4 = new byte[8 + payload.length];
                int type = icmpType >= 0 ? icmpType : (v6 ? 128 : 8);
                l4[0] = (byte) type;
                l4[1] = (byte) icmpCode;
                put32(l4, 4, icmpRest & 0xFFFFFFFFL);
                System.arraycopy(payload, 0, l4, 8, payload.length);
                long initial = v6 ? Checksums.pseudoHeader(ip.src, ip.dst, 58, l4.length) : 0;
                put16(l4, 2, Checksums.checksum(l4, 0, l4.length, initial));
            }
            default -> {
                proto = 0;
                l4 = payload.clone();
            }
        }
        assert proto >= 0;
        return l4;
    }

    private static byte[] ipHeaderAndPayload(Ip ip, int proto, byte[] body) {
        if (ip.src.length == 4) {
            int hl = 20 + ip.options.length;
            byte[] p = new byte[hl + body.length];
            p[0] = (byte) (0x40 | (hl / 4));
            p[1] = (byte) ip.tos;
            put16(p, 2, p.length);
            put16(p, 4, ip.id);
            put16(p, 6, ip.df ? 0x4000 : 0);
            p[8] = (byte) ip.ttl;
            p[9] = (byte) proto;
            System.arraycopy(ip.src, 0, p, 12, 4);
            System.arraycopy(ip.dst, 0, p, 16, 4);
            System.arraycopy(ip.options, 0, p, 20, ip.options.length);
            put16(p, 10, Checksums.checksum(p, 0, hl, 0));
            System.arraycopy(body, 0, p, hl, body.length);
            return p;
        }
        byte[] ext = new byte[0];
        int next = proto;
        if (ip.hopByHop != null) {
            int len = ((ip.hopByHop.length + 2 + 7) / 8) * 8;
            ext = new byte[len];
            ext[0] = (byte) proto;
            ext[1] = (byte) (len / 8 - 1);
            System.arraycopy(ip.hopByHop, 0, ext, 2, ip.hopByHop.length);
            int padStart = 2 + ip.hopByHop.length;
            int padLen = len - padStart;
            if (padLen == 1) {
                ext[padStart] = 0; // Pad1
            } else if (padLen > 1) {
                ext[padStart] = 1; // PadN
                ext[padStart + 1] = (byte) (padLen - 2);
            }
            next = 0;
        }
        byte[] p = new byte[40 + ext.length + body.length];
        p[0] = (byte) (0x60 | (ip.tos >>> 4));
        p[1] = (byte) (((ip.tos & 0x0F) << 4) | ((ip.flowLabel >>> 16) & 0x0F));
        put16(p, 2, ip.flowLabel & 0xFFFF);
        put16(p, 4, ext.length + body.length);
        p[6] = (byte) next;
        p[7] = (byte) ip.ttl;
        System.arraycopy(ip.src, 0, p, 8, 16);
        System.arraycopy(ip.dst, 0, p, 24, 16);
        System.arraycopy(ext, 0, p, 40, ext.length);
        System.arraycopy(body, 0, p, 40 + ext.length, body.length);
        return p;
    }

    private Ip last() {
        if (ips.isEmpty()) {
            throw new IllegalStateException("add an IP header first");
        }
        return ips.get(ips.size() - 1);
    }

    /** Parses a MAC address "02:00:00:00:00:01". */
    public static byte[] mac(String text) {
        return HexFormat.ofDelimiter(":").parseHex(text);
    }

    /** Parses a literal IPv4 or IPv6 address into its bytes. */
    public static byte[] addr(String literal) {
        try {
            return InetAddress.ofLiteral(literal).getAddress();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an IP address literal: " + literal, e);
        }
    }

    /** Parses a literal address into an {@link InetAddress}. */
    public static InetAddress inet(String literal) {
        try {
            return InetAddress.getByAddress(addr(literal));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    /** Formats bytes as lowercase hex, for assertion messages. */
    public static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    private static byte[] pad(byte[] b, int multiple) {
        int len = ((b.length + multiple - 1) / multiple) * multiple;
        byte[] out = new byte[len];
        System.arraycopy(b, 0, out, 0, b.length);
        return out;
    }

    private static void put16(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }

    private static void put32(byte[] b, int off, long v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }
}

package io.fulcrum.dataplane;

import static io.fulcrum.dataplane.Lab.CLIENT_MAC;
import static io.fulcrum.dataplane.Lab.LB0_MAC;
import static io.fulcrum.dataplane.Lab.LB1_MAC;
import static io.fulcrum.dataplane.Lab.ROUTER_MAC;
import static io.fulcrum.dataplane.Lab.RS_MAC;
import static io.fulcrum.testkit.PacketBuilder.ACK;
import static io.fulcrum.testkit.PacketBuilder.FIN;
import static io.fulcrum.testkit.PacketBuilder.PSH;
import static io.fulcrum.testkit.PacketBuilder.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.dataplane.counters.DataplaneCounter;
import io.fulcrum.dataplane.service.ForwardingMethod;
import io.fulcrum.testkit.Checksums;
import io.fulcrum.testkit.PacketBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden packet tests in Katran's style: tables of (input frame, expected verdict, expected output frame) for every
 * forwarding method × TCP/UDP/ICMP × IPv4/IPv6. Every frame is built by the testkit's {@link PacketBuilder} with full
 * checksums; outputs are compared byte for byte and re-verified by the independent {@link Checksums}. Each scenario
 * runs its rows in order on a fresh dataplane (later rows depend on the connections earlier rows created).
 */
class GoldenPacketTest {

    private static final AtomicInteger ROWS = new AtomicInteger();

    record Row(String name, byte[] in, Verdict verdict, DataplaneCounter reason, byte[] expected) {
    }

    static Row tx(String name, byte[] in, byte[] expected) {
        return new Row(name, in, Verdict.TX, null, expected);
    }

    static Row local(String name, byte[] in) {
        return new Row(name, in, Verdict.LOCAL, null, in);
    }

    static Row drop(String name, byte[] in, DataplaneCounter reason) {
        return new Row(name, in, Verdict.DROP, reason, null);
    }

    static byte[] payload(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 7 + 3);
        }
        return b;
    }

    static PacketBuilder tcpB(String smac, String dmac, String s, String d, int ttl, int sp, int dp, int flags, int len) {
        return PacketBuilder.frame().eth(smac, dmac).ip(s, d).ttl(ttl).tcp(sp, dp).flags(flags).seq(5000 + len)
                .ackNumber((flags & ACK) != 0 ? 9000 : 0).payload(payload(len));
    }

    static byte[] tcp(String smac, String dmac, String s, String d, int ttl, int sp, int dp, int flags, int len) {
        return tcpB(smac, dmac, s, d, ttl, sp, dp, flags, len).build();
    }

    static byte[] udp(String smac, String dmac, String s, String d, int ttl, int sp, int dp, int len) {
        return PacketBuilder.frame().eth(smac, dmac).ip(s, d).ttl(ttl).udp(sp, dp).payload(payload(len)).build();
    }

    static byte[] quotedTcp(String s, String d, int sp, int dp, int len) {
        return PacketBuilder.frame().ip(s, d).ttl(63).tcp(sp, dp).flags(ACK | PSH).seq(777).ackNumber(888)
                .payload(payload(len)).buildIp();
    }

    static byte[] quotedUdp(String s, String d, int sp, int dp, int len) {
        return PacketBuilder.frame().ip(s, d).ttl(63).udp(sp, dp).payload(payload(len)).buildIp();
    }

    /** ICMP "fragmentation needed" (IPv4, MTU 1400) or ICMPv6 "packet too big" (MTU 1280). */
    static byte[] tooBig(boolean v6, String smac, String dmac, String s, String d, int ttl, byte[] quoted) {
        PacketBuilder b = PacketBuilder.frame().eth(smac, dmac).ip(s, d).ttl(ttl);
        return (v6 ? b.icmp(2, 0, 1280, quoted) : b.icmp(3, 4, 1400, quoted)).build();
    }

    /** ICMP port unreachable (IPv4 type 3 code 3, ICMPv6 type 1 code 4). */
    static byte[] portUnreachable(boolean v6, String smac, String dmac, String s, String d, int ttl, byte[] quoted) {
        PacketBuilder b = PacketBuilder.frame().eth(smac, dmac).ip(s, d).ttl(ttl);
        return (v6 ? b.icmp(1, 4, 0, quoted) : b.icmp(3, 3, 0, quoted)).build();
    }

    static byte[] toa(boolean v6, String client, int port) {
        byte[] a = PacketBuilder.addr(client);
        byte[] o = new byte[4 + a.length];
        o[0] = (byte) 254;
        o[1] = (byte) o.length;
        o[2] = (byte) (port >>> 8);
        o[3] = (byte) port;
        System.arraycopy(a, 0, o, 4, a.length);
        return o;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = new byte[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    // ------------------------------------------------------------------------------------------------ scenarios

    static List<Row> fnatTcp(Lab l) {
        boolean v6 = l.v6;
        String c = l.client;
        String v = l.vip(ForwardingMethod.FNAT);
        String r = l.rs(ForwardingMethod.FNAT);
        String lip = l.lip;
        List<Row> rows = new ArrayList<>();
        rows.add(tx("client SYN becomes LIP:1024 -> RIP:8080", tcp(CLIENT_MAC, LB0_MAC, c, v, 64, 40000, 80, SYN, 0),
                tcp(LB1_MAC, RS_MAC, lip, r, 63, 1024, 8080, SYN, 0)));
        rows.add(tx("real server SYN-ACK back to the client", tcp(RS_MAC, LB1_MAC, r, lip, 64, 8080, 1024, SYN | ACK, 0),
                tcp(LB0_MAC, CLIENT_MAC, v, c, 63, 80, 40000, SYN | ACK, 0)));
        rows.add(tx("client ACK", tcp(CLIENT_MAC, LB0_MAC, c, v, 64, 40000, 80, ACK, 0),
                tcp(LB1_MAC, RS_MAC, lip, r, 63, 1024, 8080, ACK, 0)));
        for (int len : new int[] {1, 100, 1200}) {
            rows.add(tx("client data " + len, tcp(CLIENT_MAC, LB0_MAC, c, v, 64, 40000, 80, ACK | PSH, len),
                    tcp(LB1_MAC, RS_MAC, lip, r, 63, 1024, 8080, ACK | PSH, len)));
        }
        for (int len : new int[] {10, 1400}) {
            rows.add(tx("server data " + len, tcp(RS_MAC, LB1_MAC, r, lip, 64, 8080, 1024, ACK | PSH, len),
                    tcp(LB0_MAC, CLIENT_MAC, v, c, 63, 80, 40000, ACK | PSH, len)));
        }
        rows.add(tx("client data in VLAN 7 keeps its tag",
                tcpB(CLIENT_MAC, LB0_MAC, c, v, 64, 40000, 80, ACK, 33).vlan(7).build(),
                tcpB(LB1_MAC, RS_MAC, lip, r, 63, 1024, 8080, ACK, 33).vlan(7).build()));
        if (!v6) {
            byte[] opts = {7, 7, 4, 0, 0, 0, 0, 0}; // record route, then end of options
            rows.add(tx("client data with IPv4 options",
                    tcpB(CLIENT_MAC, LB0_MAC, c, v, 64, 40000, 80, ACK, 20).ipv4Options(opts).build(),
                    tcpB(LB1_MAC, RS_MAC, lip, r, 63, 1024, 8080, ACK, 20).ipv4Options(opts).build()));
        } else {
            byte[] opts = {1, 2, 0, 0};
            rows.add(tx("client data behind a hop-by-hop header",
                    tcpB(CLIENT_MAC, LB0_MAC, c, v, 64, 40000, 80, ACK, 20).ipv6HopByHop(opts).build(),
                    tcpB(LB1_MAC, RS_MAC, lip, r, 63, 1024, 8080, ACK, 20).ipv6HopByHop(opts).build()));
        }
        rows.add(tx("ICMP too-big from the real-server side is translated to the client",
                tooBig(v6, ROUTER_MAC, LB1_MAC, l.rsRouter, lip, 64, quotedTcp(lip, r, 1024, 8080, 100)),
                tooBig(v6, LB0_MAC, CLIENT_MAC, v, c, 63, quotedTcp(c, v, 40000, 80, 100))));
        rows.add(tx("ICMP too-big from the client side is translated to the real server",
                tooBig(v6, ROUTER_MAC, LB0_MAC, l.clientRouter, v, 64, quotedTcp(v, c, 80, 40000, 50)),
                tooBig(v6, LB1_MAC, RS_MAC, lip, r, 63, quotedTcp(r, lip, 8080, 1024, 50))));
        rows.add(tx("second client gets the next local port", tcp(CLIENT_MAC, LB0_MAC, l.client2, v, 64, 40001, 80, SYN, 0),
                tcp(LB1_MAC, RS_MAC, lip, r, 63, 1025, 8080, SYN, 0)));
        rows.add(tx("second connection's reply", tcp(RS_MAC, LB1_MAC, r, lip, 64, 8080, 1025, SYN | ACK, 0),
                tcp(LB0_MAC, CLIENT_MAC, v, l.client2, 63, 80, 40001, SYN | ACK, 0)));
        rows.add(drop("ACK without a connection", tcp(CLIENT_MAC, LB0_MAC, c, v, 64, 40002, 80, ACK, 0),
                DataplaneCounter.DROP_NO_CONNECTION));
        rows.add(drop("stale reply to the local address", tcp(RS_MAC, LB1_MAC, r, lip, 64, 8080, 9999, ACK, 0),
                DataplaneCounter.DROP_NO_CONNECTION));
        rows.add(drop("TTL 1 is not forwarded", tcp(CLIENT_MAC, LB0_MAC, c, v, 1, 40000, 80, ACK, 0),
                DataplaneCounter.DROP_TTL_EXPIRED));
        rows.add(local("ICMP echo to the VIP goes to the kernel",
                PacketBuilder.frame().eth(CLIENT_MAC, LB0_MAC).ip(c, v).icmpEcho(1, 1).payload(payload(8)).build()));
        rows.add(tx("client FIN", tcp(CLIENT_MAC, LB0_MAC, c, v, 64, 40000, 80, FIN | ACK, 0),
                tcp(LB1_MAC, RS_MAC, lip, r, 63, 1024, 8080, FIN | ACK, 0)));
        rows.add(tx("server FIN", tcp(RS_MAC, LB1_MAC, r, lip, 64, 8080, 1024, FIN | ACK, 0),
                tcp(LB0_MAC, CLIENT_MAC, v, c, 63, 80, 40000, FIN | ACK, 0)));
        return rows;
    }

    static List<Row> fnatToa(Lab l) {
        boolean v6 = l.v6;
        String c = l.client;
        String v = l.vip(ForwardingMethod.FNAT);
        String r = l.rs(ForwardingMethod.FNAT);
        String lip = l.lip;
        byte[] synOpts = {2, 4, 0x05, (byte) 0xb4, 1, 1, 4, 2}; // MSS 1460, NOP, NOP, SACK permitted
        byte[] toa = toa(v6, c, 40000);
        List<Row> rows = new ArrayList<>();
        rows.add(tx("SYN gets the TOA option ahead of its own options",
                tcpB(CLIENT_MAC, LB0_MAC, c, v, 64, 40000, 443, SYN, 0).tcpOptions(synOpts).build(),
                tcpB(LB1_MAC, RS_MAC, lip, r, 63, 1024, 8443, SYN, 0).tcpOptions(concat(toa, synOpts)).build()));
        rows.add(tx("retransmitted SYN gets TOA again",
                tcpB(CLIENT_MAC, LB0_MAC, c, v, 64, 40000, 443, SYN, 0).tcpOptions(synOpts).build(),
                tcpB(LB1_MAC, RS_MAC, lip, r, 63, 1024, 8443, SYN, 0).tcpOptions(concat(toa, synOpts)).build()));
        rows.add(tx("SYN-ACK passes unchanged but translated",
                tcpB(RS_MAC, LB1_MAC, r, lip, 64, 8443, 1024, SYN | ACK, 0).tcpOptions(synOpts).build(),
                tcpB(LB0_MAC, CLIENT_MAC, v, c, 63, 443, 40000, SYN | ACK, 0).tcpOptions(synOpts).build()));
        rows.add(tx("handshake-completing ACK carries TOA too",
                tcp(CLIENT_MAC, LB0_MAC, c, v, 64, 40000, 443, ACK, 0),
                tcpB(LB1_MAC, RS_MAC, lip, r, 63, 1024, 8443, ACK, 0).tcpOptions(toa).build()));
        rows.add(tx("later data has no TOA", tcp(CLIENT_MAC, LB0_MAC, c, v, 64, 40000, 443, ACK | PSH, 300),
                tcp(LB1_MAC, RS_MAC, lip, r, 63, 1024, 8443, ACK | PSH, 300)));
        byte[] full = new byte[v6 ? 24 : 36]; // leaves less room than the option needs
        full[0] = 2;
        full[1] = 4;
        full[2] = 0x05;
        full[3] = (byte) 0xb4;
        for (int i = 4; i < full.length; i++) {
            full[i] = 1;
        }
        rows.add(tx("SYN without option space is forwarded without TOA",
                tcpB(CLIENT_MAC, LB0_MAC, l.client2, v, 64, 40001, 443, SYN, 0).tcpOptions(full).build(),
                tcpB(LB1_MAC, RS_MAC, lip, r, 63, 1025, 8443, SYN, 0).tcpOptions(full).build()));
        return rows;
    }

    static List<Row> fnatUdp(Lab l) {
        boolean v6 = l.v6;
        String c = l.client;
        String v = l.vip(ForwardingMethod.FNAT);
        String r = l.rs(ForwardingMethod.FNAT);
        String lip = l.lip;
        List<Row> rows = new ArrayList<>();
        rows.add(tx("UDP request", udp(CLIENT_MAC, LB0_MAC, c, v, 64, 5000, 80, 40),
                udp(LB1_MAC, RS_MAC, lip, r, 63, 1024, 8080, 40)));
        rows.add(tx("UDP reply", udp(RS_MAC, LB1_MAC, r, lip, 64, 8080, 1024, 200),
                udp(LB0_MAC, CLIENT_MAC, v, c, 63, 80, 5000, 200)));
        rows.add(tx("UDP request on the same flow", udp(CLIENT_MAC, LB0_MAC, c, v, 64, 5000, 80, 1),
                udp(LB1_MAC, RS_MAC, lip, r, 63, 1024, 8080, 1)));
        rows.add(tx("ICMP port unreachable from the real server is translated",
                portUnreachable(v6, RS_MAC, LB1_MAC, r, lip, 64, quotedUdp(lip, r, 1024, 8080, 40)),
                portUnreachable(v6, LB0_MAC, CLIENT_MAC, v, c, 63, quotedUdp(c, v, 5000, 80, 40))));
        if (!v6) {
            rows.add(tx("IPv4 UDP without checksum keeps a zero checksum",
                    PacketBuilder.frame().eth(CLIENT_MAC, LB0_MAC).ip(c, v).udp(5001, 80).udpNoChecksum()
                            .payload(payload(9)).build(),
                    PacketBuilder.frame().eth(LB1_MAC, RS_MAC).ip(lip, r).ttl(63).udp(1025, 8080).udpNoChecksum()
                            .payload(payload(9)).build()));
        } else {
            rows.add(tx("second UDP flow gets the next port", udp(CLIENT_MAC, LB0_MAC, c, v, 64, 5001, 80, 9),
                    udp(LB1_MAC, RS_MAC, lip, r, 63, 1025, 8080, 9)));
        }
        return rows;
    }

    static List<Row> natTcp(Lab l) {
        boolean v6 = l.v6;
        String c = l.client;
        String v = l.vip(ForwardingMethod.NAT);
        String r = l.rs(ForwardingMethod.NAT);
        List<Row> rows = new ArrayList<>();
        rows.add(tx("SYN: destination rewritten", tcp(CLIENT_MAC, LB0_MAC, c, v, 64, 40000, 80, SYN, 0),
                tcp(LB1_MAC, RS_MAC, c, r, 63, 40000, 8080, SYN, 0)));
        rows.add(tx("SYN-ACK: source rewritten", tcp(RS_MAC, LB1_MAC, r, c, 64, 8080, 40000, SYN | ACK, 0),
                tcp(LB0_MAC, CLIENT_MAC, v, c, 63, 80, 40000, SYN | ACK, 0)));
        rows.add(tx("client data", tcp(CLIENT_MAC, LB0_MAC, c, v, 64, 40000, 80, ACK | PSH, 500),
                tcp(LB1_MAC, RS_MAC, c, r, 63, 40000, 8080, ACK | PSH, 500)));
        rows.add(tx("server data", tcp(RS_MAC, LB1_MAC, r, c, 64, 8080, 40000, ACK | PSH, 1000),
                tcp(LB0_MAC, CLIENT_MAC, v, c, 63, 80, 40000, ACK | PSH, 1000)));
        rows.add(tx("ICMP too-big from the real-server side: source becomes the VIP",
                tooBig(v6, ROUTER_MAC, LB1_MAC, l.rsRouter, c, 64, quotedTcp(c, r, 40000, 8080, 60)),
                tooBig(v6, LB0_MAC, CLIENT_MAC, v, c, 63, quotedTcp(c, v, 40000, 80, 60))));
        rows.add(tx("ICMP too-big from the client side goes to the real server",
                tooBig(v6, ROUTER_MAC, LB0_MAC, l.clientRouter, v, 64, quotedTcp(v, c, 80, 40000, 60)),
                tooBig(v6, LB1_MAC, RS_MAC, l.clientRouter, r, 63, quotedTcp(r, c, 8080, 40000, 60))));
        rows.add(drop("ACK without a connection", tcp(CLIENT_MAC, LB0_MAC, c, v, 64, 40009, 80, ACK, 0),
                DataplaneCounter.DROP_NO_CONNECTION));
        rows.add(tx("client FIN", tcp(CLIENT_MAC, LB0_MAC, c, v, 64, 40000, 80, FIN | ACK, 0),
                tcp(LB1_MAC, RS_MAC, c, r, 63, 40000, 8080, FIN | ACK, 0)));
        return rows;
    }

    static List<Row> natUdp(Lab l) {
        boolean v6 = l.v6;
        String c = l.client;
        String v = l.vip(ForwardingMethod.NAT);
        String r = l.rs(ForwardingMethod.NAT);
        List<Row> rows = new ArrayList<>();
        rows.add(tx("UDP request", udp(CLIENT_MAC, LB0_MAC, c, v, 64, 5353, 443, 30),
                udp(LB1_MAC, RS_MAC, c, r, 63, 5353, 8443, 30)));
        rows.add(tx("UDP reply", udp(RS_MAC, LB1_MAC, r, c, 64, 8443, 5353, 70),
                udp(LB0_MAC, CLIENT_MAC, v, c, 63, 443, 5353, 70)));
        rows.add(tx("ICMP port unreachable from the real server",
                portUnreachable(v6, RS_MAC, LB1_MAC, r, c, 64, quotedUdp(c, r, 5353, 8443, 30)),
                portUnreachable(v6, LB0_MAC, CLIENT_MAC, v, c, 63, quotedUdp(c, v, 5353, 443, 30))));
        return rows;
    }

    static List<Row> drTcp(Lab l) {
        boolean v6 = l.v6;
        String c = l.client;
        String v = l.vip(ForwardingMethod.DR);
        List<Row> rows = new ArrayList<>();
        rows.add(tx("SYN: only the MACs change", tcp(CLIENT_MAC, LB0_MAC, c, v, 64, 40000, 80, SYN, 0),
                tcp(LB1_MAC, RS_MAC, c, v, 64, 40000, 80, SYN, 0)));
        rows.add(tx("client data", tcp(CLIENT_MAC, LB0_MAC, c, v, 64, 40000, 80, ACK | PSH, 700),
                tcp(LB1_MAC, RS_MAC, c, v, 64, 40000, 80, ACK | PSH, 700)));
        rows.add(tx("ICMP too-big about the real server's direct reply goes to the real server",
                tooBig(v6, ROUTER_MAC, LB0_MAC, l.clientRouter, v, 64, quotedTcp(v, c, 80, 40000, 64)),
                tooBig(v6, LB1_MAC, RS_MAC, l.clientRouter, v, 64, quotedTcp(v, c, 80, 40000, 64))));
        rows.add(local("real server on this node: delivered locally",
                tcp(CLIENT_MAC, LB0_MAC, c, l.localVip(), 64, 40000, 80, SYN, 0)));
        rows.add(local("local real server keeps getting the flow",
                tcp(CLIENT_MAC, LB0_MAC, c, l.localVip(), 64, 40000, 80, ACK, 10)));
        return rows;
    }

    static List<Row> drUdp(Lab l) {
        String c = l.client;
        String v = l.vip(ForwardingMethod.DR);
        List<Row> rows = new ArrayList<>();
        rows.add(tx("UDP request", udp(CLIENT_MAC, LB0_MAC, c, v, 64, 5000, 443, 30),
                udp(LB1_MAC, RS_MAC, c, v, 64, 5000, 443, 30)));
        rows.add(tx("UDP request again", udp(CLIENT_MAC, LB0_MAC, c, v, 64, 5000, 443, 300),
                udp(LB1_MAC, RS_MAC, c, v, 64, 5000, 443, 300)));
        return rows;
    }

    static byte[] tunnelled(Lab l, String r, byte[] innerFrameNoEth) {
        return innerFrameNoEth;
    }

    static List<Row> tunTcp(Lab l) {
        boolean v6 = l.v6;
        String c = l.client;
        String v = l.vip(ForwardingMethod.TUN);
        String r = l.rs(ForwardingMethod.TUN);
        Function<PacketBuilder, PacketBuilder> none = b -> b;
        List<Row> rows = new ArrayList<>();
        rows.add(tx("SYN is encapsulated IP-in-IP", tcp(CLIENT_MAC, LB0_MAC, c, v, 64, 40000, 80, SYN, 0),
                none.apply(PacketBuilder.frame().eth(LB1_MAC, RS_MAC).ip(l.node, r).ttl(64).id(0).ip(c, v).ttl(64)
                        .tcp(40000, 80).flags(SYN).seq(5000).ackNumber(0)).build()));
        rows.add(tx("data is encapsulated", tcp(CLIENT_MAC, LB0_MAC, c, v, 64, 40000, 80, ACK | PSH, 900),
                PacketBuilder.frame().eth(LB1_MAC, RS_MAC).ip(l.node, r).ttl(64).id(0).ip(c, v).ttl(64)
                        .tcp(40000, 80).flags(ACK | PSH).seq(5900).ackNumber(9000).payload(payload(900)).build()));
        byte[] big = tcp(CLIENT_MAC, LB0_MAC, c, v, 64, 40000, 80, ACK | PSH, v6 ? 1440 : 1460);
        byte[] bigQuote = java.util.Arrays.copyOfRange(big, 14, 14 + (v6 ? 1232 : 548));
        PacketBuilder tb = PacketBuilder.frame().eth(LB0_MAC, CLIENT_MAC).ip(v, c).ttl(64).id(0).df(false);
        rows.add(tx("a full-size packet that would not fit once tunnelled gets ICMP too-big (MTU - outer header)", big,
                (v6 ? tb.icmp(2, 0, 1460, bigQuote) : tb.icmp(3, 4, 1480, bigQuote)).build()));
        byte[] quoted = quotedTcp(v, c, 80, 40000, 32);
        PacketBuilder err = PacketBuilder.frame().eth(LB1_MAC, RS_MAC).ip(l.node, r).ttl(64).id(0)
                .ip(l.clientRouter, v).ttl(64);
        rows.add(tx("ICMP too-big for the real server's reply is tunnelled to it",
                tooBig(v6, ROUTER_MAC, LB0_MAC, l.clientRouter, v, 64, quoted),
                (v6 ? err.icmp(2, 0, 1280, quoted) : err.icmp(3, 4, 1400, quoted)).build()));
        rows.add(drop("ACK without a connection", tcp(CLIENT_MAC, LB0_MAC, c, v, 64, 40001, 80, ACK, 0),
                DataplaneCounter.DROP_NO_CONNECTION));
        return rows;
    }

    static List<Row> tunUdp(Lab l) {
        String c = l.client;
        String v = l.vip(ForwardingMethod.TUN);
        String r = l.rs(ForwardingMethod.TUN);
        List<Row> rows = new ArrayList<>();
        for (int len : new int[] {0, 512}) {
            rows.add(tx("UDP " + len + " encapsulated", udp(CLIENT_MAC, LB0_MAC, c, v, 64, 5000, 443, len),
                    PacketBuilder.frame().eth(LB1_MAC, RS_MAC).ip(l.node, r).ttl(64).id(0).ip(c, v).ttl(64)
                            .udp(5000, 443).payload(payload(len)).build()));
        }
        return rows;
    }

    static List<Row> misc(Lab l) {
        List<Row> rows = new ArrayList<>();
        String c = l.client;
        if (!l.v6) {
            byte[] arp = new byte[42];
            byte[] hdr = PacketBuilder.mac("ff:ff:ff:ff:ff:ff");
            System.arraycopy(hdr, 0, arp, 0, 6);
            System.arraycopy(PacketBuilder.mac(CLIENT_MAC), 0, arp, 6, 6);
            arp[12] = 0x08;
            arp[13] = 0x06;
            rows.add(local("ARP goes to the kernel", arp));
        } else {
            rows.add(local("neighbour solicitation goes to the kernel", PacketBuilder.frame().eth(CLIENT_MAC, LB0_MAC)
                    .ip(c, l.vip(ForwardingMethod.FNAT)).ttl(255).icmp(135, 0, 0, new byte[16]).build()));
        }
        rows.add(local("traffic for an address that is not ours goes to the kernel",
                tcp(CLIENT_MAC, LB0_MAC, c, l.v6 ? "2001:db8:9::9" : "192.0.2.200", 64, 40000, 80, SYN, 0)));
        rows.add(local("a port without a service goes to the kernel",
                tcp(CLIENT_MAC, LB0_MAC, c, l.vip(ForwardingMethod.FNAT), 64, 40000, 22, SYN, 0)));
        if (!l.v6) {
            rows.add(drop("IPv4 fragment to a VIP is not reassembled",
                    fragment(udp(CLIENT_MAC, LB0_MAC, c, l.vip(ForwardingMethod.FNAT), 64, 5000, 80, 100)),
                    DataplaneCounter.DROP_FRAGMENT));
            rows.add(local("IPv4 fragment to another address goes to the kernel",
                    fragment(udp(CLIENT_MAC, LB0_MAC, c, "192.0.2.200", 64, 5000, 80, 100))));
        }
        byte[] good = tcp(CLIENT_MAC, LB0_MAC, c, l.vip(ForwardingMethod.FNAT), 64, 40000, 80, SYN, 0);
        byte[] truncated = java.util.Arrays.copyOf(good, good.length - 10);
        rows.add(drop("truncated frame", truncated, DataplaneCounter.DROP_MALFORMED));
        return rows;
    }

    /** Marks an untagged IPv4 frame as a first fragment (MF set) and fixes its header checksum. */
    static byte[] fragment(byte[] f) {
        byte[] g = f.clone();
        g[14 + 6] = 0x20;
        g[14 + 7] = 0;
        g[14 + 10] = 0;
        g[14 + 11] = 0;
        int c = Checksums.checksum(g, 14, 20, 0);
        g[14 + 10] = (byte) (c >>> 8);
        g[14 + 11] = (byte) c;
        return g;
    }

    static Stream<DynamicContainer> scenarios(boolean v6) {
        String fam = v6 ? "IPv6 " : "IPv4 ";
        List<DynamicContainer> out = new ArrayList<>();
        record S(String name, Function<Lab, List<Row>> rows) {
        }
        for (S s : List.of(new S("FNAT TCP", GoldenPacketTest::fnatTcp), new S("FNAT TCP+TOA", GoldenPacketTest::fnatToa),
                new S("FNAT UDP", GoldenPacketTest::fnatUdp), new S("NAT TCP", GoldenPacketTest::natTcp),
                new S("NAT UDP", GoldenPacketTest::natUdp), new S("DR TCP", GoldenPacketTest::drTcp),
                new S("DR UDP", GoldenPacketTest::drUdp), new S("TUN TCP", GoldenPacketTest::tunTcp),
                new S("TUN UDP", GoldenPacketTest::tunUdp), new S("other", GoldenPacketTest::misc))) {
            Lab[] lab = new Lab[1];
            Lab plan = new Lab(v6);
            List<Row> rows = s.rows().apply(plan);
            plan.close();
            List<DynamicTest> tests = new ArrayList<>();
            for (Row row : rows) {
                tests.add(DynamicTest.dynamicTest(row.name(), () -> {
                    if (lab[0] == null) {
                        lab[0] = new Lab(v6);
                        OPEN.add(lab[0]);
                    }
                    check(lab[0], row);
                }));
            }
            out.add(DynamicContainer.dynamicContainer(fam + s.name(), tests));
        }
        return out.stream();
    }

    private static final List<Lab> OPEN = new ArrayList<>();

    @AfterAll
    static void closeLabs() {
        OPEN.forEach(Lab::close);
        assertTrue(ROWS.get() >= 100, "at least 100 golden rows ran, got " + ROWS.get());
    }

    static void check(Lab lab, Row row) {
        assertEquals(List.of(), Checksums.verifyFrame(row.in()), "input frame of '" + row.name() + "' is valid");
        InMemoryFrameSource.Result r = lab.run(row.in());
        assertEquals(row.verdict(), r.verdict(), row.name() + " (drop reason " + r.dropReason() + ")");
        if (row.verdict() == Verdict.DROP) {
            assertEquals(row.reason(), r.dropReason(), row.name());
        } else {
            assertEquals(PacketBuilder.hex(row.expected()), PacketBuilder.hex(r.output()), row.name());
            assertEquals(List.of(), Checksums.verifyFrame(r.output()), row.name() + ": full checksum verification");
        }
        ROWS.incrementAndGet();
    }

    @TestFactory
    Stream<DynamicContainer> ipv4() {
        return scenarios(false);
    }

    @TestFactory
    Stream<DynamicContainer> ipv6() {
        return scenarios(true);
    }
}

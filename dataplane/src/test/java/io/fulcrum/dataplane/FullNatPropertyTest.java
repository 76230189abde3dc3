package io.fulcrum.dataplane;

import static io.fulcrum.dataplane.TestBed.CLIENT_MAC;
import static io.fulcrum.dataplane.TestBed.LB_MAC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.fulcrum.dataplane.conn.ConnectionTable;
import io.fulcrum.dataplane.conn.ConnectionTimeouts;
import io.fulcrum.dataplane.counters.DataplaneCounter;
import io.fulcrum.dataplane.service.ForwardingMethod;
import io.fulcrum.dataplane.service.Protocol;
import io.fulcrum.dataplane.service.SchedulerKind;
import io.fulcrum.testkit.Checksums;
import io.fulcrum.testkit.PacketBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Property tests of FullNAT with seeded random traffic: a small local-port range forces port reuse and exhaustion,
 * random clock steps expire connections. Invariants checked: (1) no two live connections share
 * LIP:lport:RIP:rport (checked at every creation against the model and by scanning the table); (2) every reply from a
 * real server maps back to the original client tuple from the VIP:vport; (3) every output frame's checksums verify.
 */
class FullNatPropertyTest {

    

    record Tuple(String src, int sport, String dst, int dport) {
    }

    private static Tuple parse(byte[] f, boolean v6) {
        int l3 = 14;
        String src;
        String dst;
        int l4;
        if (!v6) {
            src = addrText(f, l3 + 12, 4);
            dst = addrText(f, l3 + 16, 4);
            l4 = l3 + (f[l3] & 0x0F) * 4;
        } else {
            src = addrText(f, l3 + 8, 16);
            dst = addrText(f, l3 + 24, 16);
            l4 = l3 + 40;
        }
        return new Tuple(src, u16(f, l4), dst, u16(f, l4 + 2));
    }

    private static String addrText(byte[] f, int off, int len) {
        byte[] a = java.util.Arrays.copyOfRange(f, off, off + len);
        try {
            return java.net.InetAddress.getByAddress(a).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int u16(byte[] f, int off) {
        return ((f[off] & 0xFF) << 8) | (f[off + 1] & 0xFF);
    }

    private static String norm(String literal) {
        return PacketBuilder.inet(literal).getHostAddress();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void randomTrafficKeepsLocalTuplesUniqueAndRepliesMapBack(boolean v6) {
        long seed = v6 ? 0xF00D : 0xBEEF;
        Random rnd = new Random(seed);
        DataplaneContext ctx = new DataplaneContext().localPorts(2000, 2011).connectionCapacity(4096)
                .timeouts(new ConnectionTimeouts(Duration.ofSeconds(6), Duration.ofSeconds(2), Duration.ofSeconds(3),
                        Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(1)));
        try (TestBed b = new TestBed(v6, 3, 2, ctx)) {
            b.publish(b.service(Protocol.TCP, ForwardingMethod.FNAT, SchedulerKind.WRR, 0, 1, 2, 3),
                    b.service(Protocol.UDP, ForwardingMethod.FNAT, SchedulerKind.MH, 0, 1, 1, 1));
            String vip = norm(b.vip());
            Map<String, Tuple> clientToLocal = new HashMap<>(); // "proto client:port" -> LIP:lport -> RIP:rport
            Map<String, String> localToClient = new HashMap<>();
            Map<String, Tuple> localTuples = new HashMap<>(); // "proto LIP:lport>RIP:rport" -> that tuple
            int created = 0;
            int replies = 0;
            int exhausted = 0;
            int iterations = 30_000;
            for (int it = 0; it < iterations; it++) {
                int action = rnd.nextInt(10);
                boolean tcp = rnd.nextBoolean();
                int proto = tcp ? 6 : 17;
                if (action < 5) {
                    int c = rnd.nextInt(12);
                    int port = 1024 + rnd.nextInt(12);
                    String ckey = proto + " " + norm(b.client(c)) + ":" + port;
                    int existing = b.dp.core(0).connections().lookup(proto, hi(b.client(c)), lo(b.client(c)), port,
                            hi(b.vip()), lo(b.vip()), 80);
                    PacketBuilder pb = PacketBuilder.frame().eth(CLIENT_MAC, LB_MAC).ip(b.client(c), b.vip());
                    byte[] frame = tcp ? pb.tcp(port, 80).flags(existing >= 0 ? PacketBuilder.ACK : PacketBuilder.SYN)
                            .payload(new byte[rnd.nextInt(20)]).build()
                            : pb.udp(port, 80).payload(new byte[rnd.nextInt(20)]).build();
                    InMemoryFrameSource.Result r = b.send(frame);
                    if (r.verdict() == Verdict.DROP) {
                        assertEquals(DataplaneCounter.DROP_NO_LOCAL_ADDRESS, r.dropReason(), "only exhaustion drops");
                        assertTrue(existing < 0);
                        exhausted++;
                        continue;
                    }
                    assertEquals(Verdict.TX, r.verdict());
                    assertEquals(List.of(), Checksums.verifyFrame(r.output()));
                    Tuple out = parse(r.output(), v6);
                    String lkey = proto + " " + out.src() + ":" + out.sport() + ">" + out.dst() + ":" + out.dport();
                    if (existing >= 0) {
                        assertEquals(clientToLocal.get(ckey), out, "a live connection keeps its local tuple");
                    } else {
                        created++;
                        String previous = localToClient.get(lkey);
                        if (previous != null && !previous.equals(ckey)) {
                            // The local tuple was used before: its previous connection must be gone.
                            Tuple old = clientToLocal.get(previous);
                            String[] pc = previous.split(" ")[1].split(":(?=[0-9]+$)");
                            int stillThere = b.dp.core(0).connections().lookup(proto, hi(pc[0]), lo(pc[0]),
                                    Integer.parseInt(pc[1]), hi(b.vip()), lo(b.vip()), 80);
                            if (stillThere >= 0) {
                                int e = stillThere >>> 1;
                                ConnectionTable t = b.dp.core(0).connections();
                                String l = io.fulcrum.dataplane.packet.AddressWords.toString(
                                        t.addressHi(e, ConnectionTable.LOCAL), t.addressLo(e, ConnectionTable.LOCAL));
                                int lp = t.port(e, ConnectionTable.LOCAL_PORT);
                                String real = io.fulcrum.dataplane.packet.AddressWords.toString(
                                        t.addressHi(e, ConnectionTable.REAL), t.addressLo(e, ConnectionTable.REAL));
                                if ((l + ":" + lp).equals(out.src() + ":" + out.sport()) && real.equals(out.dst())
                                        && t.port(e, ConnectionTable.REAL_PORT) == out.dport()) {
                                    fail("local tuple " + lkey + " handed out while " + previous + " (" + old
                                            + ") still holds it");
                                }
                            }
                        }
                        clientToLocal.put(ckey, out);
                        localTuples.put(lkey, out);
                        localToClient.put(lkey, ckey);
                    }
                } else if (action < 9 && !localToClient.isEmpty()) {
                    List<String> keys = new ArrayList<>(localToClient.keySet());
                    String lkey = keys.get(rnd.nextInt(keys.size()));
                    String ckey = localToClient.get(lkey);
                    Tuple lt = localTuples.get(lkey);
                    int p = Integer.parseInt(lkey.split(" ")[0]);
                    boolean live = b.dp.core(0).connections().lookup(p, hi(lt.dst()), lo(lt.dst()), lt.dport(),
                            hi(lt.src()), lo(lt.src()), lt.sport()) >= 0;
                    PacketBuilder pb = PacketBuilder.frame().eth("02:00:00:00:01:00", LB_MAC).ip(lt.dst(), lt.src());
                    byte[] frame = p == 6 ? pb.tcp(lt.dport(), lt.sport()).flags(PacketBuilder.ACK)
                            .payload(new byte[rnd.nextInt(30)]).build()
                            : pb.udp(lt.dport(), lt.sport()).payload(new byte[rnd.nextInt(30)]).build();
                    InMemoryFrameSource.Result r = b.send(frame);
                    if (!live) {
                        assertEquals(Verdict.DROP, r.verdict(), "reply for an expired connection");
                        continue;
                    }
                    assertEquals(Verdict.TX, r.verdict());
                    assertEquals(List.of(), Checksums.verifyFrame(r.output()));
                    Tuple back = parse(r.output(), v6);
                    String[] cp = ckey.split(" ")[1].split(":(?=[0-9]+$)");
                    assertEquals(new Tuple(vip, 80, cp[0], Integer.parseInt(cp[1])), back,
                            "reply maps back to the original client tuple");
                    replies++;
                } else {
                    b.advance(rnd.nextInt(250));
                }
                if (it % 2000 == 0) {
                    assertUniqueLocalTuples(b.dp.core(0).connections());
                }
            }
            assertUniqueLocalTuples(b.dp.core(0).connections());
            System.out.printf("%s: %d connections created, %d replies mapped back, %d refused (pool exhausted)%n",
                    v6 ? "IPv6" : "IPv4", created, replies, exhausted);
            assertTrue(created > 1000 && replies > 3000, "enough traffic: " + created + " / " + replies);
            assertTrue(exhausted > 0, "the small port range was exhausted at least once");
            assertEquals(exhausted, b.dp.counters().total(DataplaneCounter.LOCAL_ADDRESS_EXHAUSTED));
        }
    }

    private static void assertUniqueLocalTuples(ConnectionTable t) {
        Set<String> seen = new HashSet<>();
        t.forEach(e -> {
            String k = t.byteField(e, ConnectionTable.PROTOCOL) + " " + t.addressLo(e, ConnectionTable.LOCAL) + ":"
                    + t.addressHi(e, ConnectionTable.LOCAL) + ":" + t.port(e, ConnectionTable.LOCAL_PORT) + ">"
                    + t.addressLo(e, ConnectionTable.REAL) + ":" + t.addressHi(e, ConnectionTable.REAL) + ":"
                    + t.port(e, ConnectionTable.REAL_PORT);
            assertTrue(seen.add(k), "two live connections share " + k);
        });
    }

    private static long hi(String a) {
        return io.fulcrum.dataplane.packet.AddressWords.hi(PacketBuilder.inet(a));
    }

    private static long lo(String a) {
        return io.fulcrum.dataplane.packet.AddressWords.lo(PacketBuilder.inet(a));
    }
}

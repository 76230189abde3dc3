package io.fulcrum.dataplane;

import static io.fulcrum.dataplane.TestBed.chosen;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.fulcrum.dataplane.counters.DataplaneCounter;
import io.fulcrum.dataplane.service.ForwardingMethod;
import io.fulcrum.dataplane.service.Protocol;
import io.fulcrum.dataplane.service.SchedulerKind;
import io.fulcrum.testkit.PacketBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * IPVS's conn_reuse_mode: a client SYN that reuses the tuple of a closing entry (TIME_WAIT, CLOSE, or FIN_WAIT where
 * the replies bypass the dataplane) expires that entry and is scheduled afresh; a retransmitted SYN, a SYN on a live
 * connection, and a half-closed NAT/FullNAT connection keep their real server.
 */
class ConnectionReuseTest {

    private static final int SYN = PacketBuilder.SYN;
    private static final int ACK = PacketBuilder.ACK;
    private static final int FIN = PacketBuilder.FIN;
    private static final int RST = PacketBuilder.RST;

    private static long count(TestBed b, DataplaneCounter c) {
        return b.dp.counters().total(c);
    }

    private static int u16(byte[] f, int off) {
        return ((f[off] & 0xFF) << 8) | (f[off + 1] & 0xFF);
    }

    /** The output frame's source port (the FullNAT local port). */
    private static int sourcePort(byte[] f, boolean v6) {
        int l4 = v6 ? 14 + 40 : 14 + (f[14] & 0x0F) * 4;
        return u16(f, l4);
    }

    /** A segment from real server {@code rs} to the local address (FullNAT) or the client (NAT). */
    private static byte[] fromReal(TestBed b, int rs, String dst, int dport, int flags) {
        return PacketBuilder.frame().eth("02:00:00:00:01:0" + rs, TestBed.LB_MAC).ip(b.rs(rs), dst)
                .tcp(8080, dport).flags(flags).build();
    }

    /** DR and TUN: only the client's half is seen, so its FIN leaves the entry in FIN_WAIT for good. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void drSynAfterClientFinIsScheduledAfresh(boolean v6) {
        try (TestBed b = new TestBed(v6, 3, 0, new DataplaneContext())) {
            b.publish(b.service(Protocol.TCP, ForwardingMethod.DR, SchedulerKind.RR, 0, 1, 1, 1));
            assertEquals(0, chosen(b.send(b.syn(0, 30000))));
            assertEquals(0, chosen(b.send(b.syn(0, 30000))), "a retransmitted SYN keeps its real server");
            assertEquals(0, chosen(b.send(b.ack(0, 30000))));
            assertEquals(0, chosen(b.send(b.syn(0, 30000))), "a SYN on an established connection is not a new one");
            assertEquals(0, chosen(b.send(b.tcp(0, 30000, FIN | ACK))));
            assertEquals(0, chosen(b.send(b.ack(0, 30000))));
            assertEquals(0, count(b, DataplaneCounter.CONNECTIONS_REUSED));
            // The client's port comes round again: rr hands out the next real server, as it would for a new port.
            assertEquals(1, chosen(b.send(b.syn(0, 30000))));
            assertEquals(1, count(b, DataplaneCounter.CONNECTIONS_REUSED));
            assertEquals(2, count(b, DataplaneCounter.CONNECTIONS_CREATED));
            assertEquals(1, count(b, DataplaneCounter.CONNECTIONS_ACTIVE));
            assertEquals(1, b.dp.core(0).connections().size());
            assertEquals(1, chosen(b.send(b.ack(0, 30000))), "the new connection sticks to its new real server");
            assertEquals(2, chosen(b.send(b.syn(1, 30000))), "rr goes on from there");
        }
    }

    /** rr over many closed-and-reused client ports: the spread is exact, as if every port were new. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void rrSpreadStaysExactWhenPortsAreReused(boolean v6) {
        try (TestBed b = new TestBed(v6, 3, 0, new DataplaneContext())) {
            b.publish(b.service(Protocol.TCP, ForwardingMethod.DR, SchedulerKind.RR, 0, 1, 1, 1));
            int[] per = new int[3];
            for (int i = 0; i < 300; i++) {
                int port = 40000 + i % 7; // 7 ports for 300 connections: nearly every SYN reuses a closing entry
                int rs = chosen(b.send(b.syn(0, port)));
                per[rs]++;
                b.send(b.ack(0, port));
                b.send(b.tcp(0, port, FIN | ACK));
                b.send(b.ack(0, port));
            }
            assertEquals(100, per[0]);
            assertEquals(100, per[1]);
            assertEquals(100, per[2]);
            assertEquals(293, count(b, DataplaneCounter.CONNECTIONS_REUSED));
        }
    }

    /** FullNAT: both FINs give TIME_WAIT; a new SYN gets a new real server and the old reply tuple is gone. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void fullNatSynInTimeWaitGetsNewRealServerAndLocalPort(boolean v6) {
        try (TestBed b = new TestBed(v6, 3, 1, new DataplaneContext())) {
            b.publish(b.service(Protocol.TCP, ForwardingMethod.FNAT, SchedulerKind.RR, 0, 1, 1, 1));
            String lip = b.laddrs.get(0);
            InMemoryFrameSource.Result first = b.send(b.syn(0, 30000));
            assertEquals(0, chosen(first));
            int lport = sourcePort(first.output(), v6);
            assertEquals(Verdict.TX, b.send(fromReal(b, 0, lip, lport, SYN | ACK)).verdict());
            b.send(b.ack(0, 30000));
            b.send(b.tcp(0, 30000, FIN | ACK));
            assertEquals(Verdict.TX, b.send(fromReal(b, 0, lip, lport, FIN | ACK)).verdict());
            b.send(b.ack(0, 30000)); // TIME_WAIT now
            InMemoryFrameSource.Result second = b.send(b.syn(0, 30000));
            assertEquals(1, chosen(second), "scheduled afresh");
            int lport2 = sourcePort(second.output(), v6);
            assertNotEquals(lport, lport2, "a fresh local port (the old LIP:lport>RIP:rport pair sits in TIME_WAIT"
                    + " on the old real server)");
            assertEquals(1, count(b, DataplaneCounter.CONNECTIONS_REUSED));
            assertEquals(Verdict.DROP, b.send(fromReal(b, 0, lip, lport, ACK)).verdict(),
                    "the old connection's replies no longer map to the client");
            assertEquals(Verdict.TX, b.send(fromReal(b, 1, lip, lport2, SYN | ACK)).verdict());
            assertEquals(1, b.dp.core(0).connections().size());
        }
    }

    /** A reset connection (CLOSE) is reused by the next SYN; NAT's reply tuple is rebuilt for the new server. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void natSynAfterResetIsScheduledAfresh(boolean v6) {
        try (TestBed b = new TestBed(v6, 3, 0, new DataplaneContext())) {
            b.publish(b.service(Protocol.TCP, ForwardingMethod.NAT, SchedulerKind.RR, 0, 1, 1, 1));
            String client = b.client(0);
            assertEquals(0, chosen(b.send(b.syn(0, 30000))));
            assertEquals(Verdict.TX, b.send(fromReal(b, 0, client, 30000, RST | ACK)).verdict());
            assertEquals(1, chosen(b.send(b.syn(0, 30000))));
            assertEquals(1, count(b, DataplaneCounter.CONNECTIONS_REUSED));
            assertNotEquals(Verdict.TX, b.send(fromReal(b, 0, client, 30000, SYN | ACK)).verdict(),
                    "the old real server's segments are no longer NATed back to the client");
            assertEquals(Verdict.TX, b.send(fromReal(b, 1, client, 30000, SYN | ACK)).verdict());
        }
    }

    /** NAT/FullNAT see both halves: one FIN only is a half-closed connection, which a stray SYN does not replace. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void natHalfClosedKeepsItsRealServer(boolean v6) {
        try (TestBed b = new TestBed(v6, 3, 0, new DataplaneContext())) {
            b.publish(b.service(Protocol.TCP, ForwardingMethod.NAT, SchedulerKind.RR, 0, 1, 1, 1));
            assertEquals(0, chosen(b.send(b.syn(0, 30000))));
            b.send(fromReal(b, 0, b.client(0), 30000, SYN | ACK));
            b.send(b.ack(0, 30000));
            b.send(b.tcp(0, 30000, FIN | ACK));
            assertEquals(0, chosen(b.send(b.syn(0, 30000))));
            assertEquals(0, count(b, DataplaneCounter.CONNECTIONS_REUSED));
        }
    }
}

package io.fulcrum.dataplane;

import static io.fulcrum.testkit.PacketBuilder.inet;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fulcrum.dataplane.counters.DataplaneCounters;
import io.fulcrum.dataplane.counters.EntityCounter;
import io.fulcrum.dataplane.service.ForwardingMethod;
import io.fulcrum.dataplane.service.Protocol;
import io.fulcrum.dataplane.service.RealServerSpec;
import io.fulcrum.dataplane.service.SchedulerKind;
import io.fulcrum.dataplane.service.ServiceKey;
import io.fulcrum.testkit.PacketBuilder;
import org.junit.jupiter.api.Test;

/**
 * IPVS's InActConn: per service and real server, the live connections that are not ESTABLISHED, kept at every state
 * change, at creation and at expiry (virtual clock).
 */
class InactiveConnectionsTest {

    private record Slots(DataplaneCounters c, int svc, int rs) {
        long inactive(int slot) {
            return c.total(slot, EntityCounter.CONNECTIONS_INACTIVE);
        }

        long active(int slot) {
            return c.total(slot, EntityCounter.CONNECTIONS_ACTIVE);
        }

        void expect(long live, long inactive, String when) {
            assertEquals(live, active(svc), "service live connections " + when);
            assertEquals(live, active(rs), "real server live connections " + when);
            assertEquals(inactive, inactive(svc), "service inactive connections " + when);
            assertEquals(inactive, inactive(rs), "real server inactive connections " + when);
        }
    }

    private static Slots slots(TestBed b, Protocol p, int port) {
        ServiceKey key = new ServiceKey(p, inet(b.vip()), 80);
        return new Slots(b.dp.counters(), b.dp.serviceSlot(key),
                b.dp.realServerSlot(key, new RealServerSpec(inet(b.rs(0)), port, 1)));
    }

    private static byte[] reply(TestBed b, int lport, int flags) {
        return PacketBuilder.frame().eth("02:00:00:00:01:00", TestBed.LB_MAC).ip(b.rs(0), b.laddrs.get(0))
                .tcp(8080, lport).flags(flags).build();
    }

    @Test
    void tcpIsInactiveUntilEstablishedAndAgainAfterFinUntilItExpires() {
        try (TestBed b = new TestBed(false, 1, 1, new DataplaneContext())) {
            b.publish(b.service(Protocol.TCP, ForwardingMethod.FNAT, SchedulerKind.RR, 0, 1));
            Slots s = slots(b, Protocol.TCP, 8080);
            s.expect(0, 0, "before traffic");
            b.send(b.syn(0, 1000));
            s.expect(1, 1, "after the SYN (SYN_RECV)");
            b.send(b.ack(0, 1000));
            s.expect(1, 0, "after the handshake (ESTABLISHED)");
            b.send(b.ack(0, 1000));
            s.expect(1, 0, "after more data");
            b.send(b.tcp(0, 1000, PacketBuilder.FIN | PacketBuilder.ACK));
            s.expect(1, 1, "after the client's FIN (FIN_WAIT)");
            b.send(reply(b, 1024, PacketBuilder.FIN | PacketBuilder.ACK)); // the first local port handed out
            s.expect(1, 1, "after the server's FIN (TIME_WAIT)");
            b.advance(200_000);
            s.expect(0, 0, "after expiry");
        }
    }

    @Test
    void resetEstablishedConnectionBecomesInactiveAndUdpIsAlwaysInactive() {
        try (TestBed b = new TestBed(false, 1, 1, new DataplaneContext())) {
            b.publish(b.service(Protocol.TCP, ForwardingMethod.FNAT, SchedulerKind.RR, 0, 1),
                    b.service(Protocol.UDP, ForwardingMethod.FNAT, SchedulerKind.RR, 0, 1));
            Slots tcp = slots(b, Protocol.TCP, 8080);
            Slots udp = slots(b, Protocol.UDP, 8080);
            b.send(b.syn(0, 2000));
            b.send(b.ack(0, 2000));
            b.send(b.syn(1, 2001));
            b.send(b.ack(1, 2001));
            tcp.expect(2, 0, "two established");
            b.send(b.tcp(0, 2000, PacketBuilder.RST));
            tcp.expect(2, 1, "one reset (CLOSE)");
            b.send(b.udp(0, 3000));
            b.send(b.udp(1, 3001));
            b.send(b.udp(1, 3001));
            udp.expect(2, 2, "two UDP flows");
            tcp.expect(2, 1, "TCP unchanged by UDP");
            b.advance(20_000); // the reset one (CLOSE, 10 s) is gone
            tcp.expect(1, 0, "after the reset connection expired");
            b.advance(1_000_000); // established: 900 s
            tcp.expect(0, 0, "all expired");
            udp.expect(0, 0, "all expired");
        }
    }

    @Test
    void aSynReusingATimeWaitEntryCountsOnce() {
        try (TestBed b = new TestBed(false, 1, 0, new DataplaneContext())) {
            b.publish(b.service(Protocol.TCP, ForwardingMethod.DR, SchedulerKind.RR, 0, 1));
            Slots s = slots(b, Protocol.TCP, 80);
            b.send(b.syn(0, 4000));
            b.send(b.ack(0, 4000));
            b.send(b.tcp(0, 4000, PacketBuilder.FIN | PacketBuilder.ACK));
            s.expect(1, 1, "DR connection after the client's FIN");
            b.send(b.syn(0, 4000)); // DR in FIN_WAIT: a new SYN starts a new connection on the same tuple
            s.expect(1, 1, "the new connection in SYN_RECV replaced the old one");
            b.send(b.ack(0, 4000));
            s.expect(1, 0, "the new connection established");
        }
    }
}

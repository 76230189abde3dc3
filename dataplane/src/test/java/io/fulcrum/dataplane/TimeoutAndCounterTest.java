package io.fulcrum.dataplane;

import static io.fulcrum.testkit.PacketBuilder.inet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.dataplane.conn.ConnectionTimeouts;
import io.fulcrum.dataplane.counters.DataplaneCounter;
import io.fulcrum.dataplane.counters.EntityCounter;
import io.fulcrum.dataplane.service.ForwardingMethod;
import io.fulcrum.dataplane.service.Protocol;
import io.fulcrum.dataplane.service.RealServerSpec;
import io.fulcrum.dataplane.service.SchedulerKind;
import io.fulcrum.dataplane.service.ServiceKey;
import io.fulcrum.testkit.PacketBuilder;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Per-state timeouts with ipvsadm's --set tcp tcpfin udp meaning, on a virtual clock; counters. */
class TimeoutAndCounterTest {

    private static int live(TestBed b) {
        return b.dp.core(0).connections().size();
    }

    @Test
    void ipvsadmSetTimeoutsApplyPerState() {
        ConnectionTimeouts t = ConnectionTimeouts.DEFAULTS.withIpvsadmSet(10, 5, 3);
        try (TestBed b = new TestBed(false, 1, 0, new DataplaneContext().timeouts(t))) {
            b.publish(b.service(Protocol.TCP, ForwardingMethod.DR, SchedulerKind.RR, 0, 1),
                    b.service(Protocol.UDP, ForwardingMethod.DR, SchedulerKind.RR, 0, 1));
            // UDP: 3 s.
            b.send(b.udp(0, 5000));
            b.advance(2_500);
            assertEquals(1, live(b));
            b.advance(700);
            assertEquals(0, live(b), "udp timeout 3 s");
            // SYN_RECV: 60 s (not set by ipvsadm).
            b.send(b.syn(0, 6000));
            b.advance(59_000);
            assertEquals(1, live(b));
            // ESTABLISHED: tcp 10 s, refreshed by every packet.
            b.send(b.ack(0, 6000));
            b.advance(9_000);
            b.send(b.ack(0, 6000));
            b.advance(9_000);
            assertEquals(1, live(b), "refreshed");
            b.advance(1_200);
            assertEquals(0, live(b), "tcp timeout 10 s");
            // FIN_WAIT: tcpfin 5 s.
            b.send(b.syn(0, 7000));
            b.send(b.ack(0, 7000));
            b.send(b.tcp(0, 7000, PacketBuilder.FIN | PacketBuilder.ACK));
            b.advance(4_500);
            assertEquals(1, live(b));
            b.advance(700);
            assertEquals(0, live(b), "tcpfin timeout 5 s");
            assertEquals(3, b.dp.counters().total(DataplaneCounter.CONNECTIONS_EXPIRED));
            assertEquals(0, b.dp.counters().total(DataplaneCounter.CONNECTIONS_ACTIVE));
        }
    }

    @Test
    void countersPerServiceRealServerAndWorkerAreReadableFromAnotherThread() throws Exception {
        try (TestBed b = new TestBed(false, 1, 1, new DataplaneContext())) {
            b.publish(b.service(Protocol.TCP, ForwardingMethod.FNAT, SchedulerKind.RR, 0, 1));
            byte[] syn = b.syn(0, 1000);
            byte[] data = PacketBuilder.frame().eth(TestBed.CLIENT_MAC, TestBed.LB_MAC).ip(b.client(0), b.vip())
                    .tcp(1000, 80).flags(PacketBuilder.ACK).payload(new byte[100]).build();
            byte[] reply = PacketBuilder.frame().eth("02:00:00:00:01:00", TestBed.LB_MAC).ip(b.rs(0), "10.0.0.100")
                    .tcp(8080, 1024).flags(PacketBuilder.ACK).payload(new byte[200]).build();
            b.send(syn);
            b.send(data);
            b.send(reply);
            b.send(b.syn(0, 1)); // to a port without connection, still to VIP:80: a second connection
            ServiceKey key = new ServiceKey(Protocol.TCP, inet(b.vip()), 80);
            int svc = b.dp.serviceSlot(key);
            int rs = b.dp.realServerSlot(key, new RealServerSpec(inet(b.rs(0)), 8080, 1));
            AtomicLong seen = new AtomicLong();
            Thread reader = new Thread(() -> seen.set(b.dp.counters().total(svc, EntityCounter.BYTES_IN)));
            reader.start();
            reader.join();
            assertEquals((long) syn.length + data.length + b.syn(0, 1).length, seen.get());
            var c = b.dp.counters();
            assertEquals(2, c.total(svc, EntityCounter.CONNECTIONS_TOTAL));
            assertEquals(2, c.total(svc, EntityCounter.CONNECTIONS_ACTIVE));
            assertEquals(3, c.total(svc, EntityCounter.PACKETS_IN));
            assertEquals(1, c.total(svc, EntityCounter.PACKETS_OUT));
            assertEquals(reply.length, c.total(svc, EntityCounter.BYTES_OUT));
            assertEquals(3, c.total(rs, EntityCounter.PACKETS_IN));
            assertEquals(2, c.total(rs, EntityCounter.CONNECTIONS_ACTIVE));
            assertEquals(4, c.total(DataplaneCounter.RX_PACKETS));
            assertEquals(4, c.total(DataplaneCounter.TX_PACKETS));
            b.send(b.ack(3, 9)); // no connection: dropped by reason
            assertEquals(1, c.total(DataplaneCounter.DROP_NO_CONNECTION));
            assertTrue(c.total(DataplaneCounter.RX_BYTES) > c.total(DataplaneCounter.TX_BYTES) - 1000);
        }
    }

    @Test
    void badTuningIsRefusedNamingTheKey() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new DataplaneContext().neighbourTable(new StaticNeighbourTable(1)).maglevTableSize(65536)
                        .conclude());
        assertEquals("dataplane.maglev_table_size 65536 is not prime", e.getMessage());
        IllegalArgumentException e2 = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new DataplaneContext().neighbourTable(new StaticNeighbourTable(1)).connectionCapacity(0)
                        .conclude());
        assertEquals("dataplane.connection_capacity 0 out of range 1..268435456", e2.getMessage());
    }
}

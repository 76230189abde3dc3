package io.fulcrum.dataplane;

import static io.fulcrum.testkit.PacketBuilder.inet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.dataplane.counters.DataplaneCounter;
import io.fulcrum.dataplane.service.ForwardingMethod;
import io.fulcrum.dataplane.service.Protocol;
import io.fulcrum.dataplane.service.SchedulerKind;
import io.fulcrum.dataplane.service.ServiceKey;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** Runtime local-address add/delete: preconditions named in the errors, draining of addresses in use. */
class LocalAddressAdminTest {

    private static String srcOf(InMemoryFrameSource.Result r) {
        byte[] o = r.output();
        return (o[26] & 0xFF) + "." + (o[27] & 0xFF) + "." + (o[28] & 0xFF) + "." + (o[29] & 0xFF);
    }

    @Test
    void preconditionsAreNamed() {
        try (TestBed b = new TestBed(false, 1, 2, new DataplaneContext())) {
            b.publish(b.service(Protocol.TCP, ForwardingMethod.FNAT, SchedulerKind.RR, 0, 1),
                    new io.fulcrum.dataplane.service.VirtualServiceSpec(Protocol.UDP, inet(b.vip()), 53,
                            SchedulerKind.RR, ForwardingMethod.DR, 0, false, false, null, java.util.List.of()));
            ServiceKey key = new ServiceKey(Protocol.TCP, inet(b.vip()), 80);
            LocalAddressException e1 = assertThrows(LocalAddressException.class,
                    () -> b.dp.addLocalAddress(new ServiceKey(Protocol.TCP, inet(b.vip()), 81), inet("10.0.0.200")));
            assertEquals("no such service: [192.0.2.10]:tcp:81", e1.getMessage());
            LocalAddressException e2 = assertThrows(LocalAddressException.class,
                    () -> b.dp.addLocalAddress(new ServiceKey(Protocol.UDP, inet(b.vip()), 53), inet("10.0.0.200")));
            assertTrue(e2.getMessage().startsWith("no such service: [192.0.2.10]:udp:53 is lb_kind DR"),
                    e2.getMessage());
            LocalAddressException e3 = assertThrows(LocalAddressException.class,
                    () -> b.dp.addLocalAddress(key, inet("10.0.0.100")));
            assertEquals("local address already present: 10.0.0.100 in [192.0.2.10]:tcp:80", e3.getMessage());
            LocalAddressException e4 = assertThrows(LocalAddressException.class,
                    () -> b.dp.deleteLocalAddress(key, inet("10.0.0.222")));
            assertEquals("local address not in the pool: 10.0.0.222 in [192.0.2.10]:tcp:80", e4.getMessage());
        }
    }

    @Test
    void addThenUseANewAddress() throws Exception {
        try (TestBed b = new TestBed(false, 1, 1, new DataplaneContext())) {
            b.publish(b.service(Protocol.TCP, ForwardingMethod.FNAT, SchedulerKind.RR, 0, 1));
            ServiceKey key = new ServiceKey(Protocol.TCP, inet(b.vip()), 80);
            assertEquals("10.0.0.100", srcOf(b.send(b.syn(0, 1000))));
            LocalAddressResult r = b.dp.addLocalAddress(key, inet("10.0.0.150"));
            assertTrue(r.done());
            java.util.Set<String> used = new java.util.HashSet<>();
            used.add(srcOf(b.send(b.syn(0, 1001))));
            used.add(srcOf(b.send(b.syn(0, 1002))));
            assertEquals(java.util.Set.of("10.0.0.100", "10.0.0.150"), used, "new connections rotate over both");
        }
    }

    @Test
    void deletingAnAddressInUseDrainsIt() throws Exception {
        try (TestBed b = new TestBed(false, 1, 2, new DataplaneContext())) {
            b.publish(b.service(Protocol.TCP, ForwardingMethod.FNAT, SchedulerKind.RR, 0, 1));
            ServiceKey key = new ServiceKey(Protocol.TCP, inet(b.vip()), 80);
            InetAddress l1 = inet("10.0.0.100");
            // Three connections: local addresses alternate 100, 101, 100.
            assertEquals("10.0.0.100", srcOf(b.send(b.syn(0, 1000))));
            assertEquals("10.0.0.101", srcOf(b.send(b.syn(0, 1001))));
            assertEquals("10.0.0.100", srcOf(b.send(b.syn(0, 1002))));
            assertEquals(2, b.dp.localAddressConnections(key, l1));

            LocalAddressResult r = b.dp.deleteLocalAddress(key, l1);
            assertFalse(r.done());
            assertEquals(2, r.connections());
            assertTrue(r.message().startsWith("local address in use by 2 connections"), r.message());
            for (int i = 0; i < 4; i++) {
                assertEquals("10.0.0.101", srcOf(b.send(b.syn(1, 2000 + i))), "no new connection on a draining address");
            }
            b.dp.core(0).beginBatch();
            InMemoryFrameSource.Result still = b.send(b.ack(0, 1000));
            assertEquals("10.0.0.100", srcOf(still), "existing connections keep their local address");
            assertEquals(0, b.dp.reapDrainedLocalAddresses(), "still in use");

            b.advance(901_000); // ESTABLISHED timeout 900 s: every connection expires
            assertEquals(0, b.dp.localAddressConnections(key, l1));
            assertEquals(1, b.dp.reapDrainedLocalAddresses());
            assertThrows(LocalAddressException.class, () -> b.dp.deleteLocalAddress(key, l1));
            LocalAddressResult r2 = b.dp.deleteLocalAddress(key, inet("10.0.0.101"));
            assertTrue(r2.done(), r2.message());
            InMemoryFrameSource.Result none = b.send(b.syn(2, 3000));
            assertEquals(DataplaneCounter.DROP_NO_LOCAL_ADDRESS, none.dropReason(), "empty pool");
        }
    }
}

package io.fulcrum.dataplane.conn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.dataplane.DataplaneContext;
import io.fulcrum.dataplane.packet.NetworkByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ConnectionTableTest {

    private static void fill(ConnectionTable t, int e, int i) {
        t.address(e, ConnectionTable.CLIENT, 0, NetworkByteOrder.mappedLo(0x0A000000 + i));
        t.port(e, ConnectionTable.CLIENT_PORT, 1024 + (i & 0x7FFF));
        t.address(e, ConnectionTable.VIRTUAL, 0, NetworkByteOrder.mappedLo(0xC000020A));
        t.port(e, ConnectionTable.VIRTUAL_PORT, 80);
        t.address(e, ConnectionTable.REAL, 0, NetworkByteOrder.mappedLo(0x0A010000 + (i % 64)));
        t.port(e, ConnectionTable.REAL_PORT, 8080);
        t.address(e, ConnectionTable.LOCAL, 0, NetworkByteOrder.mappedLo(0x0A020000 + (i >>> 16)));
        t.port(e, ConnectionTable.LOCAL_PORT, i & 0xFFFF);
        t.byteField(e, ConnectionTable.PROTOCOL, 6);
    }

    private static int lookupIn(ConnectionTable t, int i) {
        return t.lookup(6, 0, NetworkByteOrder.mappedLo(0x0A000000 + i), 1024 + (i & 0x7FFF), 0,
                NetworkByteOrder.mappedLo(0xC000020A), 80);
    }

    private static int lookupOut(ConnectionTable t, int i) {
        return t.lookup(6, 0, NetworkByteOrder.mappedLo(0x0A010000 + (i % 64)), 8080, 0,
                NetworkByteOrder.mappedLo(0x0A020000 + (i >>> 16)), i & 0xFFFF);
    }

    /** One million concurrent connections fit in the default capacity, both directions indexed, all found. */
    @Test
    void oneMillionConnectionsFitTheDefaultCapacity() {
        int n = 1_000_000;
        try (ConnectionTable t = new ConnectionTable(DataplaneContext.DEFAULT_CONNECTION_CAPACITY, 100, 8192, 0)) {
            for (int i = 0; i < n; i++) {
                int e = t.allocate();
                assertTrue(e >= 0, "allocation " + i);
                fill(t, e, i);
                assertTrue(t.link(e, 0));
                assertTrue(t.link(e, 1));
                t.expireAt(e, 900_000);
            }
            assertEquals(n, t.size());
            for (int i = 0; i < n; i++) {
                int in = lookupIn(t, i);
                int out = lookupOut(t, i);
                assertTrue(in >= 0 && (in & 1) == 0, "client tuple of flow " + i);
                assertEquals(in >>> 1, out >>> 1, "reply tuple of flow " + i);
                assertEquals(1, out & 1);
            }
            double bpc = t.bytesPerConnection();
            System.out.printf("connection table: capacity %d, %d bytes off-heap, %.1f bytes per connection%n",
                    t.capacity(), t.allocatedBytes(), bpc);
            assertTrue(bpc <= 128, "bytes per connection " + bpc);
        }
    }

    @Test
    void fullTableRefusesAndFreedEntriesAreReused() {
        try (ConnectionTable t = new ConnectionTable(4, 100, 64, 0)) {
            for (int i = 0; i < 4; i++) {
                assertTrue(t.allocate() >= 0);
            }
            assertEquals(-1, t.allocate());
            t.free(2);
            assertEquals(2, t.allocate());
        }
    }

    /** Random inserts and deletes against a HashMap model: backward-shift deletion keeps every key findable. */
    @Test
    void randomInsertDeleteMatchesModel() {
        Random r = new Random(1);
        try (ConnectionTable t = new ConnectionTable(4096, 100, 64, 0)) {
            Map<Integer, Integer> model = new HashMap<>(); // flow id -> entry
            for (int step = 0; step < 200_000; step++) {
                int id = r.nextInt(6000);
                Integer e = model.get(id);
                if (e == null) {
                    int ne = t.allocate();
                    if (ne < 0) {
                        continue;
                    }
                    fill(t, ne, id);
                    assertTrue(t.link(ne, 0));
                    assertTrue(t.link(ne, 1));
                    model.put(id, ne);
                } else {
                    t.free(e);
                    model.remove(id);
                }
                if (step % 10_000 == 0) {
                    for (int k = 0; k < 6000; k++) {
                        Integer me = model.get(k);
                        int in = lookupIn(t, k);
                        if (me == null) {
                            assertEquals(-1, in, "deleted flow " + k + " still found");
                        } else {
                            assertEquals(me.intValue(), in >>> 1);
                            assertEquals(me.intValue(), lookupOut(t, k) >>> 1);
                        }
                    }
                }
            }
            assertEquals(model.size(), t.size());
        }
    }

    @Test
    void duplicateTupleIsRefused() {
        try (ConnectionTable t = new ConnectionTable(16, 100, 64, 0)) {
            int a = t.allocate();
            fill(t, a, 5);
            assertTrue(t.link(a, 0));
            int b = t.allocate();
            fill(t, b, 5);
            assertFalse(t.link(b, 0));
        }
    }

    @Test
    void timerWheelExpiresAtTheLatestExpiryOnly() {
        try (ConnectionTable t = new ConnectionTable(16, 100, 64, 0)) {
            int e = t.allocate();
            fill(t, e, 1);
            t.link(e, 0);
            t.expireAt(e, 1_000);
            List<Integer> expired = new ArrayList<>();
            ConnectionTable.ExpiryListener l = x -> {
                expired.add(x);
                t.free(x);
            };
            t.expireAt(e, 20_000); // refreshed by traffic: lazy, stays in its old slot
            assertEquals(0, t.expire(10_000, 100, l));
            assertEquals(1, t.size());
            assertEquals(0, t.expire(19_999, 100, l));
            assertEquals(1, t.expire(20_150, 100, l));
            assertEquals(List.of(e), expired);
            assertEquals(-1, lookupIn(t, 1));
        }
    }

    @Test
    void expiryIsBoundedPerCall() {
        try (ConnectionTable t = new ConnectionTable(100, 100, 64, 0)) {
            for (int i = 0; i < 100; i++) {
                int e = t.allocate();
                fill(t, e, i);
                t.link(e, 0);
                t.expireAt(e, 500);
            }
            ConnectionTable.ExpiryListener l = t::free;
            assertEquals(30, t.expire(1_000, 30, l));
            assertEquals(70, t.size());
            assertEquals(70, t.expire(1_000, 1000, l));
            assertEquals(0, t.size());
        }
    }

    @Test
    void tcpStateTransitions() {
        int none = ConnectionState.NONE.ordinal();
        int syn = ConnectionState.nextTcp(none, 0x02, true);
        assertEquals(ConnectionState.SYN_RECV.ordinal(), syn);
        assertEquals(syn, ConnectionState.nextTcp(syn, 0x12, false), "SYN-ACK from the server");
        int est = ConnectionState.nextTcp(syn, 0x10, true);
        assertEquals(ConnectionState.ESTABLISHED.ordinal(), est);
        int fin = ConnectionState.nextTcp(est, 0x11, false);
        assertEquals(ConnectionState.FIN_WAIT.ordinal(), fin);
        assertEquals(ConnectionState.TIME_WAIT.ordinal(), ConnectionState.nextTcp(fin, 0x11, true));
        assertEquals(ConnectionState.CLOSE.ordinal(), ConnectionState.nextTcp(est, 0x04, true));
        assertEquals(none, ConnectionState.nextTcp(none, 0x10, true), "a bare ACK opens nothing");
    }
}

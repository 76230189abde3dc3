package io.fulcrum.dataplane.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.dataplane.io.arp.KernelNeighbourTable;
import io.fulcrum.dataplane.io.arp.NeighbourWaitQueue;
import io.fulcrum.dataplane.packet.AddressWords;
import io.fulcrum.testkit.PacketBuilder;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;

/**
 * Frames waiting for their next hop: held up to the capacity (then refused), sent with the resolved MAC once the
 * neighbour is known (directly or through a gateway), dropped after the time limit.
 */
class NeighbourWaitQueueTest {

    private static final long PORT_MAC = 0x02_00_00_00_00_AAL;
    private final Arena arena = Arena.ofAuto();
    private final CachedNanoClock clock = new CachedNanoClock();

    private MemorySegment frame(String dst) {
        byte[] f = PacketBuilder.frame().eth("02:00:00:00:00:01", "02:00:00:00:00:02").ip("10.0.9.9", dst)
                .udp(1000, 53).payload(new byte[20]).build();
        MemorySegment s = arena.allocate(f.length);
        MemorySegment.copy(f, 0, s, ValueLayout.JAVA_BYTE, 0, f.length);
        return s;
    }

    @Test
    void heldUntilResolvedThenSentWithTheMacOrDroppedAfterTheTimeLimit() throws Exception {
        KernelNeighbourTable t = new KernelNeighbourTable(new int[] {7}, 16, clock);
        t.addRoute(InetAddress.getByName("10.0.1.0"), 24, null, 0);
        t.addRoute(InetAddress.getByName("0.0.0.0"), 0, InetAddress.getByName("10.0.1.254"), 0);
        NeighbourWaitQueue q = new NeighbourWaitQueue(2, 256, 1_000_000_000L, clock, new long[] {PORT_MAC});
        List<byte[]> sent = new ArrayList<>();
        NeighbourWaitQueue.Sender sender = (port, seg, off, len) -> {
            assertEquals(0, port);
            sent.add(seg.asSlice(off, len).toArray(ValueLayout.JAVA_BYTE));
        };
        InetAddress direct = InetAddress.getByName("10.0.1.5");
        InetAddress remote = InetAddress.getByName("192.0.2.7");
        MemorySegment f1 = frame("10.0.1.5");
        MemorySegment f2 = frame("192.0.2.7");
        assertTrue(t.routed(AddressWords.hi(remote), AddressWords.lo(remote)));
        assertTrue(q.hold(f1, 0, (int) f1.byteSize(), AddressWords.hi(direct), AddressWords.lo(direct)));
        assertTrue(q.hold(f2, 0, (int) f2.byteSize(), AddressWords.hi(remote), AddressWords.lo(remote)));
        assertFalse(q.hold(f1, 0, (int) f1.byteSize(), AddressWords.hi(direct), AddressWords.lo(direct)), "full");
        assertEquals(1, q.overflowed());

        assertEquals(0, q.release(t, sender));
        assertTrue(sent.isEmpty(), "nothing resolved yet");
        t.putNeighbour(direct, 0x02_00_00_00_01_05L);
        assertEquals(0, q.release(t, sender));
        assertEquals(1, sent.size());
        byte[] expected = f1.toArray(ValueLayout.JAVA_BYTE);
        System.arraycopy(PacketBuilder.mac("02:00:00:00:01:05"), 0, expected, 0, 6);
        System.arraycopy(PacketBuilder.mac("02:00:00:00:00:aa"), 0, expected, 6, 6);
        assertArrayEquals(expected, sent.get(0), "destination and source MAC written, the rest untouched");

        t.putNeighbour(InetAddress.getByName("10.0.1.254"), 0x02_00_00_00_02_54L); // the gateway
        assertEquals(0, q.release(t, sender));
        assertEquals(2, sent.size());
        assertArrayEquals(PacketBuilder.mac("02:00:00:00:02:54"), Arrays.copyOf(sent.get(1), 6));
        assertEquals(0, q.size());

        InetAddress silent = InetAddress.getByName("10.0.1.6");
        assertTrue(q.hold(f1, 0, (int) f1.byteSize(), AddressWords.hi(silent), AddressWords.lo(silent)));
        clock.advance(999_000_000L);
        assertEquals(0, q.release(t, sender));
        clock.advance(1_000_000L);
        assertEquals(1, q.release(t, sender), "dropped after 1 s");
        assertEquals(0, q.size());
        assertEquals(2, q.sent());
        assertEquals(1, q.expired());
        assertEquals(3, q.held());
        q.close();
    }
}

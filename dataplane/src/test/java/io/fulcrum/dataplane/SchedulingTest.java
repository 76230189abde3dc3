package io.fulcrum.dataplane;

import static io.fulcrum.dataplane.TestBed.chosen;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.dataplane.counters.DataplaneCounter;
import io.fulcrum.dataplane.service.ForwardingMethod;
import io.fulcrum.dataplane.service.Protocol;
import io.fulcrum.dataplane.service.SchedulerKind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Schedulers, weights, draining, persistence and snapshot pick-up, driven through the forwarding core. */
class SchedulingTest {

    private static List<Integer> newConnections(TestBed b, int count, int firstPort) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(chosen(b.send(b.syn(i % 200, firstPort + i))));
        }
        return out;
    }

    @Test
    void roundRobin() {
        try (TestBed b = new TestBed(false, 3, 0, new DataplaneContext())) {
            b.publish(b.service(Protocol.TCP, ForwardingMethod.DR, SchedulerKind.RR, 0, 1, 1, 1));
            assertEquals(List.of(0, 1, 2, 0, 1, 2), newConnections(b, 6, 30000));
        }
    }

    /** The classic LVS example: weights 4, 3, 2 give a a b a b c a b c. */
    @Test
    void weightedRoundRobin() {
        try (TestBed b = new TestBed(true, 3, 0, new DataplaneContext())) {
            b.publish(b.service(Protocol.TCP, ForwardingMethod.DR, SchedulerKind.WRR, 0, 4, 3, 2));
            assertEquals(List.of(0, 0, 1, 0, 1, 2, 0, 1, 2), newConnections(b, 9, 30000));
        }
    }

    @Test
    void leastConnectionsFollowsActiveCounts() {
        try (TestBed b = new TestBed(false, 3, 0, new DataplaneContext())) {
            b.publish(b.service(Protocol.TCP, ForwardingMethod.DR, SchedulerKind.LC, 0, 1, 1, 1));
            assertEquals(List.of(0, 1, 2, 0), newConnections(b, 4, 30000));
            // Active now: RS0 2, RS1 1, RS2 1. Reset the first connection (client 0 on RS 0); after the CLOSE
            // timeout (10 s) it expires and RS 0 is among the least loaded again, first in order.
            b.send(b.tcp(0, 30000, io.fulcrum.testkit.PacketBuilder.RST | io.fulcrum.testkit.PacketBuilder.ACK));
            b.advance(11_000);
            assertEquals(List.of(0, 1, 2), newConnections(b, 3, 31000));
        }
    }

    @Test
    void weightedLeastConnectionsHonoursWeights() {
        try (TestBed b = new TestBed(false, 2, 0, new DataplaneContext())) {
            b.publish(b.service(Protocol.TCP, ForwardingMethod.DR, SchedulerKind.WLC, 0, 1, 2));
            int[] count = new int[2];
            for (int x : newConnections(b, 300, 20000)) {
                count[x]++;
            }
            assertEquals(2.0, (double) count[1] / count[0], 0.05, "counts " + count[0] + "/" + count[1]);
        }
    }

    @Test
    void sourceHashKeepsAClientOnOneServer() {
        try (TestBed b = new TestBed(false, 4, 0, new DataplaneContext())) {
            b.publish(b.service(Protocol.TCP, ForwardingMethod.DR, SchedulerKind.SH, 0, 1, 1, 1, 1));
            int[] seen = new int[4];
            for (int c = 0; c < 100; c++) {
                int first = chosen(b.send(b.syn(c, 40000)));
                seen[first]++;
                for (int p = 1; p < 4; p++) {
                    assertEquals(first, chosen(b.send(b.syn(c, 40000 + p))), "client " + c + " port " + p);
                }
            }
            for (int s : seen) {
                assertTrue(s > 5, "every server gets clients: " + java.util.Arrays.toString(seen));
            }
        }
    }

    @Test
    void maglevSpreadsFlowsAndKeepsThemAcrossRepublish() {
        try (TestBed b = new TestBed(true, 3, 0, new DataplaneContext())) {
            b.publish(b.service(Protocol.UDP, ForwardingMethod.DR, SchedulerKind.MH, 0, 1, 1, 1));
            int[] seen = new int[3];
            List<Integer> first = new ArrayList<>();
            for (int i = 0; i < 900; i++) {
                int x = chosen(b.send(b.udp(i % 200, 10000 + i)));
                seen[x]++;
                first.add(x);
            }
            for (int s : seen) {
                assertEquals(300, s, 60, java.util.Arrays.toString(seen));
            }
            b.advance(301_000); // UDP connections expire; the Maglev table alone decides again
            b.publish(b.service(Protocol.UDP, ForwardingMethod.DR, SchedulerKind.MH, 0, 1, 1, 1));
            for (int i = 0; i < 900; i++) {
                assertEquals(first.get(i), chosen(b.send(b.udp(i % 200, 10000 + i))), "flow " + i);
            }
        }
    }

    @Test
    void weightZeroDrainsExistingConnectionsStay() {
        try (TestBed b = new TestBed(false, 3, 0, new DataplaneContext())) {
            b.publish(b.service(Protocol.TCP, ForwardingMethod.DR, SchedulerKind.RR, 0, 1, 1, 1));
            assertEquals(0, chosen(b.send(b.syn(0, 30000))));
            b.publish(b.service(Protocol.TCP, ForwardingMethod.DR, SchedulerKind.RR, 0, 0, 1, 1));
            assertEquals(0, chosen(b.send(b.ack(0, 30000))), "existing connection stays on the drained server");
            for (int x : newConnections(b, 20, 31000)) {
                assertNotEquals(0, x, "no new connection to a weight-0 server");
            }
            b.publish(b.service(Protocol.TCP, ForwardingMethod.DR, SchedulerKind.RR, 0, 0, 0, 0));
            InMemoryFrameSource.Result r = b.send(b.syn(5, 32000));
            assertEquals(Verdict.DROP, r.verdict());
            assertEquals(DataplaneCounter.DROP_NO_REAL_SERVER, r.dropReason());
            assertEquals(0, chosen(b.send(b.ack(0, 30000))));
        }
    }

    @Test
    void persistenceSendsAClientBackToItsServerUntilTheTimeout() {
        try (TestBed b = new TestBed(false, 3, 0, new DataplaneContext())) {
            b.publish(b.service(Protocol.TCP, ForwardingMethod.DR, SchedulerKind.RR, 60, 1, 1, 1));
            assertEquals(0, chosen(b.send(b.syn(0, 30000))));
            assertEquals(1, chosen(b.send(b.syn(1, 30000))));
            assertEquals(0, chosen(b.send(b.syn(0, 30001))), "same client, new port: same server");
            assertEquals(0, chosen(b.send(b.syn(0, 30002))));
            b.advance(61_000);
            assertEquals(2, chosen(b.send(b.syn(0, 30003))), "template expired: scheduled again");
        }
    }

    @Test
    void newSnapshotIsPickedUpBetweenBatchesAndOwnershipGatesNewConnections() {
        try (TestBed b = new TestBed(false, 2, 0, new DataplaneContext())) {
            InMemoryFrameSource.Result before = b.send(b.syn(0, 30000));
            assertEquals(Verdict.LOCAL, before.verdict(), "no service yet");
            b.publish(b.service(Protocol.TCP, ForwardingMethod.DR, SchedulerKind.RR, 0, 1, 1));
            assertEquals(0, chosen(b.send(b.syn(0, 30000))));
            // VIP no longer owned (BACKUP): established flows continue, new ones go to the kernel.
            b.dp.publish(new io.fulcrum.dataplane.service.ServiceTableSpec(
                    b.dp.serviceTable().spec().services(), List.of(), List.of(), List.of()));
            assertEquals(0, chosen(b.send(b.ack(0, 30000))));
            assertEquals(Verdict.LOCAL, b.send(b.syn(1, 30001)).verdict());
        }
    }

    @Test
    void connectionTableFullIsCounted() {
        try (TestBed b = new TestBed(false, 1, 0, new DataplaneContext().connectionCapacity(2))) {
            b.publish(b.service(Protocol.TCP, ForwardingMethod.DR, SchedulerKind.RR, 0, 1));
            assertEquals(Verdict.TX, b.send(b.syn(0, 1)).verdict());
            assertEquals(Verdict.TX, b.send(b.syn(0, 2)).verdict());
            InMemoryFrameSource.Result r = b.send(b.syn(0, 3));
            assertEquals(DataplaneCounter.DROP_TABLE_FULL, r.dropReason());
            assertEquals(1, b.dp.counters().total(DataplaneCounter.CONNECTION_TABLE_FULL));
        }
    }
}

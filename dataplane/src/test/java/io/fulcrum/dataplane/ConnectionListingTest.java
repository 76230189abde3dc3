package io.fulcrum.dataplane;

import static io.fulcrum.testkit.PacketBuilder.inet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.dataplane.conn.ConnectionInfo;
import io.fulcrum.dataplane.conn.ConnectionListing;
import io.fulcrum.dataplane.conn.ConnectionState;
import io.fulcrum.dataplane.service.ForwardingMethod;
import io.fulcrum.dataplane.service.Protocol;
import io.fulcrum.dataplane.service.SchedulerKind;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link Dataplane#listConnections}: the worker agent copies its table out in chunks during its duty cycles (the
 * test thread steps it while another thread waits for the listing), the cap is honoured and reported, and a worker
 * that does not step is reported as unanswered without blocking later listings forever.
 */
class ConnectionListingTest {

    private static ConnectionListing listWhileStepping(DataplaneWorkerAgent agent, Dataplane dp, int limit)
            throws Exception {
        CompletableFuture<ConnectionListing> f = CompletableFuture.supplyAsync(() -> {
            try {
                return dp.listConnections(limit, 20_000);
            } catch (InterruptedException e) {
                throw new CompletionException(e);
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!f.isDone() && System.nanoTime() < deadline) {
            agent.doWork();
            Thread.onSpinWait();
        }
        return f.get(1, TimeUnit.SECONDS);
    }

    @Test
    void listsEveryConnectionWithItsFieldsInChunks() throws Exception {
        try (TestBed b = new TestBed(false, 2, 1, new DataplaneContext().batchSize(64))) {
            b.publish(b.service(Protocol.UDP, ForwardingMethod.FNAT, SchedulerKind.RR, 0, 1, 1));
            InMemoryFrameSource src = new InMemoryFrameSource();
            int n = 1500; // more than one copy chunk (512)
            for (int i = 0; i < n; i++) {
                src.add(b.udp(i % 250, 10_000 + i));
            }
            DataplaneWorkerAgent agent = b.dp.agent(0, src);
            while (agent.doWork() > 0) {
                // process every frame
            }
            b.clock.advance(5_000);

            ConnectionListing all = listWhileStepping(agent, b.dp, 10_000);
            assertEquals(n, all.entries().size());
            assertEquals(n, all.seen());
            assertTrue(all.complete());
            ConnectionInfo c = all.entries().stream()
                    .filter(e -> e.client().equals(inet(b.client(3))) && e.clientPort() == 10_003).findFirst()
                    .orElseThrow();
            assertEquals(Protocol.UDP, c.protocol());
            assertEquals(ForwardingMethod.FNAT, c.method());
            assertEquals(ConnectionState.UDP, c.state());
            assertEquals(inet(b.vip()), c.virtualAddress());
            assertEquals(80, c.virtualPort());
            assertEquals(inet("10.0.0.100"), c.localAddress());
            assertTrue(c.destination().equals(inet(b.rs(0))) || c.destination().equals(inet(b.rs(1))));
            assertEquals(8080, c.destinationPort());
            assertEquals(300_000 - 5_000, c.expiresInMs(), "UDP timeout 300 s, 5 s later");

            ConnectionListing capped = listWhileStepping(agent, b.dp, 100);
            assertEquals(100, capped.entries().size());
            assertEquals(n, capped.seen());
            assertTrue(capped.capped());
            src.close();
        }
    }

    @Test
    void aWorkerThatDoesNotRunIsReportedAndDropsTheAbandonedRequestLater() throws Exception {
        try (TestBed b = new TestBed(false, 1, 1, new DataplaneContext())) {
            b.publish(b.service(Protocol.UDP, ForwardingMethod.FNAT, SchedulerKind.RR, 0, 1));
            InMemoryFrameSource src = new InMemoryFrameSource();
            src.add(b.udp(1, 5000));
            DataplaneWorkerAgent agent = b.dp.agent(0, src);
            agent.doWork();

            ConnectionListing none = b.dp.listConnections(10, 50);
            assertEquals(List.of(0), none.unanswered());
            assertTrue(none.entries().isEmpty());
            assertFalse(none.complete());
            // Still pending (abandoned, not yet dropped): the next listing cannot post either.
            assertEquals(List.of(0), b.dp.listConnections(10, 50).unanswered());
            agent.doWork(); // the worker drops the abandoned request
            ConnectionListing one = listWhileStepping(agent, b.dp, 10);
            assertEquals(1, one.entries().size());
            assertTrue(one.complete());
            src.close();
        }
    }
}

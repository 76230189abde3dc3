package io.fulcrum.dataplane;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fulcrum.dataplane.counters.DataplaneCounter;
import io.fulcrum.dataplane.service.ForwardingMethod;
import io.fulcrum.dataplane.service.Protocol;
import io.fulcrum.dataplane.service.SchedulerKind;
import org.junit.jupiter.api.Test;

/** The worker agent stepped on the test thread: batches from an in-memory source, expiry on a virtual clock. */
class WorkerAgentTest {

    @Test
    void dutyCycleProcessesABatchAndExpires() {
        try (TestBed b = new TestBed(false, 2, 1, new DataplaneContext().batchSize(4))) {
            b.publish(b.service(Protocol.UDP, ForwardingMethod.FNAT, SchedulerKind.RR, 0, 1, 1));
            InMemoryFrameSource src = new InMemoryFrameSource();
            for (int i = 0; i < 6; i++) {
                src.add(b.udp(i, 5000));
            }
            DataplaneWorkerAgent agent = b.dp.agent(0, src);
            assertEquals(4, agent.doWork(), "one batch of 4");
            assertEquals(2, agent.doWork());
            assertEquals(0, agent.doWork());
            assertEquals(6, src.results().stream().filter(r -> r.verdict() == Verdict.TX).count());
            assertEquals(6, b.dp.counters().total(DataplaneCounter.CONNECTIONS_ACTIVE));
            b.clock.advance(301_000);
            assertEquals(6, agent.doWork(), "six UDP connections expire after 300 s");
            assertEquals(0, b.dp.counters().total(DataplaneCounter.CONNECTIONS_ACTIVE));
            src.close();
        }
    }
}

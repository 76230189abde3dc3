package io.fulcrum.dataplane;

import org.agrona.concurrent.Agent;

/**
 * The worker loop as an Agrona {@link Agent}: each duty cycle reads the clock and the newest service table, polls a
 * batch of frames from its {@link FrameSource} through the {@link ForwardingCore}, and expires due connections.
 *
 * <p>Runs on its worker thread (an {@code AgentRunner}), or is stepped by a test on the test thread.
 */
public final class DataplaneWorkerAgent implements Agent {

    private final ForwardingCore core;
    private final FrameSource source;
    private final int batchSize;

    /** Creates the agent for a core and a frame source. */
    public DataplaneWorkerAgent(ForwardingCore core, FrameSource source, int batchSize) {
        this.core = core;
        this.source = source;
        this.batchSize = batchSize;
    }

    @Override
    public int doWork() {
        core.beginBatch();
        int work = source.poll(core, batchSize);
        core.endBatch();
        work += core.expire();
        return work;
    }

    @Override
    public String roleName() {
        return "dataplane-worker-" + core.worker();
    }
}

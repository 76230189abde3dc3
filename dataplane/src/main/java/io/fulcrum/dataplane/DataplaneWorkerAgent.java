package io.fulcrum.dataplane;

import io.fulcrum.dataplane.conn.ConnectionDumpAdapter;
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
    private final ConnectionDumpAdapter dumps;

    /** Creates the agent for a core and a frame source. */
    public DataplaneWorkerAgent(ForwardingCore core, FrameSource source, int batchSize) {
        this(core, source, batchSize, null);
    }

    /**
     * Creates the agent for a core and a frame source that also serves connection listings through {@code dumps}
     * (may be null).
     */
    public DataplaneWorkerAgent(ForwardingCore core, FrameSource source, int batchSize, ConnectionDumpAdapter dumps) {
        this.core = core;
        this.source = source;
        this.batchSize = batchSize;
        this.dumps = dumps;
    }

    @Override
    public int doWork() {
        core.beginBatch();
        int work = source.poll(core, batchSize);
        core.endBatch();
        work += core.expire();
        if (dumps != null) {
            work += dumps.doWork();
        }
        return work;
    }

    @Override
    public String roleName() {
        return "dataplane-worker-" + core.worker();
    }
}

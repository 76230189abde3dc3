package io.fulcrum.vrrp;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.IdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running VRRP engine: {@link #launch(VrrpContext)} starts the one VRRP thread; {@link #close()} stops it
 * gracefully (priority 0 advertised by every MASTER, addresses released).
 *
 * <p>{@link #launch} and {@link #close} may be called from any one controlling thread; {@link #agent()} gives
 * thread-safe reads of state and counters.
 */
public final class Vrrp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Vrrp.class);

    private final VrrpAgent agent;
    private final AgentRunner runner;

    private Vrrp(VrrpAgent agent, AgentRunner runner) {
        this.agent = agent;
        this.runner = runner;
    }

    /**
     * Checks the context, starts the VRRP thread and waits until every socket is open and every instance started.
     *
     * @throws IllegalArgumentException for a bad configuration (nothing started)
     * @throws IllegalStateException when start-up failed on the VRRP thread (e.g. a missing interface); the cause
     *     names the call, interface and address
     */
    public static Vrrp launch(VrrpContext ctx) {
        ctx.conclude();
        VrrpAgent agent = new VrrpAgent(ctx);
        CountDownLatch startedLatch = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Agent wrapper = new Agent() {
            @Override
            public void onStart() {
                try {
                    agent.onStart();
                } catch (RuntimeException | Error e) {
                    failure.set(e);
                    throw e;
                } finally {
                    startedLatch.countDown();
                }
            }

            @Override
            public int doWork() {
                return agent.doWork();
            }

            @Override
            public void onClose() {
                agent.onClose();
            }

            @Override
            public String roleName() {
                return agent.roleName();
            }
        };
        IdleStrategy idle = new IdleStrategy() {
            @Override
            public void idle(int workCount) {
                if (workCount <= 0) {
                    agent.awaitWork();
                }
            }

            @Override
            public void idle() {
                agent.awaitWork();
            }

            @Override
            public void reset() {
            }
        };
        AgentRunner runner = new AgentRunner(idle, t -> {
            if (failure.get() == null) {
                LOG.error("VRRP thread error", t);
            }
        }, null, wrapper);
        AgentRunner.startOnThread(runner, r -> new Thread(r, "vrrp"));
        try {
            if (!startedLatch.await(30, TimeUnit.SECONDS)) {
                runner.close();
                throw new IllegalStateException("VRRP thread did not start within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            runner.close();
            throw new IllegalStateException("interrupted while starting VRRP", e);
        }
        if (failure.get() != null) {
            runner.close();
            throw new IllegalStateException("VRRP start-up failed: " + failure.get().getMessage(), failure.get());
        }
        return new Vrrp(agent, runner);
    }

    /** The engine (state, counters, messages). */
    public VrrpAgent agent() {
        return agent;
    }

    /** Stops the VRRP thread after a graceful shutdown of every instance. */
    @Override
    public void close() {
        runner.close();
    }
}

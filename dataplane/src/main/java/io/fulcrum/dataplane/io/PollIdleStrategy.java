package io.fulcrum.dataplane.io;

import io.fulcrum.netlink.PollSet;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

/**
 * The workers' idle strategy, adaptive: after an empty duty cycle the worker spins for up to a budget of empty cycles,
 * then blocks in {@code poll()} on the ports' descriptors (with a timeout, so timers, expiry and a stop request are
 * still noticed). The budget follows the traffic: a {@code poll()} that slept longer than {@link #SHORT_GAP_NS} halves
 * it (request / response traffic such as new TCP connections leaves gaps longer than a spin, and a spinning worker
 * would only take the CPU from the clients, servers and softirqs on the same cores), and one woken sooner doubles it,
 * up to the configured maximum (a steady packet stream, where a wake-up per gap costs more than the spin).
 *
 * <p>Used only on its worker thread.
 */
public final class PollIdleStrategy implements IdleStrategy {

    /** A {@code poll()} shorter than this means spinning would have been cheaper than sleeping. */
    public static final long SHORT_GAP_NS = 20_000;

    private final PollSet pollSet;
    private final int spins;
    private final int timeoutMs;
    private final NanoClock clock;
    private int budget;
    private int idleCycles;
    private long polls;

    /** Creates a strategy over these descriptors: at most {@code spins} empty cycles spun before blocking. */
    public PollIdleStrategy(int[] fds, int spins, int timeoutMs) {
        this(fds, spins, timeoutMs, SystemNanoClock.INSTANCE);
    }

    /** As {@link #PollIdleStrategy(int[], int, int)} with a clock (tests). */
    public PollIdleStrategy(int[] fds, int spins, int timeoutMs, NanoClock clock) {
        this.pollSet = new PollSet(fds.length);
        for (int fd : fds) {
            pollSet.add(fd, PollSet.POLLIN);
        }
        this.spins = spins;
        this.timeoutMs = timeoutMs;
        this.clock = clock;
        this.budget = spins;
    }

    @Override
    public void idle(int workCount) {
        if (workCount > 0) {
            idleCycles = 0;
        } else {
            idle();
        }
    }

    @Override
    public void idle() {
        if (idleCycles < budget) {
            idleCycles++;
            Thread.onSpinWait();
            return;
        }
        idleCycles = 0;
        polls++;
        long t0 = clock.nanoTime();
        pollSet.poll(timeoutMs);
        if (clock.nanoTime() - t0 < SHORT_GAP_NS) {
            budget = Math.min(spins, budget * 2 + 1); // a little more spinning would have caught it
        } else {
            budget >>= 1; // spinning was in vain: the gaps are longer than a spin
        }
    }

    @Override
    public void reset() {
        idleCycles = 0;
    }

    /** How often the worker blocked in poll(). */
    public long polls() {
        return polls;
    }

    /** The current spin budget (empty cycles spun before the next poll()). */
    public int budget() {
        return budget;
    }

    @Override
    public String alias() {
        return "adaptive-poll";
    }
}

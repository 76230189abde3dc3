package io.fulcrum.dataplane.io;

import io.fulcrum.netlink.PollSet;
import org.agrona.concurrent.IdleStrategy;

/**
 * The workers' idle strategy: busy-polls for a number of empty duty cycles, then blocks in {@code poll()} on the
 * ports' descriptors (with a timeout, so the runner notices a stop) until a frame arrives.
 *
 * <p>Used only on its worker thread.
 */
public final class PollIdleStrategy implements IdleStrategy {

    private final PollSet pollSet;
    private final int spins;
    private final int timeoutMs;
    private int idleCycles;
    private long polls;

    /** Creates a strategy over these descriptors. */
    public PollIdleStrategy(int[] fds, int spins, int timeoutMs) {
        this.pollSet = new PollSet(fds.length);
        for (int fd : fds) {
            pollSet.add(fd, PollSet.POLLIN);
        }
        this.spins = spins;
        this.timeoutMs = timeoutMs;
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
        if (idleCycles++ < spins) {
            Thread.onSpinWait();
            return;
        }
        polls++;
        pollSet.poll(timeoutMs);
    }

    @Override
    public void reset() {
        idleCycles = 0;
    }

    /** How often the worker blocked in poll(). */
    public long polls() {
        return polls;
    }

    @Override
    public String alias() {
        return "poll";
    }
}

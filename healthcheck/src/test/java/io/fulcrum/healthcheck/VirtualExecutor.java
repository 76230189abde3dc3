package io.fulcrum.healthcheck;

import java.util.PriorityQueue;

/** A {@link CheckExecutor} on a virtual clock: tasks run when the test advances time. Single-threaded. */
final class VirtualExecutor implements CheckExecutor {

    private record Task(long at, long seq, Runnable r) {
    }

    private final PriorityQueue<Task> queue = new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at)
            : Long.compare(a.seq, b.seq));
    private long now;
    private long seq;

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public boolean inExecutor() {
        return false;
    }

    @Override
    public void execute(Runnable task) {
        queue.add(new Task(now, seq++, task));
    }

    @Override
    public void schedule(Runnable task, long delayNanos) {
        queue.add(new Task(now + delayNanos, seq++, task));
    }

    /** Runs every task due up to {@code t}, moving the clock forward task by task. */
    void advanceTo(long t) {
        while (!queue.isEmpty() && queue.peek().at <= t) {
            Task k = queue.poll();
            now = k.at;
            k.r.run();
        }
        now = t;
    }
}

package io.fulcrum.healthcheck;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One check that runs once for every (virtual server, real server, checker) that asked for the same target with the
 * same parameters, and fans its verdicts out to all of them.
 *
 * <p>Owned by one {@link CheckExecutor} (an event-loop thread): {@link #start}, the attempts and the verdicts all run
 * there. Subscribers are added before {@link #start}.
 */
final class SharedCheck {

    private static final Logger LOG = LoggerFactory.getLogger(SharedCheck.class);

    /** A (virtual server, real server, checker) this check reports to. */
    record Subscriber(VirtualServerState vs, int rs, int checker) {
    }

    /** Observes how late each attempt started against its schedule (for the scale benchmark). */
    interface StartObserver {
        /** Called on the check's thread as an attempt starts, {@code latenessNanos} after it was due. */
        void onStart(long latenessNanos);
    }

    private final CheckSpec spec;
    private final Prober prober;
    private final CheckExecutor executor;
    private final CheckMachine machine;
    private final StartObserver observer;
    private final List<Subscriber> subscribers = new ArrayList<>(1);
    private long due;
    private volatile boolean closed;
    private long attempts;

    SharedCheck(CheckSpec spec, boolean alpha, Prober prober, CheckExecutor executor, StartObserver observer) {
        this.spec = spec;
        this.prober = prober;
        this.executor = executor;
        this.observer = observer;
        CheckOptions o = spec.options();
        if (spec instanceof CheckSpec.Http http && prober instanceof HttpCheck hc) {
            HttpUrlMachine m = new HttpUrlMachine(http.urls().size(), o.retry(), o.delayLoop().toNanos(),
                    o.delayBeforeRetry().toNanos(), !alpha, http.fastRecovery());
            hc.nextUrl(m::currentUrl);
            this.machine = m;
        } else {
            this.machine = new CheckerStateMachine(o.retry(), o.delayLoop().toNanos(), o.delayBeforeRetry().toNanos(),
                    !alpha);
        }
    }

    void subscribe(Subscriber s) {
        subscribers.add(s);
    }

    List<Subscriber> subscribers() {
        return subscribers;
    }

    CheckSpec spec() {
        return spec;
    }

    /** Schedules the first attempt after {@code firstDelayNanos} (the warmup). Any thread. */
    void start(long firstDelayNanos) {
        due = executor.nanoTime() + firstDelayNanos;
        executor.schedule(this::attempt, firstDelayNanos);
    }

    /** Stops scheduling attempts; an attempt in flight completes without effect. Any thread. */
    void close() {
        closed = true;
    }

    boolean up() {
        return machine.up();
    }

    long attempts() {
        return attempts;
    }

    private void attempt() {
        if (closed) {
            return;
        }
        if (observer != null) {
            observer.onStart(executor.nanoTime() - due);
        }
        attempts++;
        try {
            prober.probe(r -> {
                if (executor.inExecutor()) {
                    complete(r);
                } else {
                    executor.execute(() -> complete(r));
                }
            });
        } catch (RuntimeException e) {
            // a prober must report failures as results; this is a bug, but the check keeps running
            LOG.warn("{} for {} could not start: {}", spec.keyword(), label(), e.toString());
            executor.execute(() -> complete(ProbeResult.failure("failed")));
        }
    }

    private String label() {
        Subscriber s = subscribers.getFirst();
        return s.vs().rsLabel(s.rs());
    }

    private void complete(ProbeResult r) {
        if (closed) {
            return;
        }
        boolean wasUp = machine.up();
        boolean hadRun = machine.hasRun();
        CheckerStateMachine.Verdict v = machine.onResult(r.ok());
        Set<String> lines = new LinkedHashSet<>();
        for (Subscriber s : subscribers) {
            lines.addAll(CheckLog.lines(spec, v, r, wasUp, hadRun, s.vs().rsLabel(s.rs()), s.vs().spec().label()));
        }
        for (String line : lines) {
            LOG.info("{}", line);
        }
        if (r.ok() && r.weight() != null) {
            for (Subscriber s : subscribers) {
                s.vs().onWeight(s.rs(), r.weight());
            }
        }
        if (v == CheckerStateMachine.Verdict.UP || v == CheckerStateMachine.Verdict.DOWN) {
            boolean up = v == CheckerStateMachine.Verdict.UP;
            for (Subscriber s : subscribers) {
                s.vs().onChecker(s.rs(), s.checker(), up);
            }
        }
        long delay = machine.nextDelayNanos();
        due = executor.nanoTime() + delay;
        executor.schedule(this::attempt, delay);
    }
}

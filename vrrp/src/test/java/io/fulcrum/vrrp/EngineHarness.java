package io.fulcrum.vrrp;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Runs several engines on one virtual clock and one fake LAN, stepping them with doWork(). */
final class EngineHarness {

    final VirtualClock clock = new VirtualClock();
    final InMemoryLan lan = new InMemoryLan();
    final List<VrrpAgent> engines = new ArrayList<>();
    final List<RecordingOwnership> owners = new ArrayList<>();

    /** Records what the engine owns. */
    static final class RecordingOwnership implements VipOwnership {
        final java.util.Set<String> owned = new java.util.LinkedHashSet<>();
        final List<String> calls = new ArrayList<>();

        @Override
        public void removeStale(String instance, String interfaceName, List<VirtualAddress> addresses) {
            calls.add("removeStale " + instance);
        }

        @Override
        public void acquire(String instance, String interfaceName, List<VirtualAddress> addresses) {
            calls.add("acquire " + instance);
            addresses.forEach(a -> owned.add(a.address().getHostAddress()));
        }

        @Override
        public void announce(String instance, String interfaceName, List<VirtualAddress> addresses, int repeat) {
            calls.add("announce " + instance + " x" + repeat);
        }

        @Override
        public void release(String instance, String interfaceName, List<VirtualAddress> addresses) {
            calls.add("release " + instance);
            addresses.forEach(a -> owned.remove(a.address().getHostAddress()));
        }
    }

    VrrpAgent engine(String v4, String v6, Consumer<VrrpContext> config) {
        InMemoryLan.Node node = lan.node(v4, v6);
        RecordingOwnership own = new RecordingOwnership();
        VrrpContext ctx = new VrrpContext().clock(clock).transport(() -> node).ownership(() -> own);
        config.accept(ctx);
        VrrpAgent a = new VrrpAgent(ctx.conclude());
        engines.add(a);
        owners.add(own);
        return a;
    }

    InMemoryLan.Node node(int i) {
        return lan.nodes.get(i);
    }

    void start(VrrpAgent a) {
        a.onStart();
        settle();
    }

    void startAll() {
        engines.forEach(VrrpAgent::onStart);
        settle();
    }

    /** Runs doWork on every started engine until nothing is left to do at the current time. */
    void settle() {
        for (int round = 0; round < 1000; round++) {
            int work = 0;
            for (VrrpAgent a : engines) {
                if (a.started()) {
                    work += a.doWork();
                }
            }
            if (work == 0) {
                return;
            }
        }
        throw new AssertionError("engines never settled");
    }

    /** Advances the clock in 1 ms steps for {@code ms} milliseconds. */
    void run(long ms) {
        for (long i = 0; i < ms; i++) {
            clock.advanceMillis(1);
            settle();
        }
    }

    /** Advances until {@code cond} holds or {@code maxMs} pass; returns the elapsed virtual milliseconds. */
    long runUntil(long maxMs, java.util.function.BooleanSupplier cond) {
        for (long i = 0; i <= maxMs; i++) {
            if (cond.getAsBoolean()) {
                return i;
            }
            clock.advanceMillis(1);
            settle();
        }
        throw new AssertionError("condition not met within " + maxMs + " virtual ms");
    }
}

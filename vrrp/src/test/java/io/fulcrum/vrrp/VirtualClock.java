package io.fulcrum.vrrp;

import org.agrona.concurrent.NanoClock;

/** A clock tests move by hand. */
final class VirtualClock implements NanoClock {
    long now = 1_000_000_000L;

    @Override
    public long nanoTime() {
        return now;
    }

    void advanceMillis(long ms) {
        now += ms * 1_000_000L;
    }
}

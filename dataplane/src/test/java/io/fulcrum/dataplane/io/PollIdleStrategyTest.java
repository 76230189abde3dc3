package io.fulcrum.dataplane.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.agrona.concurrent.NanoClock;
import org.junit.jupiter.api.Test;

/**
 * The adaptive spin budget: vain spinning halves it, a short sleep in poll() doubles it (bounded by the maximum). The
 * poll() is real (no descriptors, 1 ms timeout); the gap it measures comes from a virtual clock.
 */
class PollIdleStrategyTest {

    /** A clock that advances by a set step each time it is read. */
    private static final class StepClock implements NanoClock {
        long now;
        long step;

        @Override
        public long nanoTime() {
            long t = now;
            now += step;
            return t;
        }
    }

    private static void spinOut(PollIdleStrategy s) {
        int budget = s.budget();
        long polls = s.polls();
        for (int i = 0; i < budget; i++) {
            s.idle(0);
            assertEquals(polls, s.polls(), "spins before polling");
        }
        s.idle(0); // budget spent: polls
        assertEquals(polls + 1, s.polls());
    }

    @Test
    void longGapsShrinkTheBudgetToZeroAndShortGapsGrowItBackToTheMaximum() {
        StepClock clock = new StepClock();
        PollIdleStrategy s = new PollIdleStrategy(new int[0], 16, 1, clock);
        assertEquals(16, s.budget());
        clock.step = 1_000_000; // every poll() "sleeps" 1 ms: request/response gaps
        spinOut(s);
        assertEquals(8, s.budget(), "spun in vain: halved");
        spinOut(s);
        spinOut(s);
        spinOut(s);
        spinOut(s);
        assertEquals(0, s.budget(), "long gaps: no spinning at all");
        s.idle(0);
        assertEquals(0, s.budget(), "a long poll with nothing spun changes nothing");
        clock.step = 1_000; // poll() woken after 1 us: a steady stream
        int[] expected = {1, 3, 7, 15, 16, 16};
        for (int b : expected) {
            spinOut(s);
            assertEquals(b, s.budget());
            s.idle(1); // the wake-up brought work
        }
        assertEquals(16, s.budget(), "short gaps grow the budget up to the maximum");
    }

    @Test
    void workResetsTheSpinCount() {
        StepClock clock = new StepClock();
        clock.step = 1_000_000;
        PollIdleStrategy s = new PollIdleStrategy(new int[0], 4, 1, clock);
        for (int round = 0; round < 3; round++) {
            s.idle(0);
            s.idle(0);
            s.idle(0);
            s.idle(5); // work within the budget: no poll, budget kept
        }
        assertEquals(0, s.polls());
        assertEquals(4, s.budget());
    }
}

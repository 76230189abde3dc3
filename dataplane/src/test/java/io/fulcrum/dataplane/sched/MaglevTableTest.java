package io.fulcrum.dataplane.sched;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class MaglevTableTest {

    /**
     * The example of Maglev §3.4, Table 1: M = 7; B0 offset 3 skip 4, B1 offset 0 skip 2, B2 offset 3 skip 1.
     * Permutations by hand: B0 = 3 0 4 1 5 2 6, B1 = 0 2 4 6 1 3 5, B2 = 3 4 5 6 0 1 2.
     * Filling in turns: B0→3, B1→0, B2→4 (3 taken), B0→1 (0 taken, 4 taken), B1→2, B2→5, B0→6 (5, 2 taken).
     */
    @Test
    void paperExampleTable() {
        int[] table = MaglevTable.populate(7, new int[] {3, 0, 3}, new int[] {4, 2, 1}, new int[] {1, 1, 1});
        assertArrayEquals(new int[] {1, 0, 1, 0, 2, 2, 0}, table);
    }

    /**
     * The same example after B1 is removed: B0→3, B2→4, B0→0, B2→5, B0→1 (4 taken), B2→6, B0→2 (5 taken).
     * Only the entries B1 owned (0 and 2) and entry 6 change owner.
     */
    @Test
    void paperExampleAfterRemovingB1() {
        int[] table = MaglevTable.populate(7, new int[] {3, 0, 3}, new int[] {4, 2, 1}, new int[] {1, 0, 1});
        assertArrayEquals(new int[] {0, 0, 0, 0, 2, 2, 2}, table);
    }

    @Test
    void tableSizeMustBePrime() {
        assertTrue(MaglevTable.isPrime(65537));
        assertTrue(MaglevTable.isPrime(7));
        assertFalse(MaglevTable.isPrime(65536));
        assertThrows(IllegalArgumentException.class,
                () -> MaglevTable.populate(8, new int[] {0}, new int[] {1}, new int[] {1}));
    }

    private static String[] names(int n) {
        String[] s = new String[n];
        for (int i = 0; i < n; i++) {
            s[i] = "10.0.0." + (i + 2) + ":80";
        }
        return s;
    }

    @Test
    void equalWeightsBalanceWithinOneEntry() {
        int m = MaglevTable.DEFAULT_SIZE;
        int[] w = new int[10];
        java.util.Arrays.fill(w, 1);
        int[] table = MaglevTable.build(m, names(10), w);
        int[] count = new int[10];
        for (int b : table) {
            count[b]++;
        }
        int min = java.util.Arrays.stream(count).min().orElseThrow();
        int max = java.util.Arrays.stream(count).max().orElseThrow();
        assertTrue(max - min <= 1, "entries per backend " + java.util.Arrays.toString(count));
    }

    @Test
    void weightsAreHonoured() {
        int[] table = MaglevTable.build(MaglevTable.DEFAULT_SIZE, names(3), new int[] {3, 1, 0});
        int[] count = new int[3];
        for (int b : table) {
            count[b]++;
        }
        assertEquals(0, count[2], "weight 0 gets nothing");
        assertEquals(3.0, (double) count[0] / count[1], 0.01);
    }

    /**
     * Minimal disruption (§3.4): removing one of N = 10 equal backends moves close to 1/N of the flows. The flows that
     * were on the removed backend must move (1/N); Maglev moves only a little more.
     */
    @Test
    void removingOneOfTenBackendsMovesAboutATenthOfTheFlows() {
        int n = 10;
        int m = MaglevTable.DEFAULT_SIZE;
        String[] names = names(n);
        int[] w = new int[n];
        java.util.Arrays.fill(w, 1);
        int[] before = MaglevTable.build(m, names, w);
        w[3] = 0;
        int[] after = MaglevTable.build(m, names, w);
        Random r = new Random(42);
        int flows = 200_000;
        int moved = 0;
        int movedOff3 = 0;
        for (int i = 0; i < flows; i++) {
            long h = FlowHash.sourceAndPort(r.nextLong(), r.nextLong(), r.nextInt(65536));
            int slot = (int) Long.remainderUnsigned(h, m);
            if (before[slot] != after[slot]) {
                moved++;
                if (before[slot] == 3) {
                    movedOff3++;
                }
            }
            assertTrue(after[slot] != 3);
        }
        double share = (double) moved / flows;
        double extra = (double) (moved - movedOff3) / flows;
        System.out.printf("maglev N=%d M=%d: moved share %.4f (ideal %.4f), moved from surviving backends %.4f%n",
                n, m, share, 1.0 / n, extra);
        assertEquals(1.0 / n, share, 0.02, "share of flows that moved");
        assertTrue(extra < 0.02, "flows moved between surviving backends: " + extra);
    }
}

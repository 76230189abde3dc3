package io.fulcrum.dataplane.sched;

import java.util.Arrays;

/**
 * Builds Maglev lookup tables (Eisenbud et al., "Maglev: A Fast and Reliable Software Network Load Balancer",
 * NSDI 2016, §3.4).
 *
 * <p>Each backend {@code i} has a preference list {@code permutation[i][j] = (offset + j × skip) mod M} with
 * {@code offset = h1(name) mod M} and {@code skip = h2(name) mod (M − 1) + 1}; backends take turns claiming their next
 * preferred empty entry until all {@code M} entries are filled (Pseudocode 1). {@code M} must be prime so every
 * preference list is a full permutation, and much larger than the number of backends (the paper uses 65537 and
 * M ≥ 100 × N for a ≤ 1% imbalance). Weights are honoured by giving a backend {@code weight / gcd} turns per round;
 * a backend of weight 0 gets none. Removing one of N equal backends moves close to 1/N of the entries.
 *
 * <p>Stateless; any thread may call it (built on the control thread when a snapshot is published).
 */
public final class MaglevTable {

    /** The paper's table size. */
    public static final int DEFAULT_SIZE = 65537;

    private MaglevTable() {
    }

    /** Whether {@code n} is prime. */
    public static boolean isPrime(int n) {
        if (n < 2) {
            return false;
        }
        if (n % 2 == 0) {
            return n == 2;
        }
        for (int d = 3; (long) d * d <= n; d += 2) {
            if (n % d == 0) {
                return false;
            }
        }
        return true;
    }

    /** The offset for a backend name hash: {@code h1 mod M}. */
    public static int offset(long h1, int m) {
        return (int) Long.remainderUnsigned(h1, m);
    }

    /** The skip for a backend name hash: {@code h2 mod (M − 1) + 1}. */
    public static int skip(long h2, int m) {
        return (int) Long.remainderUnsigned(h2, m - 1) + 1;
    }

    /**
     * Pseudocode 1 of the paper with per-backend turns per round. Returns for each of the {@code m} entries the index
     * of the backend that owns it, or an all-(-1) table when no backend has a turn.
     */
    public static int[] populate(int m, int[] offset, int[] skip, int[] turns) {
        if (!isPrime(m)) {
            throw new IllegalArgumentException("Maglev table size " + m + " is not prime");
        }
        int n = offset.length;
        int[] entry = new int[m];
        Arrays.fill(entry, -1);
        long[] next = new long[n];
        boolean any = false;
        for (int t : turns) {
            any |= t > 0;
        }
        if (!any) {
            return entry;
        }
        int filled = 0;
        while (true) {
            for (int i = 0; i < n; i++) {
                for (int t = 0; t < turns[i]; t++) {
                    int c = (int) ((offset[i] + next[i] * skip[i]) % m);
                    while (entry[c] >= 0) {
                        next[i]++;
                        c = (int) ((offset[i] + next[i] * skip[i]) % m);
                    }
                    entry[c] = i;
                    next[i]++;
                    if (++filled == m) {
                        return entry;
                    }
                }
            }
        }
    }

    /**
     * Builds a table for backends named by {@code names} (e.g. "10.0.0.2:80") with these weights. Offsets and skips
     * come from two independent 64-bit hashes of the name.
     */
    public static int[] build(int m, String[] names, int[] weights) {
        int n = names.length;
        int[] offset = new int[n];
        int[] skip = new int[n];
        int g = 0;
        for (int w : weights) {
            g = gcd(g, w);
        }
        int[] turns = new int[n];
        for (int i = 0; i < n; i++) {
            byte[] b = names[i].getBytes(java.nio.charset.StandardCharsets.UTF_8);
            offset[i] = offset(FlowHash.bytes(b, 0x6A09E667F3BCC909L), m);
            skip[i] = skip(FlowHash.bytes(b, 0xBB67AE8584CAA73BL), m);
            turns[i] = g == 0 ? 0 : weights[i] / g;
        }
        return populate(m, offset, skip, turns);
    }

    /** Greatest common divisor (0 is neutral). */
    public static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}

package io.fulcrum.dataplane.sched;

/**
 * Hash functions used by the hashing schedulers (sh, mh) and for backend names.
 *
 * <p>Stateless; any thread may call it. Nothing allocates.
 */
public final class FlowHash {

    private FlowHash() {
    }

    /** A 64-bit finaliser (from SplitMix64). */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Hash of a source address (sh). */
    public static long source(long hi, long lo) {
        return mix(hi * 0x9E3779B97F4A7C15L ^ mix(lo));
    }

    /** Hash of a source address and port (mh). */
    public static long sourceAndPort(long hi, long lo, int port) {
        return mix(source(hi, lo) + port);
    }

    /** A seeded 64-bit hash of bytes. */
    public static long bytes(byte[] b, long seed) {
        long h = seed;
        for (byte x : b) {
            h = mix(h ^ (x & 0xFF)) + 0x9E3779B97F4A7C15L;
        }
        return mix(h ^ b.length);
    }
}

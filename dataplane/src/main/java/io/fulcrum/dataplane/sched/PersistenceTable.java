package io.fulcrum.dataplane.sched;

/**
 * One worker's persistence templates ({@code persistence_timeout}): (service slot, client address) → real-server
 * slot, with an expiry. Eight-way buckets in fixed arrays; an expired template is simply overwritten, and when a bucket
 * is full the template that expires first is evicted.
 *
 * <p>Single-threaded: owned by one worker. Nothing allocates after construction.
 */
public final class PersistenceTable {

    private static final int WAYS = 8;

    private final long[] keyHi;
    private final long[] keyLo;
    private final int[] service;
    private final int[] real;
    private final long[] expires;
    private final int bucketMask;
    private long evictions;

    /** Creates a table with room for about {@code capacity} templates. */
    public PersistenceTable(int capacity) {
        int buckets = Integer.highestOneBit(Math.max(capacity / WAYS, 1) * 2 - 1);
        buckets = Math.max(buckets, 1);
        int n = buckets * WAYS;
        keyHi = new long[n];
        keyLo = new long[n];
        service = new int[n];
        real = new int[n];
        expires = new long[n];
        bucketMask = buckets - 1;
    }

    private int bucket(int svc, long hi, long lo) {
        return (int) (FlowHash.mix(hi ^ FlowHash.mix(lo + svc)) & bucketMask) * WAYS;
    }

    /** The real-server slot of a live template, or -1. */
    public int lookup(int svc, long hi, long lo, long nowMs) {
        int b = bucket(svc, hi, lo);
        for (int i = b; i < b + WAYS; i++) {
            if (expires[i] > nowMs && keyLo[i] == lo && keyHi[i] == hi && service[i] == svc) {
                return real[i];
            }
        }
        return -1;
    }

    /** Inserts or refreshes a template. Returns true when a live template had to be evicted. */
    public boolean put(int svc, long hi, long lo, int realSlot, long expiresMs, long nowMs) {
        int b = bucket(svc, hi, lo);
        int victim = b;
        for (int i = b; i < b + WAYS; i++) {
            if (expires[i] <= nowMs || (keyLo[i] == lo && keyHi[i] == hi && service[i] == svc)) {
                victim = i;
                break;
            }
            if (expires[i] < expires[victim]) {
                victim = i;
            }
        }
        boolean evicted = expires[victim] > nowMs && !(keyLo[victim] == lo && keyHi[victim] == hi
                && service[victim] == svc);
        if (evicted) {
            evictions++;
        }
        keyHi[victim] = hi;
        keyLo[victim] = lo;
        service[victim] = svc;
        real[victim] = realSlot;
        expires[victim] = expiresMs;
        return evicted;
    }

    /** Templates evicted while still live. */
    public long evictions() {
        return evictions;
    }
}

package io.fulcrum.dataplane.counters;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * Off-heap counter slots: per worker one padded block of {@link DataplaneCounter} slots, and per worker per entity
 * (service, real server, local address) one 64-byte line of {@link EntityCounter} slots.
 *
 * <p>Each worker writes only its own slots (plain stores, single writer); any thread may read totals without locks
 * (acquire loads of aligned 64-bit values). Allocated once at launch; closed by the owner.
 */
public final class DataplaneCounters implements AutoCloseable {

    private static final int CACHE_LINE = 64;
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    private final Arena arena;
    private final int workers;
    private final int entities;
    private final long workerStride;
    private final long entityWorkerStride;
    private final MemorySegment workerSlots;
    private final MemorySegment entitySlots;

    /** Allocates zeroed counters for {@code workers} workers and {@code entities} entity slots. */
    public DataplaneCounters(int workers, int entities) {
        this.workers = workers;
        this.entities = entities;
        this.arena = Arena.ofShared();
        // Two cache lines of padding between workers' blocks so adjacent-line prefetch does not share them.
        long raw = (long) DataplaneCounter.values().length * Long.BYTES;
        this.workerStride = ((raw + CACHE_LINE - 1) / CACHE_LINE) * CACHE_LINE + 2L * CACHE_LINE;
        this.entityWorkerStride = (long) entities * EntityCounter.STRIDE_LONGS * Long.BYTES + 2L * CACHE_LINE;
        this.workerSlots = arena.allocate(workerStride * workers, 128);
        this.entitySlots = arena.allocate(entityWorkerStride * workers, 128);
    }

    /** Number of workers. */
    public int workers() {
        return workers;
    }

    /** Number of entity slots. */
    public int entities() {
        return entities;
    }

    /** The segment holding the worker slots (for the owning worker's plain stores). */
    public MemorySegment workerSegment() {
        return workerSlots;
    }

    /** Byte offset of a worker's block in {@link #workerSegment()}. */
    public long workerBase(int worker) {
        return workerStride * worker;
    }

    /** The segment holding the entity slots. */
    public MemorySegment entitySegment() {
        return entitySlots;
    }

    /** Byte offset of a worker's entity block in {@link #entitySegment()}. */
    public long entityBase(int worker) {
        return entityWorkerStride * worker;
    }

    /** Byte offset of one entity counter for a worker. */
    public long entityOffset(int worker, int entity, EntityCounter counter) {
        return entityWorkerStride * worker + ((long) entity * EntityCounter.STRIDE_LONGS + counter.ordinal()) * Long.BYTES;
    }

    /** One worker's value of a counter (any thread). */
    public long get(int worker, DataplaneCounter counter) {
        return (long) LONG.getAcquire(workerSlots, workerBase(worker) + (long) counter.ordinal() * Long.BYTES);
    }

    /** The sum over workers of a counter (any thread). */
    public long total(DataplaneCounter counter) {
        long sum = 0;
        for (int w = 0; w < workers; w++) {
            sum += get(w, counter);
        }
        return sum;
    }

    /** One worker's value of an entity counter (any thread). */
    public long get(int worker, int entity, EntityCounter counter) {
        return (long) LONG.getAcquire(entitySlots, entityOffset(worker, entity, counter));
    }

    /** The sum over workers of an entity counter (any thread). */
    public long total(int entity, EntityCounter counter) {
        long sum = 0;
        for (int w = 0; w < workers; w++) {
            sum += get(w, entity, counter);
        }
        return sum;
    }

    /** Zeroes an entity slot in every worker before it is reused (control thread, when the slot has no users). */
    public void resetEntity(int entity) {
        for (int w = 0; w < workers; w++) {
            for (EntityCounter c : EntityCounter.values()) {
                LONG.setRelease(entitySlots, entityOffset(w, entity, c), 0L);
            }
        }
    }

    /** Adds to a worker counter; only the owning worker may call it. */
    public void add(int worker, DataplaneCounter counter, long delta) {
        long off = workerBase(worker) + (long) counter.ordinal() * Long.BYTES;
        workerSlots.set(ValueLayout.JAVA_LONG, off, workerSlots.get(ValueLayout.JAVA_LONG, off) + delta);
    }

    @Override
    public void close() {
        arena.close();
    }
}

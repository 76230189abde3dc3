package io.fulcrum.vrrp;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * Off-heap VRRP statistics: one row of {@link VrrpStat} slots per instance, plus one engine-wide row.
 *
 * <p>Written only by the VRRP thread (ordered stores; zeroing too, see {@link VrrpAgent#clearStats(String)}); read
 * lock-free from any thread (the admin CLI, metrics, tests).
 */
public final class VrrpCounters {

    private static final int SLOTS = VrrpStat.values().length;
    private static final int ROW_BYTES = ((SLOTS * Long.BYTES + 63) / 64) * 64 + 64; // padded against false sharing

    private static final VarHandle SLOT = ValueLayout.JAVA_LONG.varHandle();

    private final MemorySegment buffer;
    private final int rows;

    /** Creates counters for {@code instances} instances plus the engine row. */
    public VrrpCounters(int instances) {
        this.rows = instances + 1;
        this.buffer = Arena.ofAuto().allocate((long) rows * ROW_BYTES, 64);
    }

    /** The row index of the engine-wide counters (packets that match no instance). */
    public int engineRow() {
        return rows - 1;
    }

    private int index(int row, VrrpStat stat) {
        if (row < 0 || row >= rows) {
            throw new IndexOutOfBoundsException("counter row " + row + " out of 0.." + (rows - 1));
        }
        return row * ROW_BYTES + stat.ordinal() * Long.BYTES;
    }

    /** Adds one to {@code stat} of {@code row}; called only on the VRRP thread. */
    public void increment(int row, VrrpStat stat) {
        int i = index(row, stat);
        SLOT.setRelease(buffer, (long) i, (long) SLOT.get(buffer, (long) i) + 1);
    }

    /** Sets every statistic of {@code row} to zero; called only on the VRRP thread (the counters' one writer). */
    public void clear(int row) {
        for (VrrpStat stat : VrrpStat.values()) {
            SLOT.setRelease(buffer, (long) index(row, stat), 0L);
        }
    }

    /** Reads {@code stat} of {@code row}; any thread. */
    public long get(int row, VrrpStat stat) {
        return (long) SLOT.getAcquire(buffer, (long) index(row, stat));
    }
}

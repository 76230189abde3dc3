package io.fulcrum.dataplane;

import io.fulcrum.dataplane.packet.AddressWords;
import java.net.InetAddress;

/**
 * A fixed-capacity open-addressing {@link NeighbourTable} filled by the caller: for tests, benchmarks and static
 * configurations.
 *
 * <p>Fill it before the workers start ({@link #put} is not safe concurrently with {@link #resolve}); after that any
 * thread may resolve.
 */
public final class StaticNeighbourTable implements NeighbourTable {

    private final long[] hi;
    private final long[] lo;
    private final long[] value;
    private final int mask;
    private int size;

    /** Creates a table for up to {@code capacity} entries. */
    public StaticNeighbourTable(int capacity) {
        int n = Integer.highestOneBit(Math.max(2 * capacity, 4) - 1) << 1;
        hi = new long[n];
        lo = new long[n];
        value = new long[n];
        java.util.Arrays.fill(value, MISS);
        mask = n - 1;
    }

    /** Adds or replaces an entry. */
    public StaticNeighbourTable put(InetAddress address, int port, long mac) {
        long h = AddressWords.hi(address);
        long l = AddressWords.lo(address);
        int i = slot(h, l);
        while (value[i] != MISS && !(hi[i] == h && lo[i] == l)) {
            i = (i + 1) & mask;
        }
        if (value[i] == MISS) {
            if (++size > (mask + 1) / 2) {
                throw new IllegalStateException("neighbour table full");
            }
        }
        hi[i] = h;
        lo[i] = l;
        value[i] = NeighbourTable.entry(port, mac);
        return this;
    }

    private int slot(long h, long l) {
        long x = (l * 0x9E3779B97F4A7C15L) ^ (h * 0xC2B2AE3D27D4EB4FL);
        return (int) (x ^ (x >>> 32)) & mask;
    }

    @Override
    public long resolve(long addressHi, long addressLo) {
        int i = slot(addressHi, addressLo);
        while (value[i] != MISS) {
            if (lo[i] == addressLo && hi[i] == addressHi) {
                return value[i];
            }
            i = (i + 1) & mask;
        }
        return MISS;
    }
}

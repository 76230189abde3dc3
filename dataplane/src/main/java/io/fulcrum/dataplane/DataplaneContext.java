package io.fulcrum.dataplane;

import io.fulcrum.dataplane.conn.ConnectionTimeouts;
import io.fulcrum.dataplane.sched.MaglevTable;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.SystemEpochClock;

/**
 * The dataplane's settings: workers, connection capacity, timeouts, port MACs, MTU, local-port range, table sizes,
 * the neighbour table and the clock. Built by {@code appliance} from the configuration and validated completely by
 * {@link #conclude()} before any thread starts; errors name the key, the value and the limit.
 *
 * <p>Mutable while being built on one thread; treat it as immutable after {@link #conclude()}.
 */
public final class DataplaneContext {

    /** Default connection capacity per worker: 2^20 = 1,048,576 concurrent connections. */
    public static final int DEFAULT_CONNECTION_CAPACITY = 1 << 20;

    private int workers = 1;
    private int connectionCapacity = DEFAULT_CONNECTION_CAPACITY;
    private ConnectionTimeouts timeouts = ConnectionTimeouts.DEFAULTS;
    private long timerTickMs = 100;
    private int timerWheelSlots = 8192;
    private int expiryBatchLimit = 4096;
    private long[] portMacs = {0x02_00_00_00_00_feL};
    private int mtu = 1500;
    private int localPortMin = 1024;
    private int localPortMax = 65535;
    private int localPortProbeBudget = 1024;
    private int maglevTableSize = MaglevTable.DEFAULT_SIZE;
    private int counterEntities = 16384;
    private int persistenceCapacity = 65536;
    private int batchSize = 64;
    private NeighbourTable neighbourTable;
    private EpochClock clock = SystemEpochClock.INSTANCE;
    private boolean concluded;

    /** Creates a context with the defaults. */
    public DataplaneContext() {
    }

    /** Validates every setting; throws {@link IllegalArgumentException} naming the key, value and limit. */
    public DataplaneContext conclude() {
        range("dataplane.workers", workers, 1, 256);
        range("dataplane.connection_capacity", connectionCapacity, 1, 1 << 28);
        range("dataplane.timer_tick_ms", timerTickMs, 1, 60_000);
        if (Integer.bitCount(timerWheelSlots) != 1) {
            throw new IllegalArgumentException("dataplane.timer_wheel_slots " + timerWheelSlots
                    + " must be a power of two");
        }
        range("dataplane.timer_wheel_slots", timerWheelSlots, 16, 1 << 22);
        range("dataplane.expiry_batch_limit", expiryBatchLimit, 1, 1 << 20);
        if (portMacs == null || portMacs.length == 0) {
            throw new IllegalArgumentException("dataplane.port_macs must list at least one port");
        }
        range("dataplane.ports", portMacs.length, 1, 32767);
        range("dataplane.mtu", mtu, 576, 9216);
        range("dataplane.local_port_min", localPortMin, 1, 65535);
        range("dataplane.local_port_max", localPortMax, localPortMin, 65535);
        if ((localPortMax - localPortMin + 1) < workers) {
            throw new IllegalArgumentException("dataplane.local_port_min..local_port_max " + localPortMin + ".."
                    + localPortMax + " has fewer ports than the " + workers + " workers");
        }
        range("dataplane.local_port_probe_budget", localPortProbeBudget, 1, 65536);
        if (!MaglevTable.isPrime(maglevTableSize)) {
            throw new IllegalArgumentException("dataplane.maglev_table_size " + maglevTableSize + " is not prime");
        }
        range("dataplane.maglev_table_size", maglevTableSize, 7, 1_000_003);
        range("dataplane.counter_entities", counterEntities, 16, 1 << 22);
        range("dataplane.persistence_capacity", persistenceCapacity, 8, 1 << 24);
        range("dataplane.batch_size", batchSize, 1, 4096);
        if (neighbourTable == null) {
            throw new IllegalArgumentException("dataplane.neighbour_table is not set");
        }
        if (clock == null) {
            throw new IllegalArgumentException("dataplane.clock is not set");
        }
        concluded = true;
        return this;
    }

    private static void range(String key, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(key + " " + value + " out of range " + min + ".." + max);
        }
    }

    /** Whether {@link #conclude()} has passed. */
    public boolean isConcluded() {
        return concluded;
    }

    /** Workers (one per receive queue). */
    public int workers() {
        return workers;
    }

    /** Sets the number of workers. */
    public DataplaneContext workers(int workers) {
        this.workers = workers;
        return this;
    }

    /** Connection capacity per worker. */
    public int connectionCapacity() {
        return connectionCapacity;
    }

    /** Sets the connection capacity per worker. */
    public DataplaneContext connectionCapacity(int capacity) {
        this.connectionCapacity = capacity;
        return this;
    }

    /** Connection timeouts. */
    public ConnectionTimeouts timeouts() {
        return timeouts;
    }

    /** Sets the connection timeouts. */
    public DataplaneContext timeouts(ConnectionTimeouts timeouts) {
        this.timeouts = timeouts;
        return this;
    }

    /** Timer-wheel tick in ms. */
    public long timerTickMs() {
        return timerTickMs;
    }

    /** Sets the timer-wheel tick. */
    public DataplaneContext timerTickMs(long ms) {
        this.timerTickMs = ms;
        return this;
    }

    /** Timer-wheel slots. */
    public int timerWheelSlots() {
        return timerWheelSlots;
    }

    /** Sets the timer-wheel slots (power of two). */
    public DataplaneContext timerWheelSlots(int slots) {
        this.timerWheelSlots = slots;
        return this;
    }

    /** Most connections expired per duty cycle. */
    public int expiryBatchLimit() {
        return expiryBatchLimit;
    }

    /** Sets the expiry limit per duty cycle. */
    public DataplaneContext expiryBatchLimit(int limit) {
        this.expiryBatchLimit = limit;
        return this;
    }

    /** The MAC of each port (index = port number), as 48-bit values. */
    public long[] portMacs() {
        return portMacs.clone();
    }

    /** Sets the port MACs. */
    public DataplaneContext portMacs(long... macs) {
        this.portMacs = macs.clone();
        return this;
    }

    /** MTU of the ports. */
    public int mtu() {
        return mtu;
    }

    /** Sets the MTU. */
    public DataplaneContext mtu(int mtu) {
        this.mtu = mtu;
        return this;
    }

    /** Lowest FullNAT local port. */
    public int localPortMin() {
        return localPortMin;
    }

    /** Highest FullNAT local port. */
    public int localPortMax() {
        return localPortMax;
    }

    /**
     * Sets the FullNAT local-port range. Worker {@code w} of {@code W} uses the ports {@code p} with
     * {@code p mod W == w}, so the I/O layer can steer replies to the worker that owns the connection by port.
     */
    public DataplaneContext localPorts(int min, int max) {
        this.localPortMin = min;
        this.localPortMax = max;
        return this;
    }

    /** Ports tried per local address before moving to the next one. */
    public int localPortProbeBudget() {
        return localPortProbeBudget;
    }

    /** Sets the per-local-address port probe budget. */
    public DataplaneContext localPortProbeBudget(int budget) {
        this.localPortProbeBudget = budget;
        return this;
    }

    /** Maglev table size (prime). */
    public int maglevTableSize() {
        return maglevTableSize;
    }

    /** Sets the Maglev table size. */
    public DataplaneContext maglevTableSize(int size) {
        this.maglevTableSize = size;
        return this;
    }

    /** Counter slots for services, real servers and local addresses together. */
    public int counterEntities() {
        return counterEntities;
    }

    /** Sets the counter entity slots. */
    public DataplaneContext counterEntities(int n) {
        this.counterEntities = n;
        return this;
    }

    /** Persistence templates per worker. */
    public int persistenceCapacity() {
        return persistenceCapacity;
    }

    /** Sets the persistence templates per worker. */
    public DataplaneContext persistenceCapacity(int n) {
        this.persistenceCapacity = n;
        return this;
    }

    /** Frames per batch. */
    public int batchSize() {
        return batchSize;
    }

    /** Sets the frames per batch. */
    public DataplaneContext batchSize(int n) {
        this.batchSize = n;
        return this;
    }

    /** The neighbour table. */
    public NeighbourTable neighbourTable() {
        return neighbourTable;
    }

    /** Sets the neighbour table. */
    public DataplaneContext neighbourTable(NeighbourTable table) {
        this.neighbourTable = table;
        return this;
    }

    /** The clock (ms). */
    public EpochClock clock() {
        return clock;
    }

    /** Sets the clock (tests pass an Agrona {@code CachedEpochClock}). */
    public DataplaneContext clock(EpochClock clock) {
        this.clock = clock;
        return this;
    }
}

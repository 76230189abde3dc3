package io.fulcrum.dataplane.conn;

import io.fulcrum.dataplane.packet.AddressWords;
import io.fulcrum.dataplane.service.ForwardingMethod;
import io.fulcrum.dataplane.service.Protocol;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.EpochClock;

/**
 * Copies one worker's connections out for a listing ({@code fulcrumadm -L -n -c}) without sharing its table: the
 * control thread {@link #post posts} a {@link Request} holding a buffer of its own, and the worker, in its duty cycle
 * ({@link #doWork()}), copies the raw entries into it in bounded chunks ({@value #SCAN_CHUNK} entry slots and at most
 * {@value #COPY_CHUNK} copies per duty cycle) until its table has been walked, then completes the request. The
 * control thread waits for that with a time limit and decodes the copied entries into {@link ConnectionInfo}s.
 *
 * <p>The worker side allocates nothing (the buffer belongs to the request, made by the control thread); a request the
 * control thread gave up on is dropped by the worker when it next looks. Entries are each copied whole between
 * packets, so every entry is consistent; the listing as a whole is not an atomic snapshot (as {@code /proc/net/ip_vs_conn}
 * is not).
 *
 * <p>{@link #doWork()} is called only on the owning worker's thread; {@link #post} and the {@link Request} methods on
 * the control thread.
 */
public final class ConnectionDumpAdapter {

    /** Entry slots looked at per duty cycle, at most. */
    public static final int SCAN_CHUNK = 4096;
    /** Entries copied per duty cycle, at most. */
    public static final int COPY_CHUNK = 512;

    private static final VarHandle PENDING;

    static {
        try {
            PENDING = MethodHandles.lookup().findVarHandle(ConnectionDumpAdapter.class, "pending", Request.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int worker;
    private final ConnectionTable table;
    private final EpochClock clock;
    @SuppressWarnings("unused")
    private volatile Request pending;

    /** An adapter for {@code worker}'s {@code table}, whose expiry times are read on {@code clock}. */
    public ConnectionDumpAdapter(int worker, ConnectionTable table, EpochClock clock) {
        this.worker = worker;
        this.table = table;
        this.clock = clock;
    }

    /** The worker this adapter serves. */
    public int worker() {
        return worker;
    }

    /**
     * Hands a request to the worker. Returns false when an earlier request is still pending (the worker has not
     * finished or dropped it yet).
     */
    public boolean post(Request request) {
        return PENDING.compareAndSet(this, null, request);
    }

    /**
     * On the worker thread, once per duty cycle: copies the next chunk of the pending request, if any. Returns 1 when
     * it did something (so the idle strategy keeps the worker awake until the walk is done), else 0.
     */
    public int doWork() {
        Request r = pending;
        if (r == null) {
            return 0;
        }
        if (r.abandoned) {
            pending = null;
            return 1;
        }
        int high = table.highWater();
        int scanned = 0;
        int copied = 0;
        while (r.cursor < high && scanned < SCAN_CHUNK && copied < COPY_CHUNK) {
            int e = r.cursor++;
            scanned++;
            if ((table.flags(e) & ConnectionTable.F_IN_USE) == 0) {
                continue;
            }
            r.seen++;
            if (r.count < r.limit) {
                MemorySegment.copy(table.entries(), ConnectionTable.base(e), r.buffer,
                        (long) r.count * ConnectionTable.ENTRY_SIZE, ConnectionTable.ENTRY_SIZE);
                r.count++;
                copied++;
            }
        }
        if (r.cursor >= high) {
            r.nowMs = clock.time();
            pending = null;
            r.done.countDown();
        }
        return 1;
    }

    /**
     * One listing request to one worker: made on the control thread with room for {@code limit} entries, filled by
     * the worker, read by the control thread once {@link #await} says it is complete.
     */
    public static final class Request {
        private final int limit;
        private final MemorySegment buffer;
        private final CountDownLatch done = new CountDownLatch(1);
        private volatile boolean abandoned;
        private int cursor;
        private int count;
        private long seen;
        private long nowMs;

        /** A request with room for {@code limit} entries (on-heap, owned by the control thread). */
        public Request(int limit) {
            if (limit < 0) {
                throw new IllegalArgumentException("connection listing limit " + limit + " is negative");
            }
            this.limit = limit;
            this.buffer = MemorySegment.ofArray(new long[Math.max(1, limit) * (ConnectionTable.ENTRY_SIZE / 8)]);
        }

        /**
         * Waits up to {@code timeoutMs} for the worker to finish. On a timeout the request is abandoned (the worker
         * drops it) and false is returned; its contents must not be read then.
         */
        public boolean await(long timeoutMs) throws InterruptedException {
            if (done.await(timeoutMs, TimeUnit.MILLISECONDS)) {
                return true;
            }
            abandoned = true;
            return false;
        }

        /** Gives the request up: the worker drops it when it next looks. */
        public void abandon() {
            abandoned = true;
        }

        /** Connections the worker held while it walked its table (after {@link #await} returned true). */
        public long seen() {
            return seen;
        }

        /** Decodes the copied entries (after {@link #await} returned true). */
        public List<ConnectionInfo> entries(int worker) {
            List<ConnectionInfo> out = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                out.add(decode(worker, buffer, (long) i * ConnectionTable.ENTRY_SIZE, nowMs));
            }
            return out;
        }
    }

    private static final java.lang.foreign.ValueLayout.OfLong L = java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
    private static final java.lang.foreign.ValueLayout.OfShort S = java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final java.lang.foreign.ValueLayout.OfByte B = java.lang.foreign.ValueLayout.JAVA_BYTE;

    /** Decodes one entry copied byte for byte from a {@link ConnectionTable} (layout as documented there). */
    static ConnectionInfo decode(int worker, MemorySegment s, long b, long nowMs) {
        int proto = s.get(B, b + ConnectionTable.PROTOCOL) & 0xFF;
        int method = s.get(B, b + ConnectionTable.METHOD) & 0xFF;
        int state = s.get(B, b + ConnectionTable.STATE) & 0xFF;
        long expires = s.get(L, b + ConnectionTable.EXPIRES);
        ForwardingMethod[] methods = ForwardingMethod.values();
        ConnectionState[] states = ConnectionState.values();
        return new ConnectionInfo(worker, proto == 17 ? Protocol.UDP : Protocol.TCP,
                method < methods.length ? methods[method] : ForwardingMethod.FNAT,
                address(s, b + ConnectionTable.CLIENT), port(s, b + ConnectionTable.CLIENT_PORT),
                address(s, b + ConnectionTable.VIRTUAL), port(s, b + ConnectionTable.VIRTUAL_PORT),
                address(s, b + ConnectionTable.LOCAL), port(s, b + ConnectionTable.LOCAL_PORT),
                address(s, b + ConnectionTable.REAL), port(s, b + ConnectionTable.REAL_PORT),
                state < states.length ? states[state] : ConnectionState.NONE, Math.max(0, expires - nowMs));
    }

    private static java.net.InetAddress address(MemorySegment s, long at) {
        return AddressWords.toInet(s.get(L, at), s.get(L, at + 8));
    }

    private static int port(MemorySegment s, long at) {
        return s.get(S, at) & 0xFFFF;
    }
}

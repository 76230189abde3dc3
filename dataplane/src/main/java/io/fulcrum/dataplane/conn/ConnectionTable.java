package io.fulcrum.dataplane.conn;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * One worker's connection table: fixed-size off-heap entries, one off-heap open-addressing index holding both
 * directions of every connection, and a hashed timer wheel threaded through the entries for expiry.
 *
 * <p>Entry layout ({@value #ENTRY_SIZE} bytes; addresses are 128-bit, IPv4 held IPv4-mapped):
 * <pre>
 *   0 client address     16 virtual address    32 real-server address   48 local address (FNAT LIP; else client)
 *  64 client port        66 virtual port       68 real-server port      70 local port (FNAT lport; else client port)
 *  72 protocol  73 forwarding method  74 state  75 flags
 *  76 service counter slot   80 real-server counter slot   84 local-address counter slot
 *  88 expiry time (ms)       96 timer-wheel next            100 timer-wheel previous
 * </pre>
 * The index has {@code nextPowerOfTwo(4 × capacity)} 32-bit slots (load ≤ 0.5 with both directions linked), each
 * {@code (entry + 1) << 1 | direction}; linear probing with backward-shift deletion, no tombstones. Direction 0 is the
 * client's tuple (client:cport → VIP:vport), direction 1 the real server's reply tuple (RIP:rport → local:lport).
 *
 * <p>The timer wheel is lazy: a packet that extends the deadline only rewrites the expiry time; when the wheel reaches
 * an entry's slot the entry is expired or moved to the slot of its new expiry. A deadline moved earlier moves the entry
 * at once. Nothing allocates after construction.
 *
 * <p>Single-threaded: owned by one worker; no locks. Other threads must not call it.
 */
public final class ConnectionTable implements AutoCloseable {

    /** Bytes per entry. */
    public static final int ENTRY_SIZE = 104;
    /** Offset of the client address. */
    public static final int CLIENT = 0;
    /** Offset of the virtual address. */
    public static final int VIRTUAL = 16;
    /** Offset of the real-server address. */
    public static final int REAL = 32;
    /** Offset of the local address. */
    public static final int LOCAL = 48;
    /** Offset of the client port. */
    public static final int CLIENT_PORT = 64;
    /** Offset of the virtual port. */
    public static final int VIRTUAL_PORT = 66;
    /** Offset of the real-server port. */
    public static final int REAL_PORT = 68;
    /** Offset of the local port. */
    public static final int LOCAL_PORT = 70;
    /** Offset of the protocol. */
    public static final int PROTOCOL = 72;
    /** Offset of the forwarding method. */
    public static final int METHOD = 73;
    /** Offset of the state. */
    public static final int STATE = 74;
    /** Offset of the flags. */
    public static final int FLAGS = 75;
    /** Offset of the service counter slot. */
    public static final int SERVICE_SLOT = 76;
    /** Offset of the real-server counter slot. */
    public static final int REAL_SLOT = 80;
    /** Offset of the local-address counter slot (-1 when none). */
    public static final int LOCAL_SLOT = 84;
    /** Offset of the expiry time. */
    public static final int EXPIRES = 88;
    private static final int NEXT = 96;
    private static final int PREV = 100;

    /** Flag: the entry is in use. */
    public static final int F_IN_USE = 0x01;
    /** Flag: direction 0 is in the index. */
    public static final int F_IN_LINKED = 0x02;
    /** Flag: direction 1 is in the index. */
    public static final int F_OUT_LINKED = 0x04;
    /** Flag: the entry is on the timer wheel. */
    private static final int F_TIMER = 0x08;
    /** Flag: insert TOA (FullNAT). */
    public static final int F_TOA = 0x10;
    /** Flag: the real server is a local address of this node. */
    public static final int F_REAL_LOCAL = 0x20;

    // Unaligned layouts: the fields are aligned anyway, and these skip the per-access alignment check.
    private static final ValueLayout.OfLong L = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfShort S = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfByte B = ValueLayout.JAVA_BYTE;

    private final Arena arena;
    private final MemorySegment entries;
    private final MemorySegment index;
    private final int capacity;
    private final int indexMask;
    private final long tickMs;
    private final int[] wheel;
    private final int wheelMask;
    private long currentTick;
    private int size;
    private int freeHead = -1;
    private int nextUnused;

    /** Receives entries the timer wheel expires; the receiver must call {@link #free(int)}. */
    public interface ExpiryListener {
        /** Called for an expired entry, still readable. */
        void onExpired(int entry);
    }

    /**
     * Allocates a table for {@code capacity} connections with a timer wheel of {@code wheelSlots} (a power of two)
     * slots of {@code tickMs} milliseconds, starting at {@code nowMs}.
     */
    public ConnectionTable(int capacity, long tickMs, int wheelSlots, long nowMs) {
        if (capacity < 1 || capacity > (1 << 28)) {
            throw new IllegalArgumentException("connection capacity " + capacity + " out of range 1.." + (1 << 28));
        }
        if (Integer.bitCount(wheelSlots) != 1 || tickMs < 1) {
            throw new IllegalArgumentException("timer wheel slots " + wheelSlots + " must be a power of two, tick "
                    + tickMs + " ms positive");
        }
        this.capacity = capacity;
        int slots = Integer.highestOneBit(Math.max(4 * capacity - 1, 1)) << 1;
        this.indexMask = slots - 1;
        this.arena = Arena.ofShared();
        this.entries = arena.allocate((long) capacity * ENTRY_SIZE, 64);
        this.index = arena.allocate((long) slots * Integer.BYTES, 64);
        this.tickMs = tickMs;
        this.wheel = new int[wheelSlots];
        Arrays.fill(wheel, -1);
        this.wheelMask = wheelSlots - 1;
        this.currentTick = nowMs / tickMs;
    }

    /** Bytes of off-heap memory per connection of capacity: entry plus index share. */
    public double bytesPerConnection() {
        return (double) (entries.byteSize() + index.byteSize()) / capacity;
    }

    /** Off-heap bytes allocated. */
    public long allocatedBytes() {
        return entries.byteSize() + index.byteSize();
    }

    /** Capacity in connections. */
    public int capacity() {
        return capacity;
    }

    /** Connections in the table. */
    public int size() {
        return size;
    }

    /** One past the highest entry ever allocated: entries at or above it were never used (bounds a walk). */
    public int highWater() {
        return nextUnused;
    }

    /** The entry segment (for the owning worker's direct field access). */
    public MemorySegment entries() {
        return entries;
    }

    /** Byte offset of an entry. */
    public static long base(int entry) {
        return (long) entry * ENTRY_SIZE;
    }

    // ---------------------------------------------------------------- allocation

    /** Takes a free entry (zeroed flags, marked in use), or -1 when the table is full. */
    public int allocate() {
        int e;
        if (freeHead >= 0) {
            e = freeHead;
            freeHead = entries.get(I, base(e) + NEXT);
        } else if (nextUnused < capacity) {
            e = nextUnused++;
        } else {
            return -1;
        }
        entries.set(B, base(e) + FLAGS, (byte) F_IN_USE);
        entries.set(I, base(e) + NEXT, -1);
        entries.set(I, base(e) + PREV, -1);
        size++;
        return e;
    }

    /** Unlinks an entry from the index and the wheel and returns it to the free list. */
    public void free(int e) {
        int f = flags(e);
        if ((f & F_IN_USE) == 0) {
            return;
        }
        if ((f & F_IN_LINKED) != 0) {
            unlinkKey(e, 0);
        }
        if ((f & F_OUT_LINKED) != 0) {
            unlinkKey(e, 1);
        }
        if ((f & F_TIMER) != 0) {
            wheelRemove(e);
        }
        entries.set(B, base(e) + FLAGS, (byte) 0);
        entries.set(I, base(e) + NEXT, freeHead);
        freeHead = e;
        size--;
    }

    // ---------------------------------------------------------------- field access

    /** Writes an address field (hi, lo). */
    public void address(int e, int field, long hi, long lo) {
        entries.set(L, base(e) + field, hi);
        entries.set(L, base(e) + field + 8, lo);
    }

    /** High half of an address field. */
    public long addressHi(int e, int field) {
        return entries.get(L, base(e) + field);
    }

    /** Low half of an address field. */
    public long addressLo(int e, int field) {
        return entries.get(L, base(e) + field + 8);
    }

    /** Writes a port field. */
    public void port(int e, int field, int port) {
        entries.set(S, base(e) + field, (short) port);
    }

    /** Reads a port field. */
    public int port(int e, int field) {
        return entries.get(S, base(e) + field) & 0xFFFF;
    }

    /** Writes a byte field (protocol, method, state). */
    public void byteField(int e, int field, int v) {
        entries.set(B, base(e) + field, (byte) v);
    }

    /** Reads a byte field. */
    public int byteField(int e, int field) {
        return entries.get(B, base(e) + field) & 0xFF;
    }

    /** Writes an int field (counter slots). */
    public void intField(int e, int field, int v) {
        entries.set(I, base(e) + field, v);
    }

    /** Reads an int field. */
    public int intField(int e, int field) {
        return entries.get(I, base(e) + field);
    }

    /** The flags. */
    public int flags(int e) {
        return entries.get(B, base(e) + FLAGS) & 0xFF;
    }

    /** Sets flag bits. */
    public void setFlags(int e, int bits) {
        entries.set(B, base(e) + FLAGS, (byte) (flags(e) | bits));
    }

    /** The expiry time in ms. */
    public long expires(int e) {
        return entries.get(L, base(e) + EXPIRES);
    }

    // ---------------------------------------------------------------- index

    /** Hashes a tuple (both directions hash the same way: src, sport, dst, dport, protocol). */
    public static int hash(int proto, long sHi, long sLo, int sport, long dHi, long dLo, int dport) {
        long h = sLo * 0x9E3779B97F4A7C15L;
        h ^= Long.rotateLeft(dLo * 0xC2B2AE3D27D4EB4FL, 31);
        h ^= (sHi ^ Long.rotateLeft(dHi, 17)) * 0x165667B19E3779F9L;
        h += (((long) sport << 32) | ((long) dport << 16) | proto) * 0xD6E8FEB86659FD93L;
        h ^= h >>> 32;
        h *= 0x9E3779B97F4A7C15L;
        h ^= h >>> 29;
        return (int) h;
    }

    /**
     * Finds the connection whose direction-0 or direction-1 tuple is this one. Returns {@code entry << 1 | direction}
     * or -1.
     */
    public int lookup(int proto, long sHi, long sLo, int sport, long dHi, long dLo, int dport) {
        int i = hash(proto, sHi, sLo, sport, dHi, dLo, dport) & indexMask;
        while (true) {
            int v = index.getAtIndex(I, i);
            if (v == 0) {
                return -1;
            }
            int e = (v >>> 1) - 1;
            int dir = v & 1;
            long b = base(e);
            int srcF = dir == 0 ? CLIENT : REAL;
            int dstF = dir == 0 ? VIRTUAL : LOCAL;
            // Both ports of a direction in one read: the shorts are stored native-endian, side by side.
            int portsF = dir == 0 ? CLIENT_PORT : REAL_PORT;
            if (entries.get(I, b + portsF) == packedPorts(sport, dport)
                    && entries.get(L, b + srcF + 8) == sLo
                    && entries.get(L, b + dstF + 8) == dLo
                    && entries.get(L, b + srcF) == sHi
                    && entries.get(L, b + dstF) == dHi
                    && (entries.get(B, b + PROTOCOL) & 0xFF) == proto) {
                return (e << 1) | dir;
            }
            i = (i + 1) & indexMask;
        }
    }

    private static int packedPorts(int sport, int dport) {
        return java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN
                ? (sport & 0xFFFF) | (dport << 16) : (sport << 16) | (dport & 0xFFFF);
    }

    /** Whether a tuple is in the index (either direction). */
    public boolean contains(int proto, long sHi, long sLo, int sport, long dHi, long dLo, int dport) {
        return lookup(proto, sHi, sLo, sport, dHi, dLo, dport) >= 0;
    }

    /**
     * Links an entry's direction ({@code 0} client tuple, {@code 1} reply tuple) into the index. Returns false (and
     * links nothing) when another connection already owns that tuple.
     */
    public boolean link(int e, int dir) {
        long b = base(e);
        int proto = entries.get(B, b + PROTOCOL) & 0xFF;
        long sHi = addressHi(e, dir == 0 ? CLIENT : REAL);
        long sLo = addressLo(e, dir == 0 ? CLIENT : REAL);
        long dHi = addressHi(e, dir == 0 ? VIRTUAL : LOCAL);
        long dLo = addressLo(e, dir == 0 ? VIRTUAL : LOCAL);
        int sp = port(e, dir == 0 ? CLIENT_PORT : REAL_PORT);
        int dp = port(e, dir == 0 ? VIRTUAL_PORT : LOCAL_PORT);
        int i = hash(proto, sHi, sLo, sp, dHi, dLo, dp) & indexMask;
        while (true) {
            int v = index.getAtIndex(I, i);
            if (v == 0) {
                index.setAtIndex(I, i, ((e + 1) << 1) | dir);
                setFlags(e, dir == 0 ? F_IN_LINKED : F_OUT_LINKED);
                return true;
            }
            int oe = (v >>> 1) - 1;
            int od = v & 1;
            if (sameKey(oe, od, proto, sHi, sLo, sp, dHi, dLo, dp)) {
                return false;
            }
            i = (i + 1) & indexMask;
        }
    }

    private boolean sameKey(int e, int dir, int proto, long sHi, long sLo, int sp, long dHi, long dLo, int dp) {
        return port(e, dir == 0 ? CLIENT_PORT : REAL_PORT) == sp
                && port(e, dir == 0 ? VIRTUAL_PORT : LOCAL_PORT) == dp
                && addressLo(e, dir == 0 ? CLIENT : REAL) == sLo
                && addressLo(e, dir == 0 ? VIRTUAL : LOCAL) == dLo
                && addressHi(e, dir == 0 ? CLIENT : REAL) == sHi
                && addressHi(e, dir == 0 ? VIRTUAL : LOCAL) == dHi
                && byteField(e, PROTOCOL) == proto;
    }

    private int hashOf(int e, int dir) {
        return hash(byteField(e, PROTOCOL),
                addressHi(e, dir == 0 ? CLIENT : REAL), addressLo(e, dir == 0 ? CLIENT : REAL),
                port(e, dir == 0 ? CLIENT_PORT : REAL_PORT),
                addressHi(e, dir == 0 ? VIRTUAL : LOCAL), addressLo(e, dir == 0 ? VIRTUAL : LOCAL),
                port(e, dir == 0 ? VIRTUAL_PORT : LOCAL_PORT));
    }

    private void unlinkKey(int e, int dir) {
        int target = ((e + 1) << 1) | dir;
        int i = hashOf(e, dir) & indexMask;
        while (index.getAtIndex(I, i) != target) {
            if (index.getAtIndex(I, i) == 0) {
                throw new IllegalStateException("connection index corrupt: entry " + e + " direction " + dir);
            }
            i = (i + 1) & indexMask;
        }
        // Backward-shift deletion (Knuth 6.4 Algorithm R): pull later members of the cluster into the hole.
        int j = i;
        while (true) {
            j = (j + 1) & indexMask;
            int v = index.getAtIndex(I, j);
            if (v == 0) {
                break;
            }
            int k = hashOf((v >>> 1) - 1, v & 1) & indexMask;
            boolean stays = i <= j ? (i < k && k <= j) : (i < k || k <= j);
            if (!stays) {
                index.setAtIndex(I, i, v);
                i = j;
            }
        }
        index.setAtIndex(I, i, 0);
        entries.set(B, base(e) + FLAGS, (byte) (flags(e) & ~(dir == 0 ? F_IN_LINKED : F_OUT_LINKED)));
    }

    // ---------------------------------------------------------------- timer wheel

    /** Sets the expiry time; puts the entry on the wheel if it is not there yet. */
    public void expireAt(int e, long expiresMs) {
        long old = entries.get(L, base(e) + EXPIRES);
        entries.set(L, base(e) + EXPIRES, expiresMs);
        if ((flags(e) & F_TIMER) == 0) {
            wheelInsert(e, expiresMs);
        } else if (expiresMs < old && expiresMs / tickMs < old / tickMs) { // (no division when it moves later)
            // Moving the deadline earlier (e.g. RST: CLOSE is shorter than ESTABLISHED) needs the earlier slot;
            // later deadlines stay lazily in the old slot and are re-filed when the wheel reaches it.
            wheelRemove(e);
            wheelInsert(e, expiresMs);
        }
    }

    private void wheelInsert(int e, long expiresMs) {
        long tick = Math.max(expiresMs / tickMs, currentTick);
        int slot = (int) (tick & wheelMask);
        int head = wheel[slot];
        long b = base(e);
        entries.set(I, b + NEXT, head);
        entries.set(I, b + PREV, -(slot + 2));
        if (head >= 0) {
            entries.set(I, base(head) + PREV, e);
        }
        wheel[slot] = e;
        setFlags(e, F_TIMER);
    }

    private void wheelRemove(int e) {
        long b = base(e);
        int next = entries.get(I, b + NEXT);
        int prev = entries.get(I, b + PREV);
        if (prev <= -2) {
            wheel[-prev - 2] = next;
            if (next >= 0) {
                entries.set(I, base(next) + PREV, prev);
            }
        } else {
            if (prev >= 0) {
                entries.set(I, base(prev) + NEXT, next);
            }
            if (next >= 0) {
                entries.set(I, base(next) + PREV, prev);
            }
        }
        entries.set(B, b + FLAGS, (byte) (flags(e) & ~F_TIMER));
    }

    /**
     * Advances the wheel to {@code nowMs}, handing at most {@code limit} expired entries to {@code listener}
     * (which frees them). Returns the number expired; call again when it returns {@code limit}.
     */
    public int expire(long nowMs, int limit, ExpiryListener listener) {
        long target = nowMs / tickMs;
        int done = 0;
        while (currentTick < target) {
            int slot = (int) (currentTick & wheelMask);
            int e = wheel[slot];
            while (e >= 0) {
                if (done >= limit) {
                    return done;
                }
                int next = entries.get(I, base(e) + NEXT);
                wheelRemove(e);
                long exp = expires(e);
                if (exp <= nowMs) {
                    listener.onExpired(e);
                    done++;
                } else {
                    wheelInsert(e, exp);
                }
                e = next;
            }
            currentTick++;
        }
        return done;
    }

    /** Calls {@code action} for every entry in use (control and test use; not for the packet path). */
    public void forEach(IntConsumer action) {
        for (int e = 0; e < nextUnused; e++) {
            if ((flags(e) & F_IN_USE) != 0) {
                action.accept(e);
            }
        }
    }

    @Override
    public void close() {
        arena.close();
    }
}

package io.fulcrum.netlink;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A reusable native {@code pollfd} array and the {@code poll(2)} call over it: wait for several descriptors (VRRP
 * sockets, the netlink monitor, an AF_XDP socket) with one timeout.
 *
 * <p>Slots are numbered from 0; a removed slot keeps its number and is ignored (its fd is set to -1). Nothing is
 * allocated per {@link #poll(int)}. Not thread-safe: one thread owns a poll set.
 */
public final class PollSet {

    /** Data to read. */
    public static final int POLLIN = 0x1;
    /** Urgent data. */
    public static final int POLLPRI = 0x2;
    /** Writable. */
    public static final int POLLOUT = 0x4;
    /** Error condition (returned only). */
    public static final int POLLERR = 0x8;
    /** Hang up (returned only). */
    public static final int POLLHUP = 0x10;
    /** Invalid fd (returned only). */
    public static final int POLLNVAL = 0x20;

    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfShort S = ValueLayout.JAVA_SHORT;

    private final MemorySegment fds;
    private final int capacity;
    private int size;

    /** Creates a set with room for {@code capacity} descriptors. */
    public PollSet(int capacity) {
        this.capacity = capacity;
        this.fds = Arena.ofAuto().allocate(8L * capacity, 8);
    }

    /** Adds {@code fd} waiting for {@code events} ({@link #POLLIN}...); returns its slot. */
    public int add(int fd, int events) {
        if (size == capacity) {
            throw new IllegalStateException("poll set full (" + capacity + " descriptors)");
        }
        int slot = size++;
        set(slot, fd, events);
        return slot;
    }

    /** Rewrites {@code slot} to wait on {@code fd} for {@code events}. */
    public void set(int slot, int fd, int events) {
        checkSlot(slot);
        fds.set(I, 8L * slot, fd);
        fds.set(S, 8L * slot + 4, (short) events);
        fds.set(S, 8L * slot + 6, (short) 0);
    }

    /** Disables {@code slot} (poll ignores negative descriptors). */
    public void remove(int slot) {
        set(slot, -1, 0);
    }

    /** The number of slots in use (including removed ones). */
    public int size() {
        return size;
    }

    /** The descriptor in {@code slot}. */
    public int fd(int slot) {
        checkSlot(slot);
        return fds.get(I, 8L * slot);
    }

    /**
     * Waits up to {@code timeoutMs} (0: do not wait, -1: forever) for an event; returns how many slots have events,
     * 0 on timeout or when interrupted by a signal.
     */
    public int poll(int timeoutMs) {
        int n = Libc.poll(fds.address(), size, timeoutMs);
        if (n < 0) {
            int errno = Libc.errno();
            if (errno == Errno.EINTR) {
                for (int i = 0; i < size; i++) {
                    fds.set(S, 8L * i + 6, (short) 0);
                }
                return 0;
            }
            throw new NativeException("poll", errno, size + " descriptors");
        }
        return n;
    }

    /** The events returned for {@code slot} by the last poll. */
    public int revents(int slot) {
        checkSlot(slot);
        return Short.toUnsignedInt(fds.get(S, 8L * slot + 6));
    }

    /** Whether {@code slot} is readable (or has an error/hang-up that a read will report). */
    public boolean readable(int slot) {
        return (revents(slot) & (POLLIN | POLLERR | POLLHUP)) != 0;
    }

    private void checkSlot(int slot) {
        if (slot < 0 || slot >= size) {
            throw new IndexOutOfBoundsException("slot " + slot + " of " + size);
        }
    }
}

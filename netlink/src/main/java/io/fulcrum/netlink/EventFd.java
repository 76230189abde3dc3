package io.fulcrum.netlink;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A non-blocking {@code eventfd(2)}: lets any thread wake a thread sleeping in {@link PollSet#poll(int)} (the VRRP
 * loop, a dataplane worker backed off to poll) by making the descriptor readable.
 *
 * <p>{@link #signal()} may be called from any thread; {@link #drain()} only from the polling thread. Nothing is
 * allocated per call.
 */
public final class EventFd implements AutoCloseable {

    private static final int EFD_NONBLOCK = 0x800;
    private static final int EFD_CLOEXEC = 0x80000;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment signalCell = arena.allocate(8, 8);
    private final MemorySegment drainCell = arena.allocate(8, 8);
    private volatile int fd;

    /** Creates a non-blocking, close-on-exec eventfd with counter 0. */
    public EventFd() {
        int f = Libc.eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        if (f < 0) {
            throw NativeException.last("eventfd", "");
        }
        fd = f;
        signalCell.set(ValueLayout.JAVA_LONG, 0, 1L);
    }

    /** The descriptor to add to a {@link PollSet} with {@link PollSet#POLLIN}. */
    public int fd() {
        return fd;
    }

    /** Adds 1 to the counter, making the descriptor readable (thread-safe). */
    public void signal() {
        long n = Libc.write(fd, signalCell.address(), 8);
        if (n < 0 && Libc.errno() != Errno.EAGAIN) {
            throw NativeException.last("write", "eventfd " + fd);
        }
    }

    /** Reads and resets the counter; returns how many signals were pending (0 if none). */
    public long drain() {
        long n = Libc.read(fd, drainCell.address(), 8);
        if (n < 0) {
            if (Libc.errno() == Errno.EAGAIN) {
                return 0;
            }
            throw NativeException.last("read", "eventfd " + fd);
        }
        return drainCell.get(ValueLayout.JAVA_LONG, 0);
    }

    /** Closes the descriptor (idempotent). */
    @Override
    public synchronized void close() {
        int f = fd;
        if (f >= 0) {
            fd = -1;
            Libc.close(f);
            arena.close();
        }
    }
}

package io.fulcrum.netlink;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * {@code getrlimit}/{@code setrlimit} for the process, chiefly {@code RLIMIT_MEMLOCK} (AF_XDP UMEM and BPF maps).
 *
 * <p>Stateless; any thread may call. {@link #INFINITY} is {@code RLIM_INFINITY}.
 */
public final class ResourceLimits {

    /** Locked-in-memory bytes. */
    public static final int RLIMIT_MEMLOCK = 8;
    /** Open files. */
    public static final int RLIMIT_NOFILE = 7;
    /** {@code RLIM_INFINITY} (all bits set). */
    public static final long INFINITY = -1L;

    /** A soft and hard limit ({@link #INFINITY} for none). */
    public record Limit(long soft, long hard) {
        @Override
        public String toString() {
            return "soft " + (soft == INFINITY ? "unlimited" : Long.toUnsignedString(soft))
                    + ", hard " + (hard == INFINITY ? "unlimited" : Long.toUnsignedString(hard));
        }
    }

    private ResourceLimits() {
    }

    /** Reads limit {@code resource}. */
    public static Limit get(int resource) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment r = arena.allocate(16, 8);
            if (Libc.getrlimit(resource, r.address()) != 0) {
                throw NativeException.last("getrlimit", name(resource));
            }
            return new Limit(r.get(ValueLayout.JAVA_LONG, 0), r.get(ValueLayout.JAVA_LONG, 8));
        }
    }

    /** Sets limit {@code resource}. */
    public static void set(int resource, Limit limit) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment r = arena.allocate(16, 8);
            r.set(ValueLayout.JAVA_LONG, 0, limit.soft());
            r.set(ValueLayout.JAVA_LONG, 8, limit.hard());
            if (Libc.setrlimit(resource, r.address()) != 0) {
                throw NativeException.last("setrlimit", name(resource) + " to " + limit);
            }
        }
    }

    /** The current {@code RLIMIT_MEMLOCK}. */
    public static Limit memlock() {
        return get(RLIMIT_MEMLOCK);
    }

    /** Sets {@code RLIMIT_MEMLOCK} (soft and hard) to {@code bytes}, or {@link #INFINITY}. */
    public static void setMemlock(long bytes) {
        set(RLIMIT_MEMLOCK, new Limit(bytes, bytes));
    }

    private static String name(int resource) {
        return switch (resource) {
            case RLIMIT_MEMLOCK -> "RLIMIT_MEMLOCK";
            case RLIMIT_NOFILE -> "RLIMIT_NOFILE";
            default -> "resource " + resource;
        };
    }
}

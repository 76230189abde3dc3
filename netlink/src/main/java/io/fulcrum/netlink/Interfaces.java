package io.fulcrum.netlink;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Interface name/index lookups ({@code if_nametoindex}, {@code if_indextoname}) in the calling thread's network
 * namespace.
 *
 * <p>Stateless; any thread may call. A missing interface is a {@link NativeException} with {@code ENODEV} naming it.
 */
public final class Interfaces {

    private Interfaces() {
    }

    /** The index of interface {@code name}; throws {@code ENODEV} naming the interface when there is none. */
    public static int indexOf(String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocateFrom(name);
            int index = Libc.ifNameToIndex(s.address());
            if (index == 0) {
                throw NativeException.last("if_nametoindex", name);
            }
            return index;
        }
    }

    /** The name of interface {@code index}; throws {@code ENXIO} naming the index when there is none. */
    public static String nameOf(int index) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(16);
            long r = Libc.ifIndexToName(index, buf.address());
            if (r == 0L) {
                throw NativeException.last("if_indextoname", "ifindex " + index);
            }
            return buf.getString(0);
        }
    }
}

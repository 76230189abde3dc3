package io.fulcrum.netlink;

import java.lang.foreign.MemorySegment;
import java.lang.ref.Reference;

/**
 * The raw {@code bpf(2)} system call (number 321 on x86_64), for loading XDP programs and creating/updating maps.
 *
 * <p>Stateless; any thread may call. Callers build the {@code union bpf_attr} for each command themselves.
 */
public final class Bpf {

    /** {@code __NR_bpf} on x86_64. */
    public static final long SYS_BPF = 321;
    /** Create a map. */
    public static final int BPF_MAP_CREATE = 0;
    /** Look up an element. */
    public static final int BPF_MAP_LOOKUP_ELEM = 1;
    /** Update an element. */
    public static final int BPF_MAP_UPDATE_ELEM = 2;
    /** Delete an element. */
    public static final int BPF_MAP_DELETE_ELEM = 3;
    /** Iterate keys. */
    public static final int BPF_MAP_GET_NEXT_KEY = 4;
    /** Load a program. */
    public static final int BPF_PROG_LOAD = 5;
    /** Pin an object. */
    public static final int BPF_OBJ_PIN = 6;
    /** Get a pinned object. */
    public static final int BPF_OBJ_GET = 7;
    /** Test-run a program. */
    public static final int BPF_PROG_TEST_RUN = 10;
    /** Create a link. */
    public static final int BPF_LINK_CREATE = 28;

    private Bpf() {
    }

    /**
     * Calls {@code bpf(cmd, attr, size)}; returns the non-negative result (a new fd for create/load commands).
     * Throws {@link NativeException} naming the command on failure.
     */
    public static int call(int cmd, MemorySegment attr, int size) {
        if (!attr.isNative() || attr.byteSize() < size) {
            throw new IllegalArgumentException("bpf attr must be native and at least " + size + " bytes");
        }
        long r = Libc.syscall(SYS_BPF, cmd, attr.address(), size);
        Reference.reachabilityFence(attr);
        if (r < 0) {
            throw NativeException.last("bpf", commandName(cmd));
        }
        return (int) r;
    }

    /** Like {@link #call} but returns {@code -errno} instead of throwing (for probing, e.g. map lookups). */
    public static int tryCall(int cmd, MemorySegment attr, int size) {
        long r = Libc.syscall(SYS_BPF, cmd, attr.address(), size);
        Reference.reachabilityFence(attr);
        return r < 0 ? -Libc.errno() : (int) r;
    }

    /** Closes a descriptor returned by {@link #call} (program, map or link fd). */
    public static void closeFd(int fd) {
        if (fd >= 0) {
            Libc.close(fd);
        }
    }

    private static String commandName(int cmd) {
        return switch (cmd) {
            case BPF_MAP_CREATE -> "BPF_MAP_CREATE";
            case BPF_MAP_LOOKUP_ELEM -> "BPF_MAP_LOOKUP_ELEM";
            case BPF_MAP_UPDATE_ELEM -> "BPF_MAP_UPDATE_ELEM";
            case BPF_MAP_DELETE_ELEM -> "BPF_MAP_DELETE_ELEM";
            case BPF_MAP_GET_NEXT_KEY -> "BPF_MAP_GET_NEXT_KEY";
            case BPF_PROG_LOAD -> "BPF_PROG_LOAD";
            case BPF_OBJ_PIN -> "BPF_OBJ_PIN";
            case BPF_OBJ_GET -> "BPF_OBJ_GET";
            case BPF_PROG_TEST_RUN -> "BPF_PROG_TEST_RUN";
            case BPF_LINK_CREATE -> "BPF_LINK_CREATE";
            default -> "command " + cmd;
        };
    }
}

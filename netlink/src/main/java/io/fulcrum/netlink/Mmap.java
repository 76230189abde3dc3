package io.fulcrum.netlink;

import java.lang.foreign.MemorySegment;

/**
 * {@code mmap}/{@code munmap} for kernel rings (AF_XDP, PACKET_RX_RING) and anonymous memory (an AF_XDP UMEM).
 *
 * <p>Stateless; any thread may call. A mapped segment is valid until {@link #unmap(MemorySegment)}; using it after
 * that crashes the JVM, so the owner unmaps only after its last use.
 */
public final class Mmap {

    /** Pages may be read. */
    public static final int PROT_READ = 1;
    /** Pages may be written. */
    public static final int PROT_WRITE = 2;
    /** Share the mapping. */
    public static final int MAP_SHARED = 1;
    /** Private copy-on-write mapping. */
    public static final int MAP_PRIVATE = 2;
    /** Not backed by a file. */
    public static final int MAP_ANONYMOUS = 0x20;
    /** Back with huge pages. */
    public static final int MAP_HUGETLB = 0x40000;
    /** Pre-fault the pages. */
    public static final int MAP_POPULATE = 0x8000;

    private Mmap() {
    }

    /** Maps {@code length} bytes of {@code fd} at {@code offset}; {@code what} names the object for errors. */
    @SuppressWarnings("restricted")
    public static MemorySegment map(long length, int prot, int flags, int fd, long offset, String what) {
        long addr = Libc.mmap(0L, length, prot, flags, fd, offset);
        if (addr == -1L) {
            throw NativeException.last("mmap", what + " length " + length + " offset 0x" + Long.toHexString(offset));
        }
        return MemorySegment.ofAddress(addr).reinterpret(length);
    }

    /** Maps {@code length} bytes of zeroed, private, read-write anonymous memory (pre-faulted). */
    public static MemorySegment anonymous(long length) {
        return map(length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0L,
                "anonymous memory");
    }

    /** Unmaps a segment returned by this class or {@link LinuxSocket#mmap}. */
    public static void unmap(MemorySegment mapping) {
        if (Libc.munmap(mapping.address(), mapping.byteSize()) != 0) {
            throw NativeException.last("munmap", "0x" + Long.toHexString(mapping.address())
                    + " length " + mapping.byteSize());
        }
    }
}

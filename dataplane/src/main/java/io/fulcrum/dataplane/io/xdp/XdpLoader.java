package io.fulcrum.dataplane.io.xdp;

import io.fulcrum.netlink.Bpf;
import io.fulcrum.netlink.NativeException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * Loads an assembled XDP program ({@code BPF_PROG_LOAD}, the verifier's log kept for the error) and attaches it to an
 * interface with a BPF link ({@code BPF_LINK_CREATE}, attach type {@code BPF_XDP}), which detaches when its descriptor
 * is closed or the process exits; nothing is pinned, so {@code /sys/fs/bpf} is not needed.
 *
 * <p>Stateless; any thread may call. Attaching resolves the interface index in the calling thread's namespace.
 */
public final class XdpLoader {

    /** {@code BPF_PROG_TYPE_XDP}. */
    public static final int PROG_TYPE_XDP = 6;
    /** {@code BPF_XDP} attach type. */
    public static final int ATTACH_XDP = 37;
    /** {@code XDP_FLAGS_SKB_MODE}. */
    public static final int FLAGS_SKB_MODE = 1 << 1;
    /** {@code XDP_FLAGS_DRV_MODE}. */
    public static final int FLAGS_DRV_MODE = 1 << 2;

    private XdpLoader() {
    }

    /** Loads {@code prog} as an XDP program named {@code name}; returns its descriptor. */
    public static int load(BpfAssembler prog, String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment insns = arena.allocate(8L * prog.size(), 8);
            int count = prog.assemble(insns);
            MemorySegment license = arena.allocateFrom("Dual MIT/GPL");
            int logSize = 1 << 16;
            MemorySegment log = arena.allocate(logSize);
            MemorySegment attr = arena.allocate(144, 8);
            attr.set(ValueLayout.JAVA_INT, 0, PROG_TYPE_XDP);
            attr.set(ValueLayout.JAVA_INT, 4, count);
            attr.set(ValueLayout.JAVA_LONG, 8, insns.address());
            attr.set(ValueLayout.JAVA_LONG, 16, license.address());
            attr.set(ValueLayout.JAVA_INT, 24, 1);
            attr.set(ValueLayout.JAVA_INT, 28, logSize);
            attr.set(ValueLayout.JAVA_LONG, 32, log.address());
            byte[] n = name.getBytes(StandardCharsets.US_ASCII);
            MemorySegment.copy(n, 0, attr, ValueLayout.JAVA_BYTE, 48, Math.min(n.length, 15));
            attr.set(ValueLayout.JAVA_INT, 68, ATTACH_XDP);
            int r = Bpf.tryCall(Bpf.BPF_PROG_LOAD, attr, 128);
            if (r < 0) {
                String text = log.getString(0).strip();
                throw new NativeException("bpf(BPF_PROG_LOAD)", -r, "XDP program " + name,
                        text.isEmpty() ? null : "verifier: " + (text.length() > 2000
                                ? "..." + text.substring(text.length() - 2000) : text));
            }
            return r;
        }
    }

    /**
     * Attaches program {@code progFd} to {@code ifindex} with a BPF link in {@code flags} mode
     * ({@link #FLAGS_DRV_MODE} or {@link #FLAGS_SKB_MODE}); returns the link descriptor. {@code ifName} names the
     * interface in the error.
     */
    public static int link(int progFd, int ifindex, int flags, String ifName) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = arena.allocate(64, 8);
            attr.set(ValueLayout.JAVA_INT, 0, progFd);
            attr.set(ValueLayout.JAVA_INT, 4, ifindex);
            attr.set(ValueLayout.JAVA_INT, 8, ATTACH_XDP);
            attr.set(ValueLayout.JAVA_INT, 12, flags);
            int r = Bpf.tryCall(Bpf.BPF_LINK_CREATE, attr, 64);
            if (r < 0) {
                throw new NativeException("bpf(BPF_LINK_CREATE)", -r, "XDP "
                        + ((flags & FLAGS_DRV_MODE) != 0 ? "native" : "generic") + " attach on " + ifName);
            }
            return r;
        }
    }
}

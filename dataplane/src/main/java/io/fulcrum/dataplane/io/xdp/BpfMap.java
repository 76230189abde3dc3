package io.fulcrum.dataplane.io.xdp;

import io.fulcrum.netlink.Bpf;
import io.fulcrum.netlink.Errno;
import io.fulcrum.netlink.NativeException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * A BPF map created with {@code BPF_MAP_CREATE}: its file descriptor, key and value sizes, and update/delete through
 * {@code BPF_MAP_UPDATE_ELEM} / {@code BPF_MAP_DELETE_ELEM}. The map lives as long as a descriptor or a program
 * refers to it; nothing is pinned.
 *
 * <p>Updates are called from the control plane (or one worker); the kernel makes each element update atomic for the
 * XDP program. Not thread-safe itself.
 */
public final class BpfMap implements AutoCloseable {

    /** {@code BPF_MAP_TYPE_HASH}. */
    public static final int TYPE_HASH = 1;
    /** {@code BPF_MAP_TYPE_XSKMAP}. */
    public static final int TYPE_XSKMAP = 17;

    private final String name;
    private final int fd;
    private final int keySize;
    private final int valueSize;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment attr = arena.allocate(128, 8);
    private final MemorySegment key;
    private final MemorySegment value;

    private BpfMap(String name, int fd, int keySize, int valueSize) {
        this.name = name;
        this.fd = fd;
        this.keySize = keySize;
        this.valueSize = valueSize;
        this.key = arena.allocate(Math.max(keySize, 8), 8);
        this.value = arena.allocate(Math.max(valueSize, 8), 8);
    }

    /** Creates a map of {@code type}; {@code name} (at most 15 characters) shows in {@code bpftool map}. */
    public static BpfMap create(int type, String name, int keySize, int valueSize, int maxEntries) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment attr = a.allocate(128, 8);
            attr.set(ValueLayout.JAVA_INT, 0, type);
            attr.set(ValueLayout.JAVA_INT, 4, keySize);
            attr.set(ValueLayout.JAVA_INT, 8, valueSize);
            attr.set(ValueLayout.JAVA_INT, 12, maxEntries);
            byte[] n = name.getBytes(StandardCharsets.US_ASCII);
            MemorySegment.copy(n, 0, attr, ValueLayout.JAVA_BYTE, 28, Math.min(n.length, 15));
            int fd;
            try {
                fd = Bpf.call(Bpf.BPF_MAP_CREATE, attr, 72);
            } catch (NativeException e) {
                throw new NativeException("bpf(BPF_MAP_CREATE)", e.errno(), "map " + name);
            }
            return new BpfMap(name, fd, keySize, valueSize);
        }
    }

    /** The map's descriptor (for {@code ld_imm64}). */
    public int fd() {
        return fd;
    }

    /** The map's name. */
    public String name() {
        return name;
    }

    /** Sets {@code key} to {@code value} (both exactly the map's sizes). */
    public void update(byte[] k, byte[] v) {
        MemorySegment.copy(k, 0, key, ValueLayout.JAVA_BYTE, 0, keySize);
        MemorySegment.copy(v, 0, value, ValueLayout.JAVA_BYTE, 0, valueSize);
        attr.fill((byte) 0);
        attr.set(ValueLayout.JAVA_INT, 0, fd);
        attr.set(ValueLayout.JAVA_LONG, 8, key.address());
        attr.set(ValueLayout.JAVA_LONG, 16, value.address());
        int r = Bpf.tryCall(Bpf.BPF_MAP_UPDATE_ELEM, attr, 32);
        if (r < 0) {
            throw new NativeException("bpf(BPF_MAP_UPDATE_ELEM)", -r, "map " + name);
        }
    }

    /** Sets a 4-byte key to a 4-byte value (XSKMAP: queue → socket fd). */
    public void update(int k, int v) {
        byte[] kb = {(byte) k, (byte) (k >>> 8), (byte) (k >>> 16), (byte) (k >>> 24)};
        byte[] vb = {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
        update(kb, vb);
    }

    /** Deletes {@code key}; returns false when it was not there. */
    public boolean delete(byte[] k) {
        MemorySegment.copy(k, 0, key, ValueLayout.JAVA_BYTE, 0, keySize);
        attr.fill((byte) 0);
        attr.set(ValueLayout.JAVA_INT, 0, fd);
        attr.set(ValueLayout.JAVA_LONG, 8, key.address());
        int r = Bpf.tryCall(Bpf.BPF_MAP_DELETE_ELEM, attr, 32);
        if (r == -Errno.ENOENT) {
            return false;
        }
        if (r < 0) {
            throw new NativeException("bpf(BPF_MAP_DELETE_ELEM)", -r, "map " + name);
        }
        return true;
    }

    /** Whether {@code key} is present. */
    public boolean contains(byte[] k) {
        MemorySegment.copy(k, 0, key, ValueLayout.JAVA_BYTE, 0, keySize);
        attr.fill((byte) 0);
        attr.set(ValueLayout.JAVA_INT, 0, fd);
        attr.set(ValueLayout.JAVA_LONG, 8, key.address());
        attr.set(ValueLayout.JAVA_LONG, 16, value.address());
        return Bpf.tryCall(Bpf.BPF_MAP_LOOKUP_ELEM, attr, 32) == 0;
    }

    @Override
    public void close() {
        Bpf.closeFd(fd);
        arena.close();
    }
}

package io.fulcrum.dataplane;

/**
 * Resolves a next-hop IP address to the MAC address and output port to send to. The I/O layer implements it over
 * the kernel's neighbour and route tables (mirrored through netlink); tests use {@link StaticNeighbourTable}.
 *
 * <p>Called on worker threads for every transmitted frame: implementations must be allocation-free and safe to read
 * concurrently with their own updates.
 */
public interface NeighbourTable {

    /** Returned when the address has no usable entry. */
    long MISS = -1L;

    /**
     * Looks up an address held as two words (IPv4 as IPv4-mapped). Returns {@code port << 48 | mac} (MAC in the low
     * 48 bits, output port in bits 48..62), or {@link #MISS}.
     */
    long resolve(long addressHi, long addressLo);

    /** Packs a port and MAC into a {@link #resolve} result. */
    static long entry(int port, long mac) {
        return ((long) port << 48) | (mac & 0xFFFF_FFFF_FFFFL);
    }
}

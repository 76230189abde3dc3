package io.fulcrum.vrrp.transport;

import java.lang.foreign.MemorySegment;

/**
 * One received VRRP packet as a transport hands it to the engine: where the VRRP message lies in the receive buffer,
 * and what the IP layer said about it (addresses, TTL / hop limit, interface, lengths).
 *
 * <p>Reused for every packet (nothing allocated per packet); valid only during the handler call. Filled and read only
 * on the VRRP thread.
 */
public final class ReceivedAdvert {

    /** Receive buffer holding the VRRP message. */
    public MemorySegment buffer = MemorySegment.NULL;
    /** Offset of the VRRP message in {@link #buffer}. */
    public long offset;
    /** Bytes of VRRP message received (after the IP header for IPv4). */
    public int length;
    /** The IPv4 header length, 0 for IPv6. */
    public int ipHeaderLength;
    /** The IPv4 header's total length field, or -1 (IPv6). */
    public int ipTotalLength = -1;
    /** TTL (IPv4) or hop limit (IPv6), or -1 when unknown. */
    public int ttl = -1;
    /** Whether this is IPv6. */
    public boolean ipv6;
    /** The receiving interface index (0 when unknown). */
    public int ifIndex;
    /** Source address: {@code source[0..4)} for IPv4, all 16 bytes for IPv6. */
    public final byte[] source4 = new byte[4];
    /** IPv6 source address. */
    public final byte[] source6 = new byte[16];
    /** IPv4 destination address. */
    public final byte[] destination4 = new byte[4];
    /** IPv6 destination address. */
    public final byte[] destination6 = new byte[16];
    /** Whether the destination was a multicast address. */
    public boolean multicast;
    /** Whether the kernel has already verified the checksum (IPv6 with {@code IPV6_CHECKSUM}). */
    public boolean checksumVerified;

    /** The source address bytes for this packet's family (a shared array: copy to keep). */
    public byte[] source() {
        return ipv6 ? source6 : source4;
    }

    /** The destination address bytes for this packet's family (a shared array: copy to keep). */
    public byte[] destination() {
        return ipv6 ? destination6 : destination4;
    }
}

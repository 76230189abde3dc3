package io.fulcrum.dataplane.packet;

/**
 * A flyweight over an ICMPv6 message (RFC 4443 §2.1): same layout as ICMP, checksum over a pseudo-header, error
 * types below 128.
 *
 * <p>Not thread-safe: owned by one worker.
 */
public final class Icmpv6Flyweight extends IcmpFlyweight {

    /** ICMPv6 type: destination unreachable (code 4 port unreachable). */
    public static final int V6_DEST_UNREACHABLE = 1;
    /** ICMPv6 type: packet too big (MTU in the rest of header). */
    public static final int V6_PACKET_TOO_BIG = 2;
    /** ICMPv6 type: time exceeded. */
    public static final int V6_TIME_EXCEEDED = 3;
    /** ICMPv6 type: echo request. */
    public static final int V6_ECHO_REQUEST = 128;
    /** ICMPv6 type: neighbour solicitation (RFC 4861). */
    public static final int V6_NEIGHBOR_SOLICITATION = 135;
    /** ICMPv6 type: neighbour advertisement (RFC 4861). */
    public static final int V6_NEIGHBOR_ADVERTISEMENT = 136;

    /** Creates an unwrapped flyweight. */
    public Icmpv6Flyweight() {
    }

    /** Whether this is an ICMPv6 error message (types 0..127, RFC 4443 §2.1). */
    @Override
    public boolean isError() {
        return type() < 128;
    }

    /** The MTU of a packet-too-big message. */
    public int mtu() {
        return rest();
    }
}

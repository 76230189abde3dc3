package io.fulcrum.dataplane.packet;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * Converts addresses to and from the two 64-bit words the packet path uses: IPv6 as-is, IPv4 as IPv4-mapped
 * ({@code ::ffff:a.b.c.d}).
 *
 * <p>Stateless; any thread may call it. The {@link InetAddress} conversions allocate and are for the control plane.
 */
public final class AddressWords {

    private AddressWords() {
    }

    /** The high word. */
    public static long hi(InetAddress a) {
        byte[] b = a.getAddress();
        return b.length == 4 ? NetworkByteOrder.V4_MAPPED_HI : ByteBuffer.wrap(b).getLong(0);
    }

    /** The low word. */
    public static long lo(InetAddress a) {
        byte[] b = a.getAddress();
        return b.length == 4 ? NetworkByteOrder.mappedLo(ByteBuffer.wrap(b).getInt(0)) : ByteBuffer.wrap(b).getLong(8);
    }

    /** Back to an {@link InetAddress} (IPv4-mapped words give an IPv4 address). */
    public static InetAddress toInet(long hi, long lo) {
        try {
            if (NetworkByteOrder.isV4Mapped(hi, lo)) {
                return InetAddress.getByAddress(ByteBuffer.allocate(4).putInt((int) lo).array());
            }
            return InetAddress.getByAddress(ByteBuffer.allocate(16).putLong(hi).putLong(lo).array());
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Text form of an address held as words. */
    public static String toString(long hi, long lo) {
        return toInet(hi, lo).getHostAddress();
    }
}

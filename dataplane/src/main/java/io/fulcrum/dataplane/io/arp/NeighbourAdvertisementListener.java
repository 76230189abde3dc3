package io.fulcrum.dataplane.io.arp;

import io.fulcrum.dataplane.packet.EthernetFlyweight;
import io.fulcrum.dataplane.packet.NetworkByteOrder;
import io.fulcrum.netlink.LinuxSocket;
import io.fulcrum.netlink.MessageHeader;
import java.lang.foreign.MemorySegment;

/**
 * A raw ICMPv6 socket, filtered to neighbour advertisements, that sees the advertisements the XDP program passed to
 * the kernel (answers to the dataplane's own solicitations, sent from the port's kernel address) so the dataplane
 * learns IPv6 next hops in AF_XDP mode too; the counterpart of the ARP packet socket for IPv4. Advertisements without
 * hop limit 255 are ignored (RFC 4861 §7.1.2).
 *
 * <p>Opened in the dataplane's namespace; drained by one worker thread. Allocation-free when draining.
 */
public final class NeighbourAdvertisementListener implements AutoCloseable {

    private static final int NA = 136;

    private final LinuxSocket socket;
    private final MessageHeader header = new MessageHeader();
    private final int[] ifindexOfPort;

    private NeighbourAdvertisementListener(LinuxSocket socket, int[] ifindexOfPort) {
        this.socket = socket;
        this.ifindexOfPort = ifindexOfPort.clone();
    }

    /** Opens the socket in the calling thread's namespace for the ports with these interface indexes. */
    public static NeighbourAdvertisementListener open(int[] ifindexOfPort) {
        LinuxSocket s = LinuxSocket.rawIpv6(LinuxSocket.IPPROTO_ICMPV6);
        try {
            byte[] filter = new byte[32];
            java.util.Arrays.fill(filter, (byte) 0xff); // ICMP6_FILTER: a set bit blocks the type
            filter[NA >> 3] &= (byte) ~(1 << (NA & 7));
            s.setOption(LinuxSocket.IPPROTO_ICMPV6, LinuxSocket.ICMP6_FILTER, filter);
            s.setInt(LinuxSocket.IPPROTO_IPV6, LinuxSocket.IPV6_RECVPKTINFO, 1);
            s.setInt(LinuxSocket.IPPROTO_IPV6, LinuxSocket.IPV6_RECVHOPLIMIT, 1);
            s.nonBlocking(true);
            return new NeighbourAdvertisementListener(s, ifindexOfPort);
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** Learns from up to {@code limit} queued advertisements, using {@code buf} (native, ≥ 1500 bytes at off). */
    public int drain(KernelNeighbourTable table, MemorySegment buf, long off, int limit) {
        int n = 0;
        for (; n < limit; n++) {
            int len = socket.recvMsg(buf, off, 1500, header);
            if (len < 0) {
                break;
            }
            if (len < 32 || header.hopLimit() != 255 || NetworkByteOrder.u8(buf, off) != NA) {
                continue;
            }
            int port = -1;
            for (int p = 0; p < ifindexOfPort.length; p++) {
                if (ifindexOfPort[p] == header.ifindex()) {
                    port = p;
                }
            }
            if (port < 0) {
                continue;
            }
            long tHi = buf.get(NetworkByteOrder.U64, off + 8);
            long tLo = buf.get(NetworkByteOrder.U64, off + 16);
            for (long at = off + 24; at + 8 <= off + len; ) {
                int type = NetworkByteOrder.u8(buf, at);
                int olen = NetworkByteOrder.u8(buf, at + 1) * 8;
                if (olen == 0) {
                    break;
                }
                if (type == 2) {
                    table.learn(port, tHi, tLo, EthernetFlyweight.mac(buf, at + 2));
                    break;
                }
                at += olen;
            }
        }
        return n;
    }

    /** The socket's descriptor (for poll). */
    public int fd() {
        return socket.fd();
    }

    @Override
    public void close() {
        socket.close();
    }
}

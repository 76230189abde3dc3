package io.fulcrum.vrrp;

import io.fulcrum.vrrp.packet.VrrpPacketFlyweight;
import io.fulcrum.vrrp.transport.AdvertHandler;
import io.fulcrum.vrrp.transport.ReceivedAdvert;
import io.fulcrum.vrrp.transport.VrrpChannel;
import io.fulcrum.vrrp.transport.VrrpTransport;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A fake Ethernet segment for unit tests: transports attached to it deliver every advert to every other node
 * (multicast) or to the addressed peer (unicast), with TTL 255 and v3 checksums filled as a real channel does.
 */
final class InMemoryLan {

    /** A frame in flight. */
    record Frame(byte[] vrrp, byte[] src, byte[] dst, int ttl, boolean multicast, boolean ipv6) {
    }

    final List<Node> nodes = new ArrayList<>();
    final List<Frame> sent = new ArrayList<>();
    boolean dropAll;

    Node node(String v4, String v6) {
        Node n = new Node(Addresses.parseLiteral(v4).getAddress(),
                v6 == null ? null : Addresses.parseLiteral(v6).getAddress());
        nodes.add(n);
        return n;
    }

    static final byte[] GROUP4 = {(byte) 224, 0, 0, 18};
    static final byte[] GROUP6 = Addresses.parseLiteral("ff02::12").getAddress();

    /** One host's transport. */
    final class Node implements VrrpTransport {
        final byte[] addr4;
        final byte[] addr6;
        final ArrayDeque<Frame> rx = new ArrayDeque<>();
        private final ReceivedAdvert r = new ReceivedAdvert();
        private final MemorySegment buf = Arena.ofAuto().allocate(2048);
        boolean unplugged;

        Node(byte[] addr4, byte[] addr6) {
            this.addr4 = addr4;
            this.addr6 = addr6;
        }

        @Override
        public VrrpChannel open(VrrpInstanceSpec spec) {
            boolean v6 = spec.ipv6();
            byte[] src = spec.unicastSrcIp() != null ? spec.unicastSrcIp().getAddress() : v6 ? addr6 : addr4;
            List<byte[]> peers = new ArrayList<>();
            for (InetAddress p : spec.unicastPeers()) {
                peers.add(p.getAddress());
            }
            int version = spec.version();
            return new VrrpChannel() {
                @Override
                public int ifIndex() {
                    return 2;
                }

                @Override
                public byte[] sourceAddress() {
                    return src;
                }

                @Override
                public boolean send(MemorySegment message, int length) {
                    List<byte[]> dsts = peers.isEmpty() ? List.of(v6 ? GROUP6 : GROUP4) : peers;
                    for (byte[] dst : dsts) {
                        byte[] copy = message.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE);
                        if (version == 3) {
                            VrrpPacketFlyweight f = new VrrpPacketFlyweight().wrap(MemorySegment.ofArray(copy), 0);
                            f.checksum(0).checksum(f.computeV3Checksum(length, src, dst));
                        }
                        deliver(Node.this, new Frame(copy, src, dst, 255, peers.isEmpty(), v6));
                    }
                    return true;
                }
            };
        }

        @Override
        public int receive(AdvertHandler handler, int limit) {
            int n = 0;
            while (n < limit && !rx.isEmpty()) {
                Frame f = rx.poll();
                MemorySegment.copy(f.vrrp(), 0, buf, ValueLayout.JAVA_BYTE, 0, f.vrrp().length);
                r.buffer = buf;
                r.offset = 0;
                r.length = f.vrrp().length;
                r.ipv6 = f.ipv6();
                r.ipHeaderLength = f.ipv6() ? 0 : 20;
                r.ipTotalLength = f.ipv6() ? -1 : 20 + f.vrrp().length;
                r.ttl = f.ttl();
                r.ifIndex = 2;
                r.multicast = f.multicast();
                r.checksumVerified = false;
                System.arraycopy(f.src(), 0, r.source(), 0, f.src().length);
                System.arraycopy(f.dst(), 0, r.destination(), 0, f.dst().length);
                handler.onAdvert(r);
                n++;
            }
            return n;
        }

        @Override
        public void await(long timeoutNanos) {
        }

        @Override
        public void close() {
        }

        /** Injects a raw frame as if it came from the wire. */
        void inject(Frame f) {
            rx.add(f);
        }
    }

    private void deliver(Node from, Frame f) {
        sent.add(f);
        if (dropAll || from.unplugged) {
            return;
        }
        for (Node n : nodes) {
            if (n == from || n.unplugged) {
                continue;
            }
            if (f.multicast() || Arrays.equals(f.dst(), n.addr4) || (n.addr6 != null && Arrays.equals(f.dst(),
                    n.addr6))) {
                n.rx.add(f);
            }
        }
    }
}

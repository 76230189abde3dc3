package io.fulcrum.healthcheck;

import io.fulcrum.netlink.LinuxSocket;
import io.fulcrum.netlink.NativeException;
import io.fulcrum.netlink.SockAddr;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;
import io.netty.util.concurrent.ScheduledFuture;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ICMP echo for {@code PING_CHECK}: one raw ICMP socket per address family per event loop (through the netlink
 * module's {@link LinuxSocket}), registered in that loop's epoll set, with every outstanding echo matched by
 * identifier and sequence number (RFC 792 echo, RFC 4443 §4.1 for ICMPv6).
 *
 * <p>Confined to its event-loop thread: created, used and closed there. Needs the epoll transport and CAP_NET_RAW.
 */
final class IcmpPinger {

    private static final Logger LOG = LoggerFactory.getLogger(IcmpPinger.class);
    private static final int BUF = 2048;
    private static final int PAYLOAD = 16;

    private final IoEventLoop loop;
    private Channel v4;
    private Channel v6;
    private boolean warned;

    IcmpPinger(IoEventLoop loop) {
        this.loop = loop;
    }

    /** Sends one echo request to {@code target}; reports success on the matching reply, failure on timeout. */
    void ping(InetAddress target, long timeoutMillis, Consumer<ProbeResult> done) {
        boolean six = target instanceof Inet6Address;
        Channel ch;
        try {
            ch = six ? (v6 != null ? v6 : (v6 = new Channel(true))) : (v4 != null ? v4 : (v4 = new Channel(false)));
        } catch (NativeException e) {
            if (!warned) {
                warned = true;
                LOG.warn("PING_CHECK cannot open an ICMP socket: {}", e.getMessage());
            }
            done.accept(ProbeResult.failure("failed"));
            return;
        }
        ch.send(target, timeoutMillis, done);
    }

    /** Closes both sockets. */
    void close() {
        if (v4 != null) {
            v4.closeQuietly();
        }
        if (v6 != null) {
            v6.closeQuietly();
        }
    }

    /** One raw socket and its outstanding echoes. */
    private final class Channel implements EpollIoHandle {
        private final boolean six;
        private final LinuxSocket socket;
        private final FileDescriptor fd;
        private final MemorySegment buf = Arena.ofAuto().allocate(BUF);
        private final SockAddr dest = new SockAddr();
        private final int ident = ThreadLocalRandom.current().nextInt(0x10000);
        private final Map<Integer, Pending> pending = new HashMap<>();
        private int seq;

        private record Pending(byte[] target, Consumer<ProbeResult> done, ScheduledFuture<?> timeout) {
        }

        Channel(boolean six) {
            this.six = six;
            this.socket = six ? LinuxSocket.rawIpv6(LinuxSocket.IPPROTO_ICMPV6)
                    : LinuxSocket.rawIpv4(LinuxSocket.IPPROTO_ICMP);
            this.socket.nonBlocking(true);
            this.fd = new FileDescriptor(socket.fd());
            loop.register(this).addListener(f -> {
                if (f.isSuccess()) {
                    ((IoRegistration) f.getNow()).submit(EpollIoOps.EPOLLIN);
                } else {
                    LOG.warn("PING_CHECK cannot watch its ICMP socket: {}", f.cause().toString());
                }
            });
        }

        void send(InetAddress target, long timeoutMillis, Consumer<ProbeResult> done) {
            int s = seq = (seq + 1) & 0xffff;
            int key = s;
            byte[] addr = target.getAddress();
            buf.set(ValueLayout.JAVA_BYTE, 0, (byte) (six ? 128 : 8));
            buf.set(ValueLayout.JAVA_BYTE, 1, (byte) 0);
            put16(2, 0);
            put16(4, ident);
            put16(6, s);
            for (int i = 0; i < PAYLOAD; i++) {
                buf.set(ValueLayout.JAVA_BYTE, 8 + i, (byte) ('f' + (i & 7)));
            }
            if (!six) {
                put16(2, checksum(8 + PAYLOAD)); // RFC 792; the kernel fills in the ICMPv6 checksum
            }
            if (six) {
                dest.setInet6(addr, 0, ((Inet6Address) target).getScopeId());
            } else {
                dest.setInet4(addr, 0);
            }
            String ip = Endpoint.ip(target);
            ScheduledFuture<?> timer = loop.schedule(() -> {
                Pending p = pending.remove(key);
                if (p != null) {
                    p.done().accept(ProbeResult.failure("address " + ip + " timeout"));
                }
            }, timeoutMillis, TimeUnit.MILLISECONDS);
            Pending old = pending.put(key, new Pending(addr, done, timer));
            if (old != null) {
                old.timeout().cancel(false);
                old.done().accept(ProbeResult.failure("failed"));
            }
            try {
                if (socket.sendTo(buf, 0, 8 + PAYLOAD, dest) < 0) {
                    fail(key);
                }
            } catch (NativeException e) {
                fail(key);
            }
        }

        private void fail(int key) {
            Pending p = pending.remove(key);
            if (p != null) {
                p.timeout().cancel(false);
                p.done().accept(ProbeResult.failure("failed"));
            }
        }

        @Override
        public FileDescriptor fd() {
            return fd;
        }

        @Override
        public void handle(IoRegistration registration, IoEvent event) {
            SockAddr from = new SockAddr();
            byte[] src = new byte[six ? 16 : 4];
            while (true) {
                int n;
                try {
                    n = socket.recvFrom(buf, 0, BUF, from);
                } catch (NativeException e) {
                    return;
                }
                if (n < 0) {
                    return;
                }
                int off = 0;
                if (!six) {
                    if (n < 20) {
                        continue;
                    }
                    off = (buf.get(ValueLayout.JAVA_BYTE, 0) & 0x0f) * 4;
                }
                if (n < off + 8) {
                    continue;
                }
                int type = buf.get(ValueLayout.JAVA_BYTE, off) & 0xff;
                if (type != (six ? 129 : 0) || get16(off + 4) != ident) {
                    continue;
                }
                Pending p = pending.get(get16(off + 6));
                from.copyIp(src, 0);
                if (p == null || !Arrays.equals(src, p.target())) {
                    continue;
                }
                pending.remove(get16(off + 6));
                p.timeout().cancel(false);
                p.done().accept(ProbeResult.success());
            }
        }

        private int checksum(int len) {
            long sum = 0;
            for (int i = 0; i + 1 < len; i += 2) {
                sum += get16(i);
            }
            if ((len & 1) != 0) {
                sum += (buf.get(ValueLayout.JAVA_BYTE, len - 1) & 0xff) << 8;
            }
            while ((sum >> 16) != 0) {
                sum = (sum & 0xffff) + (sum >> 16);
            }
            return (int) (~sum & 0xffff);
        }

        private int get16(int off) {
            return ((buf.get(ValueLayout.JAVA_BYTE, off) & 0xff) << 8) | (buf.get(ValueLayout.JAVA_BYTE, off + 1) & 0xff);
        }

        private void put16(int off, int v) {
            buf.set(ValueLayout.JAVA_BYTE, off, (byte) (v >>> 8));
            buf.set(ValueLayout.JAVA_BYTE, off + 1, (byte) v);
        }

        void closeQuietly() {
            for (Pending p : pending.values()) {
                p.timeout().cancel(false);
            }
            pending.clear();
            socket.close();
        }

        @Override
        public void close() {
            closeQuietly();
        }
    }

    /** Per-loop pingers, created lazily; thread-safe lookup, each pinger then used only on its own loop. */
    static final class PerLoop {
        private final Map<IoEventLoop, IcmpPinger> pingers = new java.util.concurrent.ConcurrentHashMap<>();

        IcmpPinger of(IoEventLoop loop) {
            return pingers.computeIfAbsent(loop, IcmpPinger::new);
        }

        void close() {
            for (Map.Entry<IoEventLoop, IcmpPinger> e : pingers.entrySet()) {
                if (!e.getKey().isShutdown()) {
                    e.getKey().execute(e.getValue()::close);
                }
            }
        }
    }
}

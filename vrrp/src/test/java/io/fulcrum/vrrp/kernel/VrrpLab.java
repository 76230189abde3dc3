package io.fulcrum.vrrp.kernel;

import io.fulcrum.netlink.Interfaces;
import io.fulcrum.netlink.IpText;
import io.fulcrum.netlink.LinuxSocket;
import io.fulcrum.netlink.NetNs;
import io.fulcrum.netlink.rtnl.Rtnetlink;
import io.fulcrum.testkit.NetnsLab;
import io.fulcrum.vrrp.Vrrp;
import io.fulcrum.vrrp.VrrpContext;
import io.fulcrum.testkit.Await;
import io.fulcrum.vrrp.VrrpInstanceSpec;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Two hosts on a bridge: {@code a} runs Fulcrum's engine (its VRRP thread enters the namespace), {@code b} runs the
 * peer (keepalived, or a second Fulcrum engine).
 *
 * <p>{@link #hasAddress} asks the namespace's kernel over an rtnetlink socket opened in it, not by running
 * {@code ip}: failover times are measured by polling it, and a fork and exec per poll added tens of milliseconds
 * (more on a loaded machine) to figures bounded at Master_Down_Interval or Skew_Time + 100 ms.
 */
final class VrrpLab implements AutoCloseable {

    final NetnsLab lab = NetnsLab.create();
    final String sw = lab.ns("sw");
    final String a = lab.ns("a");
    final String b = lab.ns("b");

    VrrpLab(String addrA, String addrB) {
        lab.bridge(sw, "br0");
        lab.plug(a, "eth0", sw, "br0", "pa");
        lab.plug(b, "eth0", sw, "br0", "pb");
        lab.addr(a, "eth0", addrA + "/24");
        lab.addr(b, "eth0", addrB + "/24");
    }

    VrrpLab() {
        this("10.0.0.1", "10.0.0.2");
    }

    private final Map<String, Rtnetlink> rtnl = new HashMap<>();

    /** Starts a Fulcrum engine in namespace {@code ns}. */
    Vrrp fulcrum(String ns, VrrpInstanceSpec... specs) {
        VrrpContext ctx = new VrrpContext().kernel().threadInitializer(() -> NetNs.enter(ns));
        for (VrrpInstanceSpec s : specs) {
            ctx.instance(s);
        }
        return Vrrp.launch(ctx);
    }

    /** Whether {@code address} is on {@code eth0} in namespace {@code ns}. Any one thread at a time. */
    boolean hasAddress(String ns, String address) {
        Rtnetlink r = rtnl.computeIfAbsent(ns, n -> {
            try {
                return NetNs.callIn(n, Rtnetlink::open);
            } catch (Exception e) {
                throw new IllegalStateException("rtnetlink socket in " + n, e);
            }
        });
        InetAddress want = IpText.parse(address);
        int eth0 = r.indexOf("eth0");
        return r.addresses().stream().anyMatch(x -> x.ifindex() == eth0 && x.address().equals(want));
    }

    @Override
    public void close() {
        rtnl.values().forEach(Rtnetlink::close);
        lab.close();
    }

    /**
     * A raw IPv4 VRRP socket in one namespace, joined to 224.0.0.18 on its {@code eth0}: tells when a priority 0
     * advert arrived there, so a graceful handover can be timed from the advert that starts it (RFC 5798 §6.4.2: the
     * backup waits Skew_Time after it), as seen on the wire. Test thread only.
     */
    static final class AdvertWatch implements AutoCloseable {
        private final LinuxSocket socket;
        private final Arena arena = Arena.ofConfined();
        private final MemorySegment buf = arena.allocate(2048);

        AdvertWatch(String ns) {
            try {
                socket = NetNs.callIn(ns, () -> {
                    LinuxSocket s = LinuxSocket.rawIpv4(LinuxSocket.IPPROTO_VRRP);
                    s.nonBlocking(true);
                    s.joinGroup4(0xe0000012, Interfaces.indexOf("eth0"));
                    return s;
                });
            } catch (Exception e) {
                throw new IllegalStateException("raw VRRP socket in " + ns, e);
            }
        }

        /**
         * Polls every millisecond until an advert with priority 0 from {@code source} has arrived; returns
         * {@link System#nanoTime()} at that moment (at most about a millisecond after it arrived).
         */
        long awaitPriorityZero(String source, Duration limit) {
            byte[] from = IpText.parse(source).getAddress();
            long deadline = System.nanoTime() + limit.toNanos();
            int seen = 0;
            while (true) {
                int n;
                while ((n = socket.recv(buf, 0, (int) buf.byteSize())) > 0) {
                    seen++;
                    int ihl = (buf.get(ValueLayout.JAVA_BYTE, 0) & 0x0f) * 4;
                    byte[] src = buf.asSlice(12, 4).toArray(ValueLayout.JAVA_BYTE);
                    if (n >= ihl + 4 && Arrays.equals(src, from)
                            && buf.get(ValueLayout.JAVA_BYTE, ihl + 2) == 0) {
                        return System.nanoTime();
                    }
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("timed out after " + limit.toMillis() + " ms waiting for a priority 0 "
                            + "advert from " + source + " (" + seen + " other adverts seen)");
                }
                Await.pause(1);
            }
        }

        @Override
        public void close() {
            socket.close();
            arena.close();
        }
    }
}

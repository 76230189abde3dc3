package io.fulcrum.dataplane;

import static io.fulcrum.testkit.PacketBuilder.inet;

import io.fulcrum.dataplane.service.ForwardingMethod;
import io.fulcrum.dataplane.service.LocalAddressPoolSpec;
import io.fulcrum.dataplane.service.Protocol;
import io.fulcrum.dataplane.service.RealServerSpec;
import io.fulcrum.dataplane.service.SchedulerKind;
import io.fulcrum.dataplane.service.ServiceTableSpec;
import io.fulcrum.dataplane.service.VirtualServiceSpec;
import io.fulcrum.testkit.PacketBuilder;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.agrona.concurrent.CachedEpochClock;

/**
 * A one-worker dataplane with one configurable service on VIP 192.0.2.10 (or 2001:db8:f::10) and real servers
 * 10.0.0.2.. (2001:db8:1::2..), each with its own MAC 02:00:00:00:01:NN so the output frame tells which was chosen.
 */
final class TestBed implements AutoCloseable {

    static final String CLIENT_MAC = "02:00:00:00:00:c1";
    static final String LB_MAC = "02:00:00:00:00:f0";

    final boolean v6;
    final CachedEpochClock clock = new CachedEpochClock();
    final Dataplane dp;
    final InMemoryFrameSource source = new InMemoryFrameSource();
    final int realServers;
    final List<String> laddrs;

    TestBed(boolean v6, int realServers, int laddrCount, DataplaneContext ctx) {
        this.v6 = v6;
        this.realServers = realServers;
        clock.update(10_000_000);
        StaticNeighbourTable nt = new StaticNeighbourTable(1024);
        for (int i = 0; i < realServers; i++) {
            nt.put(inet(rs(i)), 0, 0x02_00_00_00_01_00L + i);
        }
        for (int c = 0; c < 256; c++) {
            nt.put(inet(client(c)), 0, 0x02_00_00_00_00_c1L);
        }
        List<String> l = new ArrayList<>();
        for (int i = 0; i < laddrCount; i++) {
            l.add(v6 ? "2001:db8:1::1" + String.format("%02x", i) : "10.0.0." + (100 + i));
        }
        laddrs = List.copyOf(l);
        if (!ctx.isConcluded()) {
            ctx.portMacs(Lab.mac(LB_MAC)).neighbourTable(nt).clock(clock);
            if (ctx.connectionCapacity() == DataplaneContext.DEFAULT_CONNECTION_CAPACITY) {
                ctx.connectionCapacity(1 << 14);
            }
            ctx.conclude();
        }
        dp = Dataplane.launch(ctx);
    }

    String vip() {
        return v6 ? "2001:db8:f::10" : "192.0.2.10";
    }

    String rs(int i) {
        return v6 ? "2001:db8:1::" + (i + 2) : "10.0.0." + (i + 2);
    }

    String client(int i) {
        return v6 ? "2001:db8:c::" + Integer.toHexString(i + 1) : "198.51." + (100 + i / 250) + "." + (i % 250 + 1);
    }

    VirtualServiceSpec service(Protocol p, ForwardingMethod m, SchedulerKind algo, int persistence, int... weights) {
        List<RealServerSpec> rss = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            rss.add(new RealServerSpec(inet(rs(i)), m == ForwardingMethod.DR || m == ForwardingMethod.TUN ? 80 : 8080,
                    weights[i]));
        }
        return new VirtualServiceSpec(p, inet(vip()), 80, algo, m, persistence, false, false,
                m == ForwardingMethod.FNAT ? "lg" : null, rss);
    }

    void publish(VirtualServiceSpec... services) {
        List<InetAddress> l = new ArrayList<>();
        laddrs.forEach(a -> l.add(inet(a)));
        dp.publish(new ServiceTableSpec(List.of(services), List.of(new LocalAddressPoolSpec("lg", l)),
                List.of(inet(vip())), List.of()));
    }

    InMemoryFrameSource.Result send(byte[] frame) {
        dp.core(0).beginBatch();
        InMemoryFrameSource.Result r = source.process(dp.core(0), frame);
        dp.core(0).endBatch();
        return r;
    }

    byte[] syn(int client, int port) {
        return PacketBuilder.frame().eth(CLIENT_MAC, LB_MAC).ip(client(client), vip()).tcp(port, 80)
                .flags(PacketBuilder.SYN).build();
    }

    byte[] ack(int client, int port) {
        return PacketBuilder.frame().eth(CLIENT_MAC, LB_MAC).ip(client(client), vip()).tcp(port, 80)
                .flags(PacketBuilder.ACK).build();
    }

    byte[] tcp(int client, int port, int flags) {
        return PacketBuilder.frame().eth(CLIENT_MAC, LB_MAC).ip(client(client), vip()).tcp(port, 80)
                .flags(flags).build();
    }

    byte[] udp(int client, int port) {
        return PacketBuilder.frame().eth(CLIENT_MAC, LB_MAC).ip(client(client), vip()).udp(port, 80)
                .payload(new byte[8]).build();
    }

    /** The real-server index a TX frame was sent to (from its destination MAC), or -1. */
    static int chosen(InMemoryFrameSource.Result r) {
        if (r.verdict() != Verdict.TX) {
            return -1;
        }
        byte[] o = r.output();
        if ((o[4] & 0xFF) != 0x01) {
            return -1;
        }
        return o[5] & 0xFF;
    }

    void advance(long ms) {
        clock.advance(ms);
        dp.core(0).beginBatch();
        while (dp.core(0).expire() > 0) {
            // drain every due expiry
        }
    }

    @Override
    public void close() {
        source.close();
        dp.close();
    }
}

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

/** A one-worker dataplane with one service per (mode, protocol) and a fixed address plan, for packet tests. */
final class Lab implements AutoCloseable {

    static final String CLIENT_MAC = "02:00:00:00:00:c1";
    static final String LB0_MAC = "02:00:00:00:00:f0";
    static final String LB1_MAC = "02:00:00:00:00:f1";
    static final String RS_MAC = "02:00:00:00:00:a2";
    static final String ROUTER_MAC = "02:00:00:00:00:e1";

    final boolean v6;
    final String client;
    final String client2;
    final String lip;
    final String node;
    final String rsRouter;
    final String clientRouter;
    final CachedEpochClock clock = new CachedEpochClock();
    final Dataplane dp;
    final InMemoryFrameSource source = new InMemoryFrameSource();

    Lab(boolean v6) {
        this(v6, new DataplaneContext());
    }

    Lab(boolean v6, DataplaneContext ctx) {
        this.v6 = v6;
        client = v6 ? "2001:db8:c::7" : "198.51.100.7";
        client2 = v6 ? "2001:db8:c::8" : "198.51.100.8";
        lip = v6 ? "2001:db8:1::100" : "10.0.0.100";
        node = v6 ? "2001:db8:1::1" : "10.0.0.1";
        rsRouter = v6 ? "2001:db8:1::fe" : "10.0.0.254";
        clientRouter = v6 ? "2001:db8:2::1" : "203.0.113.1";
        clock.update(1_000_000);
        StaticNeighbourTable nt = new StaticNeighbourTable(64);
        long clientMac = mac(CLIENT_MAC);
        long rsMac = mac(RS_MAC);
        nt.put(inet(client), 0, clientMac).put(inet(client2), 0, clientMac);
        for (ForwardingMethod m : ForwardingMethod.values()) {
            nt.put(inet(rs(m)), 1, rsMac);
        }
        ctx.portMacs(mac(LB0_MAC), mac(LB1_MAC)).neighbourTable(nt).clock(clock)
                .connectionCapacity(Math.min(ctx.connectionCapacity(), 1 << 16)).conclude();
        dp = Dataplane.launch(ctx);
        dp.publish(spec(SchedulerKind.RR, List.of()));
    }

    static long mac(String m) {
        long v = 0;
        for (byte b : PacketBuilder.mac(m)) {
            v = (v << 8) | (b & 0xFF);
        }
        return v;
    }

    String vip(ForwardingMethod m) {
        int i = m.ordinal() + 10;
        return v6 ? "2001:db8:f::" + i : "192.0.2." + i;
    }

    String localVip() {
        return v6 ? "2001:db8:f::99" : "192.0.2.99";
    }

    String rs(ForwardingMethod m) {
        int i = m.ordinal() + 2;
        return v6 ? "2001:db8:1::" + i : "10.0.0." + i;
    }

    /** Real-server port for a service port: FNAT/NAT remap (+8000), DR/TUN keep it. */
    static int rport(ForwardingMethod m, int vport) {
        return m == ForwardingMethod.FNAT || m == ForwardingMethod.NAT ? vport + 8000 : vport;
    }

    ServiceTableSpec spec(SchedulerKind algo, List<VirtualServiceSpec> extra) {
        List<VirtualServiceSpec> s = new ArrayList<>();
        List<InetAddress> owned = new ArrayList<>();
        for (ForwardingMethod m : ForwardingMethod.values()) {
            owned.add(inet(vip(m)));
            for (Protocol p : Protocol.values()) {
                for (int port : new int[] {80, 443}) {
                    boolean toa = m == ForwardingMethod.FNAT && p == Protocol.TCP && port == 443;
                    s.add(new VirtualServiceSpec(p, inet(vip(m)), port, algo, m, 0, toa, false,
                            m == ForwardingMethod.FNAT ? "lg" : null,
                            List.of(new RealServerSpec(inet(rs(m)), rport(m, port), 1))));
                }
            }
        }
        owned.add(inet(localVip()));
        s.add(new VirtualServiceSpec(Protocol.TCP, inet(localVip()), 80, algo, ForwardingMethod.DR, 0, false, false,
                null, List.of(new RealServerSpec(inet(node), 80, 1))));
        s.addAll(extra);
        return new ServiceTableSpec(s, List.of(new LocalAddressPoolSpec("lg", List.of(inet(lip)))), owned,
                List.of(inet(node)));
    }

    InMemoryFrameSource.Result run(byte[] frame) {
        dp.core(0).beginBatch();
        InMemoryFrameSource.Result r = source.process(dp.core(0), frame);
        dp.core(0).endBatch();
        return r;
    }

    @Override
    public void close() {
        source.close();
        dp.close();
    }
}

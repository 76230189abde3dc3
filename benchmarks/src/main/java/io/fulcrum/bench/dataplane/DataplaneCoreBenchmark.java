package io.fulcrum.bench.dataplane;

import io.fulcrum.dataplane.Dataplane;
import io.fulcrum.dataplane.DataplaneContext;
import io.fulcrum.dataplane.ForwardingCore;
import io.fulcrum.dataplane.Frame;
import io.fulcrum.dataplane.StaticNeighbourTable;
import io.fulcrum.dataplane.Verdict;
import io.fulcrum.dataplane.packet.InternetChecksum;
import io.fulcrum.dataplane.service.ForwardingMethod;
import io.fulcrum.dataplane.service.LocalAddressPoolSpec;
import io.fulcrum.dataplane.service.Protocol;
import io.fulcrum.dataplane.service.RealServerSpec;
import io.fulcrum.dataplane.service.SchedulerKind;
import io.fulcrum.dataplane.service.ServiceTableSpec;
import io.fulcrum.dataplane.service.VirtualServiceSpec;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.CachedEpochClock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The dataplane core's packet path per forwarding method on an established connection: each operation copies a
 * 100-byte-payload TCP frame into a frame buffer (as a receive ring would hold it) and runs it through
 * {@link ForwardingCore#process}. One batch of {@value #BATCH} frames per invocation, one {@code beginBatch()} per
 * batch, as a worker does. Run with {@code -prof gc}: the steady state allocates nothing.
 *
 * <p>Run: {@code scripts/bench-jmh 'dataplane' -prof gc -f 1 -wi 2 -i 3 -w 1s -r 1s}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DataplaneCoreBenchmark {

    static final int BATCH = 32;
    static final int HEADROOM = Integer.getInteger("bench.headroom", 256);

    /** Forwarding method and direction. */
    @Param({"FNAT", "FNAT_REPLY", "NAT", "NAT_REPLY", "DR", "TUN"})
    public String path;

    /** IP version. */
    @Param({"4", "6"})
    public int ip;

    private Dataplane dataplane;
    private ForwardingCore core;
    private Arena arena;
    private MemorySegment buffer;
    private MemorySegment template;
    private int templateLength;
    private final Frame frame = new Frame();

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        boolean v6 = ip == 6;
        String client = v6 ? "2001:db8:c::7" : "198.51.100.7";
        String vip = v6 ? "2001:db8:f::10" : "192.0.2.10";
        String rs = v6 ? "2001:db8:1::2" : "10.0.0.2";
        String lip = v6 ? "2001:db8:1::100" : "10.0.0.100";
        String node = v6 ? "2001:db8:1::1" : "10.0.0.1";
        ForwardingMethod m = ForwardingMethod.valueOf(path.replace("_REPLY", ""));
        StaticNeighbourTable nt = new StaticNeighbourTable(16)
                .put(InetAddress.ofLiteral(client), 0, 0x0200000000c1L)
                .put(InetAddress.ofLiteral(rs), 1, 0x0200000000a2L);
        CachedEpochClock clock = new CachedEpochClock();
        clock.update(1_000_000);
        DataplaneContext ctx = new DataplaneContext().portMacs(0x0200000000f0L, 0x0200000000f1L).neighbourTable(nt)
                .clock(clock).connectionCapacity(1 << 16).conclude();
        dataplane = Dataplane.launch(ctx);
        int rport = m == ForwardingMethod.FNAT || m == ForwardingMethod.NAT ? 8080 : 80;
        dataplane.publish(new ServiceTableSpec(List.of(new VirtualServiceSpec(Protocol.TCP, InetAddress.ofLiteral(vip),
                80, SchedulerKind.WRR, m, 0, false, false, m == ForwardingMethod.FNAT ? "lg" : null,
                List.of(new RealServerSpec(InetAddress.ofLiteral(rs), rport, 1)))),
                List.of(new LocalAddressPoolSpec("lg", List.of(InetAddress.ofLiteral(lip)))),
                List.of(InetAddress.ofLiteral(vip)), List.of(InetAddress.ofLiteral(node))));
        core = dataplane.core(0);
        arena = Arena.ofShared();
        buffer = arena.allocate(4096, 64);
        template = arena.allocate(2048, 64);
        // Open the connection: SYN, then ACK (ESTABLISHED).
        run(tcpFrame(client, vip, 40000, 80, 0x02, 0));
        run(tcpFrame(client, vip, 40000, 80, 0x10, 0));
        byte[] steady;
        if (path.endsWith("_REPLY")) {
            steady = m == ForwardingMethod.FNAT ? tcpFrame(rs, lip, 8080, 1024, 0x18, 100)
                    : tcpFrame(rs, client, 8080, 40000, 0x18, 100);
        } else {
            steady = tcpFrame(client, vip, 40000, 80, 0x18, 100);
        }
        if (run(steady) != Verdict.TX) {
            throw new IllegalStateException(path + ": steady-state frame not forwarded");
        }
        MemorySegment.copy(MemorySegment.ofArray(steady), 0, template, 0, steady.length);
        templateLength = steady.length;
    }

    private Verdict run(byte[] f) {
        core.beginBatch();
        MemorySegment.copy(MemorySegment.ofArray(f), 0, buffer, HEADROOM, f.length);
        frame.wrap(buffer, 0, HEADROOM, f.length, buffer.byteSize(), 0);
        Verdict v = core.process(frame);
        core.endBatch();
        return v;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        dataplane.close();
        arena.close();
    }

    /** One batch of frames through the core; the score is per frame. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int processBatch() {
        core.beginBatch();
        int tx = 0;
        for (int i = 0; i < BATCH; i++) {
            MemorySegment.copy(template, 0, buffer, HEADROOM, templateLength);
            frame.wrap(buffer, 0, HEADROOM, templateLength, 4096, 0);
            if (core.process(frame) == Verdict.TX) {
                tx++;
            }
        }
        core.endBatch();
        return tx;
    }

    /** Builds an Ethernet + IP + TCP frame with full checksums (benchmark set-up only). */
    static byte[] tcpFrame(String src, String dst, int sport, int dport, int flags, int payload) {
        byte[] s = InetAddress.ofLiteral(src).getAddress();
        byte[] d = InetAddress.ofLiteral(dst).getAddress();
        boolean v6 = s.length == 16;
        int l3 = v6 ? 40 : 20;
        int l4 = 20 + payload;
        ByteBuffer b = ByteBuffer.allocate(14 + l3 + l4);
        b.put(new byte[] {2, 0, 0, 0, 0, (byte) 0xf0, 2, 0, 0, 0, 0, (byte) 0xc1});
        b.putShort((short) (v6 ? 0x86DD : 0x0800));
        if (v6) {
            b.putInt(0x60000000).putShort((short) l4).put((byte) 6).put((byte) 64).put(s).put(d);
        } else {
            b.put((byte) 0x45).put((byte) 0).putShort((short) (l3 + l4)).putShort((short) 0x1234)
                    .putShort((short) 0x4000).put((byte) 64).put((byte) 6).putShort((short) 0).put(s).put(d);
        }
        int tcp = b.position();
        b.putShort((short) sport).putShort((short) dport).putInt(1000).putInt((flags & 0x10) != 0 ? 2000 : 0)
                .put((byte) 0x50).put((byte) flags).putShort((short) 65535).putShort((short) 0).putShort((short) 0);
        for (int i = 0; i < payload; i++) {
            b.put((byte) i);
        }
        byte[] f = b.array();
        MemorySegment seg = MemorySegment.ofArray(f);
        long pseudo = 0;
        for (int i = 0; i < s.length; i += 2) {
            pseudo += ((s[i] & 0xFF) << 8 | (s[i + 1] & 0xFF)) + ((d[i] & 0xFF) << 8 | (d[i + 1] & 0xFF));
        }
        pseudo += 6 + l4;
        int c = InternetChecksum.compute(seg, tcp, l4, pseudo);
        f[tcp + 16] = (byte) (c >>> 8);
        f[tcp + 17] = (byte) c;
        if (!v6) {
            int h = InternetChecksum.compute(seg, 14, 20, 0);
            f[24] = (byte) (h >>> 8);
            f[25] = (byte) h;
        }
        return f;
    }
}

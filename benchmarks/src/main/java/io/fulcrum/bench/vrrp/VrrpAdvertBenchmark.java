package io.fulcrum.bench.vrrp;

import io.fulcrum.vrrp.VrrpAgent;
import io.fulcrum.vrrp.VrrpContext;
import io.fulcrum.vrrp.VrrpInstanceSpec;
import io.fulcrum.vrrp.VrrpState;
import io.fulcrum.vrrp.packet.VrrpPacketFlyweight;
import io.fulcrum.vrrp.transport.AdvertHandler;
import io.fulcrum.vrrp.transport.ReceivedAdvert;
import io.fulcrum.vrrp.transport.VrrpChannel;
import io.fulcrum.vrrp.transport.VrrpTransport;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.NanoClock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The VRRP receive path: one valid VRRPv3 advert per {@code doWork()} through dispatch, RFC 5798 §7.1 validation
 * (length, TTL, version, type, address list, checksum over the pseudo-header) and the BACKUP's timer reset; and the
 * send-side encode + checksum. Run with {@code -prof gc} to see the allocation per operation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class VrrpAdvertBenchmark {

    private static final byte[] SRC = {10, 0, 0, 2};
    private static final byte[] GROUP = {(byte) 224, 0, 0, 18};

    private VrrpAgent agent;
    private final MemorySegment out = Arena.ofAuto().allocate(64);
    private final VrrpPacketFlyweight flyweight = new VrrpPacketFlyweight();
    private int prio;
    private long now = 1_000_000_000L;

    /** A transport that hands the same valid advert to the engine on every receive. */
    static final class ReplayTransport implements VrrpTransport {
        final ReceivedAdvert r = new ReceivedAdvert();
        final MemorySegment buf = Arena.ofAuto().allocate(64);
        final int length;

        ReplayTransport() {
            length = VrrpPacketFlyweight.messageLength(3, 4, 1);
            VrrpPacketFlyweight f = new VrrpPacketFlyweight().wrap(buf, 0);
            f.versionType(3, 1).vrid(51).priority(200).addressCount(1).maxAdverIntCentis(100)
                    .address(0, new byte[] {10, 0, 0, 100}).checksum(0);
            f.checksum(f.computeV3Checksum(length, SRC, GROUP));
            r.buffer = buf;
            r.length = length;
            r.ttl = 255;
            r.ifIndex = 2;
            r.multicast = true;
            r.ipHeaderLength = 20;
            r.ipTotalLength = 20 + length;
            System.arraycopy(SRC, 0, r.source4, 0, 4);
            System.arraycopy(GROUP, 0, r.destination4, 0, 4);
        }

        @Override
        public VrrpChannel open(VrrpInstanceSpec spec) {
            byte[] self = {10, 0, 0, 1};
            return new VrrpChannel() {
                @Override
                public int ifIndex() {
                    return 2;
                }

                @Override
                public byte[] sourceAddress() {
                    return self;
                }

                @Override
                public boolean send(MemorySegment message, int len) {
                    return true;
                }
            };
        }

        @Override
        public int receive(AdvertHandler handler, int limit) {
            handler.onAdvert(r);
            return 1;
        }

        @Override
        public void await(long timeoutNanos) {
        }

        @Override
        public void close() {
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        NanoClock clock = () -> now;
        VrrpContext ctx = new VrrpContext().clock(clock).transport(ReplayTransport::new)
                .instance(VrrpInstanceSpec.builder("VI_1").interfaceName("eth0").vrid(51).version(3).priority(100)
                        .vip("10.0.0.100/24").build());
        agent = new VrrpAgent(ctx.conclude());
        agent.onStart();
        agent.doWork();
        if (agent.instance("VI_1").state() != VrrpState.BACKUP) {
            throw new IllegalStateException("expected BACKUP");
        }
        flyweight.wrap(out, 0).versionType(3, 1).vrid(51).addressCount(1).maxAdverIntCentis(100)
                .address(0, new byte[] {10, 0, 0, 100});
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        agent.onClose();
    }

    /** Receive, validate and account one advert (BACKUP resets its Master_Down_Timer). */
    @Benchmark
    public int receiveValidAdvert() {
        now += 1000;
        return agent.doWork();
    }

    /** Encode the changing field and compute the v3 checksum over the IPv4 pseudo-header. */
    @Benchmark
    public int encodeAdvertV3() {
        prio = (prio + 1) & 0xff;
        flyweight.priority(prio).checksum(0);
        int c = flyweight.computeV3Checksum(12, SRC, GROUP);
        flyweight.checksum(c);
        return c;
    }
}

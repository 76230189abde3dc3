package io.fulcrum.bench.netlink;

import io.fulcrum.netlink.NetNs;
import io.fulcrum.netlink.rtnl.Address;
import io.fulcrum.netlink.rtnl.NetlinkHeaderFlyweight;
import io.fulcrum.netlink.rtnl.Rtnetlink;
import io.fulcrum.netlink.rtnl.RtnetlinkCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * rtnetlink messages parsed per second from a real RTM_GETADDR dump of 10,000 IPv4 addresses.
 *
 * <p>Setup builds a scratch namespace {@code fkbench-PID} with 10,000 addresses on a veth, dumps them once through
 * {@link Rtnetlink#dump} capturing the raw messages, deletes the namespace, then the benchmarks walk the captured bytes.
 * {@code scan}: flyweight walk of every message and attribute (no allocation); {@code decode}: into {@link Address}
 * records (what the monitor's cache does). Scores are messages per second (one operation = one message).
 * Needs root (namespaces). Run: {@code scripts/bench-jmh AddressDump -f 1 -wi 2 -i 3 -w 1s -r 1s -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AddressDumpBenchmark {

    static final int ADDRESSES = 10_000;

    private MemorySegment dump;
    private long[] offsets;
    private final RtnetlinkCodec codec = new RtnetlinkCodec();
    private final NetlinkHeaderFlyweight header = new NetlinkHeaderFlyweight();
    private Arena arena;

    @Setup(Level.Trial)
    public void capture() throws Exception {
        String ns = "fkbench-" + ProcessHandle.current().pid();
        run("ip", "netns", "add", ns);
        try {
            run("ip", "netns", "exec", ns, "ip", "link", "add", "b0", "type", "veth", "peer", "name", "b1");
            Path batch = Files.createTempFile("fkbench", ".batch");
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < ADDRESSES; i++) {
                sb.append("addr add 10.").append(100 + i / 65536).append('.').append((i >> 8) & 0xff).append('.')
                        .append(i & 0xff).append("/32 dev b0\n");
            }
            Files.writeString(batch, sb);
            run("ip", "netns", "exec", ns, "ip", "-batch", batch.toString());
            Files.delete(batch);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            int[] count = new int[1];
            NetNs.runIn(ns, () -> {
                try (Rtnetlink rtnl = Rtnetlink.open()) {
                    byte[] msg = new byte[65536];
                    rtnl.dump(NetlinkHeaderFlyweight.RTM_GETADDR, 2, (seg, off, len) -> {
                        MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, off, msg, 0, len);
                        bytes.write(msg, 0, NetlinkHeaderFlyweight.align(len));
                        count[0]++;
                    });
                }
            });
            if (count[0] < ADDRESSES) {
                throw new IllegalStateException("dump returned " + count[0] + " messages, expected " + ADDRESSES);
            }
            arena = Arena.ofShared();
            byte[] raw = bytes.toByteArray();
            dump = arena.allocate(raw.length, 8);
            MemorySegment.copy(raw, 0, dump, ValueLayout.JAVA_BYTE, 0, raw.length);
            offsets = new long[count[0]];
            long off = 0;
            for (int i = 0; i < count[0]; i++) {
                offsets[i] = off;
                off += NetlinkHeaderFlyweight.align(header.wrap(dump, off).length());
            }
            System.out.println("captured " + count[0] + " RTM_NEWADDR messages, " + raw.length + " bytes");
        } finally {
            run("ip", "netns", "del", ns);
        }
    }

    @TearDown(Level.Trial)
    public void release() {
        arena.close();
    }

    private static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
    }

    /** Walks every message and its attributes with flyweights, without allocating. */
    @Benchmark
    @OperationsPerInvocation(ADDRESSES)
    public long scan() {
        long sum = 0;
        long[] offs = offsets;
        for (int i = 0; i < ADDRESSES; i++) {
            sum += codec.scanAddress(dump, offs[i]);
        }
        return sum;
    }

    /** Decodes every message into an {@link Address} record. */
    @Benchmark
    @OperationsPerInvocation(ADDRESSES)
    public void decode(Blackhole bh) {
        long[] offs = offsets;
        for (int i = 0; i < ADDRESSES; i++) {
            bh.consume(codec.decodeAddress(dump, offs[i]));
        }
    }
}

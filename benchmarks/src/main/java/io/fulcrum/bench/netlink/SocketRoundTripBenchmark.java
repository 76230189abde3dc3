package io.fulcrum.bench.netlink;

import io.fulcrum.netlink.LinuxSocket;
import io.fulcrum.netlink.MessageHeader;
import io.fulcrum.netlink.SockAddr;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
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
 * One {@code sendto} plus one {@code recvmsg} (with source address, TTL and pktinfo ancillary data) of a 64-byte UDP
 * datagram over 127.0.0.1 through {@link LinuxSocket}: shows the FFM socket path allocates nothing per call
 * ({@code -prof gc}). Run: {@code scripts/bench-jmh SocketRoundTrip -f 1 -wi 2 -i 3 -w 1s -r 1s -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SocketRoundTripBenchmark {

    private LinuxSocket tx;
    private LinuxSocket rx;
    private SockAddr dest;
    private MessageHeader header;
    private MemorySegment out;
    private MemorySegment in;
    private Arena arena;

    @Setup(Level.Trial)
    public void open() {
        arena = Arena.ofShared();
        out = arena.allocate(64);
        in = arena.allocate(2048);
        rx = LinuxSocket.open(LinuxSocket.AF_INET, LinuxSocket.SOCK_DGRAM, 0);
        rx.bind(SockAddr.inet4(0x7f000001, 0));
        rx.setInt(LinuxSocket.IPPROTO_IP, LinuxSocket.IP_RECVTTL, 1);
        rx.setInt(LinuxSocket.IPPROTO_IP, LinuxSocket.IP_PKTINFO, 1);
        dest = rx.localAddress(new SockAddr());
        tx = LinuxSocket.open(LinuxSocket.AF_INET, LinuxSocket.SOCK_DGRAM, 0);
        header = new MessageHeader();
        sendHeader = new MessageHeader();
        port = dest.port();
    }

    @TearDown(Level.Trial)
    public void close() {
        tx.close();
        rx.close();
        arena.close();
    }

    private MessageHeader sendHeader;
    private int port;

    /** Rewrites the destination in place and sends with {@code sendmsg} + IP_PKTINFO ancillary data, then receives. */
    @Benchmark
    public int sendMsgWithPacketInfo() {
        dest.setInet4(0x7f000001, port);
        sendHeader.clearOutgoing().outgoingIpv4PacketInfo(1, 0x7f000001);
        tx.sendMsg(out, 0, 64, dest, sendHeader);
        int n = rx.recvMsg(in, 0, 2048, header);
        return n + header.hopLimit() + header.ifindex();
    }

    @Benchmark
    public int sendToRecvMsg() {
        tx.sendTo(out, 0, 64, dest);
        int n = rx.recvMsg(in, 0, 2048, header);
        return n + header.hopLimit() + header.ifindex() + header.source().port();
    }
}

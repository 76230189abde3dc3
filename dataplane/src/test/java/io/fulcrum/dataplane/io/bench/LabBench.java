package io.fulcrum.dataplane.io.bench;

import io.fulcrum.dataplane.Dataplane;
import io.fulcrum.dataplane.DataplaneContext;
import io.fulcrum.dataplane.io.DataplaneIo;
import io.fulcrum.dataplane.io.IoContext;
import io.fulcrum.dataplane.io.IoPort;
import io.fulcrum.dataplane.io.PortFrameSource;
import io.fulcrum.dataplane.io.xdp.XskPort;
import io.fulcrum.dataplane.io.PortMode;
import io.fulcrum.dataplane.io.arp.KernelNeighbourTable;
import io.fulcrum.dataplane.io.packet.TpacketV3Port;
import io.fulcrum.dataplane.io.xdp.BpfAssembler;
import io.fulcrum.dataplane.io.xdp.XdpLoader;
import io.fulcrum.dataplane.service.ForwardingMethod;
import io.fulcrum.dataplane.service.LocalAddressPoolSpec;
import io.fulcrum.dataplane.service.Protocol;
import io.fulcrum.dataplane.service.RealServerSpec;
import io.fulcrum.dataplane.service.SchedulerKind;
import io.fulcrum.dataplane.service.ServiceTableSpec;
import io.fulcrum.dataplane.service.VirtualServiceSpec;
import io.fulcrum.netlink.Bpf;
import io.fulcrum.netlink.Interfaces;
import io.fulcrum.netlink.NetNs;
import io.fulcrum.testkit.NetnsLab;
import io.fulcrum.testkit.PacketBuilder;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The lab benchmark: on one topology (client namespace → LB namespace → real-server namespace over veth) it measures
 * forwarded UDP packets per second and new TCP connections per second through Fulcrum's FullNAT (AF_XDP and
 * AF_PACKET), the kernel's own FullNAT with nftables (DNAT + SNAT), HAProxy in TCP mode (connections only), and the
 * veth's forwarding limit with a minimal XDP program of our own (rewrite MACs, {@code bpf_redirect} to the server-side
 * veth); then prints the figures and the ratios. Each measurement is bounded in time ({@code --seconds}) and count.
 * The UDP load comes from a packet-ring blaster in the client namespace (one valid 64-byte UDP frame queued in batches
 * on a TPACKET_V3 transmit ring); the figure is the frames per second that reach the real server's interface (a
 * {@code DatagramChannel} sink there also reports what its socket took). Every namespace, process and XDP program is removed at the end, also on failure.
 *
 * <p>Run with {@code scripts/bench-lab} (root). Single-threaded driver; load threads are platform threads moved into
 * their namespaces.
 */
public final class LabBench {

    static final String CLIENT = "10.0.1.2";
    static final String VIP = "10.0.1.100";
    static final String LB_CLIENT_SIDE = "10.0.1.1";
    static final String LB_SERVER_SIDE = "10.0.2.1";
    static final String LIP = "10.0.2.100";
    static final String RS = "10.0.2.11";
    static final int UDP_PORT = 9000;
    static final int TCP_VPORT = 80;
    static final int TCP_RPORT = 8080;
    static final long MAX_PACKETS = 50_000_000L;
    static final long MAX_CONNECTIONS = 2_000_000L;

    private final double seconds;
    private final int tcpClients;
    private final int[] idle;
    private final int[] xdp;

    private LabBench(double seconds, int tcpClients, int[] idle, int[] xdp) {
        this.seconds = seconds;
        this.tcpClients = tcpClients;
        this.idle = idle;
        this.xdp = xdp;
    }

    /**
     * With {@code --far-napi}: the client's and the real server's veth ends receive through NAPI in a kernel thread of
     * their own (GRO on, {@code threaded} 1), as separate hosts would, instead of in the sender's context (the LB
     * worker's {@code sendto}, or the kernel's forwarding softirq). The same for every system under test.
     */
    private static boolean farNapi;

    /** Entry point: {@code [--seconds S] [--tcp-clients N] [--only name,name] [--far-napi]}. */
    public static void main(String[] args) throws Exception {
        double seconds = 4;
        int clients = 4;
        List<String> only = List.of();
        int[] idle = null;
        int[] xdp = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--tcp-clients" -> clients = Integer.parseInt(args[++i]);
                case "--only" -> only = List.of(args[++i].split(","));
                case "--far-napi" -> farNapi = true;
                case "--xdp" -> {
                    String[] v = args[++i].split(",");
                    xdp = new int[] {Integer.parseInt(v[0]), Integer.parseInt(v[1])};
                }
                case "--idle" -> {
                    String[] v = args[++i].split(",");
                    idle = new int[] {Integer.parseInt(v[0]), Integer.parseInt(v[1])};
                }
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (use --seconds S, --tcp-clients N, --only fulcrum-xdp,fulcrum-packet,nftables,haproxy,xdp-forward, "
                        + "--idle SPINS,POLL_MS for Fulcrum's idle strategy, --xdp FRAMES,RING_SIZE for its AF_XDP sockets, "
                        + "--far-napi for threaded NAPI receive on the client's and the real server's veth)");
            }
        }
        if (seconds < 1 || seconds > 30) {
            throw new IllegalArgumentException("--seconds " + seconds + " out of range 1..30");
        }
        new LabBench(seconds, clients, idle, xdp).run(only);
    }

    private record Result(double udpPps, double tcpCps, String note) {
    }

    private void run(List<String> only) throws Exception {
        Map<String, Result> results = new LinkedHashMap<>();
        for (String name : List.of("xdp-forward", "fulcrum-xdp", "fulcrum-packet", "nftables", "haproxy")) {
            if (!only.isEmpty() && !only.contains(name)) {
                continue;
            }
            System.out.printf("== %s%n", name);
            try (NetnsLab lab = NetnsLab.create()) {
                Topology t = new Topology(lab);
                Result r = switch (name) {
                    case "fulcrum-xdp" -> fulcrum(t, PortMode.XDP);
                    case "fulcrum-packet" -> fulcrum(t, PortMode.PACKET);
                    case "nftables" -> nftables(t);
                    case "haproxy" -> haproxy(t);
                    default -> xdpForward(t);
                };
                results.put(name, r);
                System.out.printf("   udp %s pps, tcp %s conn/s %s%n", fmt(r.udpPps), fmt(r.tcpCps), r.note);
            } catch (RuntimeException e) {
                System.out.printf("   failed: %s%n", e.getMessage());
                results.put(name, new Result(Double.NaN, Double.NaN, "failed: " + e.getMessage()));
            }
        }
        System.out.println();
        System.out.printf("%-16s %14s %14s%n", "system", "UDP pps", "TCP conn/s");
        results.forEach((k, v) -> System.out.printf("%-16s %14s %14s  %s%n", k, fmt(v.udpPps), fmt(v.tcpCps), v.note));
        System.out.println();
        for (String f : List.of("fulcrum-xdp", "fulcrum-packet")) {
            Result fr = results.get(f);
            if (fr == null) {
                continue;
            }
            for (String other : List.of("nftables", "haproxy", "xdp-forward")) {
                Result o = results.get(other);
                if (o == null) {
                    continue;
                }
                System.out.printf("%s / %-12s UDP %s   TCP %s%n", f, other, ratio(fr.udpPps, o.udpPps),
                        ratio(fr.tcpCps, o.tcpCps));
            }
        }
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%,.0f", v);
    }

    private static String ratio(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) || b == 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", a / b);
    }

    /** client eth0 — eth0 lb eth1 — eth0 rs, with the sink and the TCP server on the real server. */
    private static final class Topology {
        final NetnsLab lab;
        final String client;
        final String lb;
        final String rs;

        Topology(NetnsLab lab) {
            this.lab = lab;
            client = lab.ns("client");
            lb = lab.ns("lb");
            rs = lab.ns("rs");
            lab.veth(client, "eth0", lb, "eth0");
            lab.veth(lb, "eth1", rs, "eth0");
            lab.addr(client, "eth0", CLIENT + "/24");
            lab.addr(lb, "eth0", LB_CLIENT_SIDE + "/24");
            lab.addr(lb, "eth1", LB_SERVER_SIDE + "/24");
            lab.addr(rs, "eth0", RS + "/24");
            lab.exec(client, "ip", "route", "add", "default", "via", LB_CLIENT_SIDE).orThrow();
            lab.exec(rs, "ip", "route", "add", "default", "via", LB_SERVER_SIDE).orThrow();
            lab.sysctl(client, "net.ipv4.ip_local_port_range", "10000 65000");
            lab.sysctl(rs, "net.core.rmem_max", "16777216");
            lab.sysctl(rs, "net.core.somaxconn", "8192");
            lab.sysctl(rs, "net.ipv4.tcp_max_syn_backlog", "8192");
            if (farNapi) {
                for (String ns : List.of(client, rs)) {
                    lab.exec(ns, "ethtool", "-K", "eth0", "gro", "on").orThrow();
                    lab.exec(ns, "sh", "-c", "echo 1 > /sys/class/net/eth0/threaded").orThrow();
                }
            }
        }
    }

    // ------------------------------------------------------------------ systems under test

    private Result fulcrum(Topology t, PortMode mode) throws Exception {
        IoContext ioCtx = new IoContext().interfaces("eth0", "eth1").mode(mode).workers(1);
        if (idle != null) {
            ioCtx.idle(idle[0], idle[1]);
        }
        if (xdp != null) {
            ioCtx.xdp(xdp[0], xdp[1]);
        }
        DataplaneIo io = NetNs.callIn(t.lb, () -> DataplaneIo.open(ioCtx));
        Dataplane dp = null;
        try {
            dp = Dataplane.launch(new DataplaneContext().workers(1).portMacs(io.portMacs())
                    .neighbourTable(io.neighbourTable()).connectionCapacity(1 << 20).counterEntities(64));
            InetAddress vip = InetAddress.getByName(VIP);
            InetAddress rs = InetAddress.getByName(RS);
            List<VirtualServiceSpec> services = List.of(
                    new VirtualServiceSpec(Protocol.UDP, vip, UDP_PORT, SchedulerKind.RR, ForwardingMethod.FNAT, 0,
                            false, false, "lg", List.of(new RealServerSpec(rs, UDP_PORT, 1))),
                    new VirtualServiceSpec(Protocol.TCP, vip, TCP_VPORT, SchedulerKind.RR, ForwardingMethod.FNAT, 0,
                            false, false, "lg", List.of(new RealServerSpec(rs, TCP_RPORT, 1))));
            dp.publish(new ServiceTableSpec(services,
                    List.of(new LocalAddressPoolSpec("lg", List.of(InetAddress.getByName(LIP)))), List.of(vip),
                    List.of(InetAddress.getByName(LB_CLIENT_SIDE), InetAddress.getByName(LB_SERVER_SIDE))));
            Dataplane started = dp;
            NetNs.runIn(t.lb, () -> io.start(started));
            double udp = udp(t);
            portCounters(io, "after UDP");
            double tcp = tcp(t);
            portCounters(io, "after TCP");
            return new Result(udp, tcp, "(" + io.portKind() + ": " + io.selectionReason() + ")");
        } finally {
            io.close();
            if (dp != null) {
                dp.close();
            }
        }
    }

    /** Prints each port's counters (kicks, refused kicks, transmit drops) so a run shows where frames went. */
    private static void portCounters(DataplaneIo io, String when) {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpu = 0;
        for (Thread w : io.workerThreads()) {
            cpu += mx.getThreadCpuTime(w.threadId());
        }
        long frames = 0;
        for (PortFrameSource s : io.sources()) {
            frames += s.txFrames();
        }
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "   ports %s: worker CPU %.2f s = %,.0f ns per transmitted frame;", when, cpu / 1e9,
                frames == 0 ? 0.0 : (double) cpu / frames));
        for (PortFrameSource s : io.sources()) {
            b.append(String.format(Locale.ROOT, " tx %,d txFailed %,d dropped %,d;", s.txFrames(), s.txFailed(),
                    s.dropped()));
            for (IoPort p : s.ports()) {
                b.append(String.format(Locale.ROOT, " %s rx %,d txDropped %,d", p.ifName(), p.rxPackets(),
                        p.txDropped()));
                if (p instanceof XskPort x) {
                    b.append(String.format(Locale.ROOT, " kicks %,d (refused %,d, budget %d) xdp_statistics %s", x.kicks(),
                            x.kickErrors(), x.txBudget(), java.util.Arrays.toString(x.statistics())));
                }
                b.append(';');
            }
        }
        System.out.println(b);
    }

    private Result nftables(Topology t) throws Exception {
        t.lab.exec(t.lb, "ip", "addr", "add", VIP + "/32", "dev", "eth0").orThrow();
        t.lab.exec(t.lb, "ip", "addr", "add", LIP + "/32", "dev", "eth1").orThrow();
        t.lab.sysctl(t.lb, "net.ipv4.ip_forward", "1");
        Path rules = t.lab.workDir().resolve("fullnat.nft");
        Files.writeString(rules, """
                table ip fkbench {
                    chain pre {
                        type nat hook prerouting priority dstnat; policy accept;
                        ip daddr %1$s udp dport %2$d dnat to %3$s:%2$d
                        ip daddr %1$s tcp dport %4$d dnat to %3$s:%5$d
                    }
                    chain post {
                        type nat hook postrouting priority srcnat; policy accept;
                        ip daddr %3$s oifname "eth1" snat to %6$s
                    }
                }
                """.formatted(VIP, UDP_PORT, RS, TCP_VPORT, TCP_RPORT, LIP));
        t.lab.exec(t.lb, "nft", "-f", rules.toString()).orThrow();
        return new Result(udp(t), tcp(t), "(conntrack DNAT + SNAT to the local address)");
    }

    private Result haproxy(Topology t) throws Exception {
        t.lab.exec(t.lb, "ip", "addr", "add", VIP + "/32", "dev", "eth0").orThrow();
        t.lab.exec(t.lb, "ip", "addr", "add", LIP + "/32", "dev", "eth1").orThrow();
        Path cfg = t.lab.workDir().resolve("haproxy.cfg");
        Files.writeString(cfg, """
                global
                    maxconn 4000
                    pidfile %1$s/haproxy.pid
                defaults
                    mode tcp
                    timeout connect 2s
                    timeout client 5s
                    timeout server 5s
                frontend vip
                    bind %2$s:%3$d
                    default_backend rs
                backend rs
                    source %4$s
                    server rs1 %5$s:%6$d
                """.formatted(t.lab.workDir(), VIP, TCP_VPORT, LIP, RS, TCP_RPORT));
        NetnsLab.Spawned h = t.lab.spawn(t.lb, "haproxy", "-db", "-f", cfg.toString());
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!t.lab.exec(t.lb, "ss", "-ltn", "sport = :" + TCP_VPORT).stdout().contains(VIP)) {
            if (System.nanoTime() > deadline || !h.process().isAlive()) {
                throw new IllegalStateException("haproxy did not start: " + h.output());
            }
            Thread.sleep(50);
        }
        return new Result(Double.NaN, tcp(t), "(TCP mode, one process; UDP not applicable)");
    }

    /** The veth's forwarding limit: XDP on the LB's eth0 rewrites the MACs and redirects to eth1, nothing else. */
    private Result xdpForward(Topology t) throws Exception {
        long rsMac = KernelNeighbourTable.parseMac(mac(t, t.rs, "eth0"));
        long lbEth1Mac = KernelNeighbourTable.parseMac(mac(t, t.lb, "eth1"));
        String lbEth0Mac = mac(t, t.lb, "eth0");
        t.lab.exec(t.client, "ip", "neigh", "replace", VIP, "lladdr", lbEth0Mac, "dev", "eth0").orThrow();
        t.lab.exec(t.rs, "ip", "addr", "add", VIP + "/32", "dev", "lo").orThrow();
        int[] fds = new int[4];
        java.util.Arrays.fill(fds, -1);
        try {
            int eth1 = NetNs.callIn(t.lb, () -> Interfaces.indexOf("eth1"));
            fds[0] = XdpLoader.load(forwarder(rsMac, lbEth1Mac, eth1), "fk_fwd");
            BpfAssembler pass = new BpfAssembler().movImm(BpfAssembler.R0, 2).exit();
            fds[1] = XdpLoader.load(pass, "fk_pass");
            String mode;
            try {
                fds[2] = NetNs.callIn(t.lb, () -> XdpLoader.link(fds[0], Interfaces.indexOf("eth0"),
                        XdpLoader.FLAGS_DRV_MODE, "eth0"));
                // native redirect into a veth needs an XDP program on the receiving peer
                fds[3] = NetNs.callIn(t.rs, () -> XdpLoader.link(fds[1], Interfaces.indexOf("eth0"),
                        XdpLoader.FLAGS_DRV_MODE, "eth0"));
                mode = "native";
            } catch (RuntimeException e) {
                Bpf.closeFd(fds[2]);
                fds[2] = NetNs.callIn(t.lb, () -> XdpLoader.link(fds[0], Interfaces.indexOf("eth0"),
                        XdpLoader.FLAGS_SKB_MODE, "eth0"));
                mode = "generic (" + e.getMessage() + ")";
            }
            return new Result(udp(t), Double.NaN, "(XDP " + mode + ", MAC rewrite + bpf_redirect)");
        } finally {
            for (int i = 3; i >= 0; i--) {
                Bpf.closeFd(fds[i]);
            }
        }
    }

    private static String mac(Topology t, String ns, String ifName) {
        String out = t.lab.exec(ns, "cat", "/sys/class/net/" + ifName + "/address").orThrow().stdout().strip();
        return out;
    }

    private static BpfAssembler forwarder(long dstMac, long srcMac, int ifindex) {
        BpfAssembler a = new BpfAssembler();
        a.movReg(BpfAssembler.R6, BpfAssembler.R1)
                .load(BpfAssembler.W, BpfAssembler.R7, BpfAssembler.R6, 0)
                .load(BpfAssembler.W, BpfAssembler.R8, BpfAssembler.R6, 4)
                .movReg(BpfAssembler.R2, BpfAssembler.R7).addImm(BpfAssembler.R2, 14)
                .jumpReg(BpfAssembler.JGT, BpfAssembler.R2, BpfAssembler.R8, "pass");
        storeMac(a, 0, dstMac);
        storeMac(a, 6, srcMac);
        a.movImm(BpfAssembler.R1, ifindex).movImm(BpfAssembler.R2, 0).call(BpfAssembler.FN_REDIRECT).exit();
        a.label("pass").movImm(BpfAssembler.R0, 2).exit();
        return a;
    }

    private static void storeMac(BpfAssembler a, int off, long mac) {
        int lo = (int) (((mac >>> 40) & 0xff) | ((mac >>> 24) & 0xff00) | ((mac >>> 8) & 0xff0000)
                | ((mac << 8) & 0xff000000L));
        int hi = (int) (((mac >>> 8) & 0xff) | ((mac << 8) & 0xff00));
        a.movImm(BpfAssembler.R3, lo).store(BpfAssembler.W, BpfAssembler.R7, off, BpfAssembler.R3);
        a.movImm(BpfAssembler.R3, hi).store(BpfAssembler.H, BpfAssembler.R7, off + 4, BpfAssembler.R3);
    }

    // ------------------------------------------------------------------ load

    /** UDP: a sender in the client namespace blasts 18-byte datagrams at VIP:9000; the sink counts on the server. */
    private double udp(Topology t) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong received = new AtomicLong();
        AtomicLong sent = new AtomicLong();
        DatagramChannel[] sink = new DatagramChannel[1];
        NetNs.runIn(t.rs, () -> {
            try {
                sink[0] = DatagramChannel.open();
                sink[0].setOption(StandardSocketOptions.SO_RCVBUF, 16 << 20);
                sink[0].bind(new InetSocketAddress("0.0.0.0", UDP_PORT));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Thread sinkThread = Thread.ofPlatform().name("bench-sink").start(() -> {
            ByteBuffer b = ByteBuffer.allocateDirect(2048);
            try {
                while (!stop.get()) {
                    b.clear();
                    if (sink[0].receive(b) != null) {
                        received.incrementAndGet();
                    }
                }
            } catch (IOException ignored) {
                // closed: done
            }
        });
        long window = (long) (seconds * 1e9);
        String lbMac = mac(t, t.lb, "eth0");
        String clientMac = mac(t, t.client, "eth0");
        byte[] frame = PacketBuilder.frame().eth(clientMac, lbMac).ip(CLIENT, VIP).udp(40000, UDP_PORT)
                .payload(new byte[18]).build();
        Thread sender = NetNs.startThread(t.client, "bench-udp", () -> {
            // A packet-ring blaster: the same valid frame queued in batches on a TPACKET_V3 TX ring.
            try (TpacketV3Port port = TpacketV3Port.open("eth0", Interfaces.indexOf("eth0"), 1 << 16, 2, 1, 256, 16,
                    -1, 0); Arena arena = Arena.ofConfined()) {
                MemorySegment f = arena.allocate(frame.length);
                MemorySegment.copy(frame, 0, f, ValueLayout.JAVA_BYTE, 0, frame.length);
                long end = System.nanoTime() + window + 2_000_000_000L;
                long n = 0;
                while (!stop.get() && n < MAX_PACKETS && System.nanoTime() < end) {
                    int batch = 0;
                    while (batch < 256 && port.transmit(f, 0, frame.length)) {
                        batch++;
                    }
                    port.flush();
                    n += batch;
                    if (batch == 0) {
                        Thread.onSpinWait();
                    }
                }
                sent.set(n);
            }
        });
        Thread.sleep(1000);
        long r0 = received.get();
        long i0 = rxPackets(t);
        long t0 = System.nanoTime();
        Thread.sleep(window / 1_000_000);
        long r1 = received.get();
        long i1 = rxPackets(t);
        long t1 = System.nanoTime();
        stop.set(true);
        sender.join(10_000);
        sink[0].close();
        sinkThread.join(10_000);
        double secs = (t1 - t0) / 1e9;
        System.out.printf("   UDP: %s frames/s reached the real server's interface, %s datagrams/s its socket%n",
                fmt((i1 - i0) / secs), fmt((r1 - r0) / secs));
        return (i1 - i0) / secs;
    }

    private static long rxPackets(Topology t) {
        return Long.parseLong(t.lab.exec(t.rs, "cat", "/sys/class/net/eth0/statistics/rx_packets").orThrow()
                .stdout().strip());
    }

    /** TCP: clients connect to VIP:80, read the server's one byte until EOF, close; counts completed connections. */
    private double tcp(Topology t) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        ServerSocketChannel[] server = new ServerSocketChannel[1];
        NetNs.runIn(t.rs, () -> {
            try {
                server[0] = ServerSocketChannel.open();
                server[0].setOption(StandardSocketOptions.SO_REUSEADDR, true);
                server[0].bind(new InetSocketAddress("0.0.0.0", TCP_RPORT), 8192);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Thread acceptor = Thread.ofPlatform().name("bench-accept").start(() -> {
            ByteBuffer one = ByteBuffer.allocateDirect(1);
            try {
                while (!stop.get()) {
                    try (SocketChannel c = server[0].accept()) {
                        one.clear();
                        c.write(one);
                    }
                }
            } catch (IOException ignored) {
                // closed: done
            }
        });
        long window = (long) (seconds * 1e9);
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < tcpClients; i++) {
            clients.add(NetNs.startThread(t.client, "bench-tcp-" + i, () -> {
                byte[] buf = new byte[16];
                long end = System.nanoTime() + window + 2_000_000_000L;
                while (!stop.get() && done.get() < MAX_CONNECTIONS && System.nanoTime() < end) {
                    try (Socket s = new Socket()) {
                        s.setSoTimeout(1000);
                        s.connect(new InetSocketAddress(VIP, TCP_VPORT), 1000);
                        InputStream in = s.getInputStream();
                        while (in.read(buf) >= 0) {
                            // until the server closes
                        }
                        done.incrementAndGet();
                    } catch (IOException e) {
                        failed.incrementAndGet();
                    }
                }
            }));
        }
        Thread.sleep(1000);
        long c0 = done.get();
        long t0 = System.nanoTime();
        Thread.sleep(window / 1_000_000);
        long c1 = done.get();
        long t1 = System.nanoTime();
        stop.set(true);
        for (Thread c : clients) {
            c.join(10_000);
        }
        server[0].close();
        acceptor.join(10_000);
        if (failed.get() > 0) {
            System.out.printf("   (%d TCP connection attempts failed)%n", failed.get());
        }
        return (c1 - c0) / ((t1 - t0) / 1e9);
    }
}

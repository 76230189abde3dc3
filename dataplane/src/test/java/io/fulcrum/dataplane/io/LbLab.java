package io.fulcrum.dataplane.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.dataplane.Dataplane;
import io.fulcrum.dataplane.DataplaneContext;
import io.fulcrum.dataplane.service.ForwardingMethod;
import io.fulcrum.dataplane.service.LocalAddressPoolSpec;
import io.fulcrum.dataplane.service.Protocol;
import io.fulcrum.dataplane.service.RealServerSpec;
import io.fulcrum.dataplane.service.SchedulerKind;
import io.fulcrum.dataplane.service.ServiceTableSpec;
import io.fulcrum.dataplane.service.VirtualServiceSpec;
import io.fulcrum.netlink.NetNs;
import io.fulcrum.testkit.Await;
import io.fulcrum.testkit.Cmd;
import io.fulcrum.testkit.NetnsLab;
import io.fulcrum.testkit.NetnsLab.Spawned;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * The end-to-end lab: a client namespace, the LB namespace (eth0 to the client, eth1 to the servers' bridge), a switch
 * namespace with a bridge, and three real servers running nginx from Debian's packages with their own config, pid and
 * temp paths. The dataplane runs in the test JVM: its sockets are opened on a thread moved into the LB namespace.
 *
 * <pre>
 *  client 10.0.1.2 --eth0-- [lb eth0 10.0.1.1 | VIP 10.0.1.100 | eth1 10.0.2.1, LIP 10.0.2.100] --eth1-- br0 (sw)
 *                                                                    rs1 10.0.2.11, rs2 .12, rs3 .13 --eth0-- br0
 * </pre>
 *
 * <p>Used from one test thread.
 */
final class LbLab implements AutoCloseable {

    static final String VIP = "10.0.1.100";
    static final String LIP = "10.0.2.100";
    static final String LB_CLIENT_SIDE = "10.0.1.1";
    static final String LB_SERVER_SIDE = "10.0.2.1";
    static final String CLIENT = "10.0.1.2";
    static final int BIG_MB = 64;

    final NetnsLab lab = NetnsLab.create();
    final String client;
    final String lb;
    final String sw;
    final List<String> rs = new ArrayList<>();
    final Path www;
    String bigSha;
    DataplaneIo io;
    Dataplane dataplane;

    LbLab() {
        client = lab.ns("client");
        lb = lab.ns("lb");
        sw = lab.ns("sw");
        www = lab.workDir().resolve("www");
        try {
            lab.veth(client, "eth0", lb, "eth0");
            lab.addr(client, "eth0", CLIENT + "/24");
            lab.addr(lb, "eth0", LB_CLIENT_SIDE + "/24");
            lab.exec(client, "ip", "route", "add", "default", "via", LB_CLIENT_SIDE).orThrow();
            lab.bridge(sw, "br0");
            lab.plug(lb, "eth1", sw, "br0", "p-lb");
            lab.addr(lb, "eth1", LB_SERVER_SIDE + "/24");
            lab.sysctl(lb, "net.ipv4.ip_forward", "0");
            for (int i = 1; i <= 3; i++) {
                String r = lab.ns("rs" + i);
                rs.add(r);
                lab.plug(r, "eth0", sw, "br0", "p-rs" + i);
                lab.addr(r, "eth0", rsAddress(i) + "/24");
                lab.exec(r, "ip", "route", "add", "default", "via", LB_SERVER_SIDE).orThrow();
            }
            Files.createDirectories(www);
            writeBigFile();
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    static final String VIP6 = "fd00:1::100";
    static final String LIP6 = "fd00:2::100";
    static final String CLIENT6 = "fd00:1::2";

    static String rsAddress6(int i) {
        return "fd00:2::1" + i;
    }

    /** Adds the IPv6 plan: client fd00:1::2, LB fd00:1::1 / fd00:2::1, real servers fd00:2::11..13. */
    void ipv6() {
        lab.addr(client, "eth0", CLIENT6 + "/64");
        lab.addr(lb, "eth0", "fd00:1::1/64");
        lab.addr(lb, "eth1", "fd00:2::1/64");
        lab.exec(client, "ip", "-6", "route", "add", "default", "via", "fd00:1::1").orThrow();
        lab.sysctl(lb, "net.ipv6.conf.all.forwarding", "0");
        for (int i = 1; i <= 3; i++) {
            lab.addr(rs.get(i - 1), "eth0", rsAddress6(i) + "/64");
            lab.exec(rs.get(i - 1), "ip", "-6", "route", "add", "default", "via", "fd00:2::1").orThrow();
        }
    }

    /** The IPv6 FullNAT service [VIP6]:80 over the three real servers with local address LIP6. */
    static ServiceTableSpec specV6() throws IOException {
        List<RealServerSpec> servers = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            servers.add(new RealServerSpec(InetAddress.getByName(rsAddress6(i)), 80, 1));
        }
        InetAddress vip = InetAddress.getByName(VIP6);
        VirtualServiceSpec vs = new VirtualServiceSpec(Protocol.TCP, vip, 80, SchedulerKind.RR,
                ForwardingMethod.FNAT, 0, false, false, "lg6", servers);
        return new ServiceTableSpec(List.of(vs),
                List.of(new LocalAddressPoolSpec("lg6", List.of(InetAddress.getByName(LIP6)))),
                List.of(vip), List.of(InetAddress.getByName("fd00:1::1"), InetAddress.getByName("fd00:2::1")));
    }

    static String rsAddress(int i) {
        return "10.0.2.1" + i;
    }

    private void writeBigFile() throws IOException {
        Path big = www.resolve("big.bin");
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Random random = new Random(42);
        byte[] chunk = new byte[1 << 20];
        try (var out = Files.newOutputStream(big)) {
            for (int i = 0; i < BIG_MB; i++) {
                random.nextBytes(chunk);
                md.update(chunk);
                out.write(chunk);
            }
        }
        bigSha = HexFormat.of().formatHex(md.digest());
    }

    /** Starts nginx on each real server: {@code /} answers its name, {@code /big.bin} the 64 MB file. */
    void startNginx() throws IOException {
        for (int i = 1; i <= 3; i++) {
            Path dir = lab.workDir().resolve("nginx-rs" + i);
            Files.createDirectories(dir.resolve("tmp"));
            String conf = """
                    user root;
                    worker_processes 1;
                    daemon off;
                    pid %1$s/nginx.pid;
                    error_log %1$s/error.log warn;
                    events { worker_connections 1024; }
                    http {
                        client_body_temp_path %1$s/tmp/body;
                        proxy_temp_path %1$s/tmp/proxy;
                        fastcgi_temp_path %1$s/tmp/fastcgi;
                        uwsgi_temp_path %1$s/tmp/uwsgi;
                        scgi_temp_path %1$s/tmp/scgi;
                        log_format lab '$remote_addr $request_uri $status';
                        access_log %1$s/access.log lab;
                        keepalive_timeout 0;
                        server {
                            listen 80;
                            listen [::]:80;
                            location = /big.bin { root %3$s; }
                            location / { return 200 "rs%4$d\\n"; }
                        }
                    }
                    """.formatted(dir, rsAddress(i), www, i);
            Files.writeString(dir.resolve("nginx.conf"), conf);
            lab.spawn(rs.get(i - 1), "nginx", "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString());
        }
        for (int i = 1; i <= 3; i++) {
            String r = rs.get(i - 1);
            String addr = rsAddress(i);
            Await.until("nginx on " + r, Duration.ofSeconds(10),
                    () -> lab.exec(Duration.ofSeconds(5), r, "curl", "-s", "-m", "2", "http://" + addr + "/")
                            .stdout().startsWith("rs"));
        }
    }

    /**
     * Prepares the real servers for direct routing: the VIP on their loopback without answering ARP for it, and their
     * replies to the client through a router namespace ({@code rt}: 10.0.2.254 on the bridge, 10.0.3.1 to the
     * client's second interface), so replies do not go back through the LB.
     */
    void directRoutingReturnPath() {
        String rt = lab.ns("rt");
        lab.plug(rt, "eth0", sw, "br0", "p-rt");
        lab.addr(rt, "eth0", "10.0.2.254/24");
        lab.veth(client, "eth1", rt, "eth1");
        lab.addr(client, "eth1", "10.0.3.2/24");
        lab.addr(rt, "eth1", "10.0.3.1/24");
        lab.sysctl(rt, "net.ipv4.ip_forward", "1");
        lab.exec(rt, "ip", "route", "add", "10.0.1.0/24", "via", "10.0.3.2").orThrow();
        for (String ns : List.of(client, rt)) {
            lab.sysctl(ns, "net.ipv4.conf.all.rp_filter", "0");
            lab.sysctl(ns, "net.ipv4.conf.default.rp_filter", "0");
            lab.sysctl(ns, "net.ipv4.conf.eth1.rp_filter", "0");
            lab.sysctl(ns, "net.ipv4.conf.eth0.rp_filter", "0");
        }
        for (String r : rs) {
            lab.exec(r, "ip", "addr", "add", VIP + "/32", "dev", "lo").orThrow();
            lab.sysctl(r, "net.ipv4.conf.all.arp_ignore", "1");
            lab.sysctl(r, "net.ipv4.conf.all.arp_announce", "2");
            lab.exec(r, "ip", "route", "replace", "default", "via", "10.0.2.254").orThrow();
        }
    }

    /**
     * The checks every mode must pass: 1,000 requests to the VIP all succeed and spread evenly (rr) in the responses
     * and the access logs; every request reached the real servers from {@code expectedSource}; the LB's own kernel
     * service answers ({@code spreadSlack}: how far from even a count may be: 0 with one worker, whose rr cursor
     * hands out consecutive real servers even when the client reuses a port whose entry is still in TIME_WAIT
     * (conn_reuse_mode); one more per further worker, each worker having its own cursor); a 64 MB
     * download arrives intact; a capture on the real servers' side (the LB's bridge port)
     * with checksum validation shows no bad checksum.
     */
    void verifyService(String expectedSource, int spreadSlack) throws Exception {
        Spawned kernelService = lab.spawn(lb, "socat", "TCP-LISTEN:7000,bind=" + LB_CLIENT_SIDE + ",fork,reuseaddr",
                "SYSTEM:echo lb-kernel-ok");
        Await.until("first request through the VIP", Duration.ofSeconds(10), () -> lab.exec(
                Duration.ofSeconds(5), client, "curl", "-s", "-m", "2", "http://" + VIP + "/")
                .stdout().startsWith("rs"));
        int[] before = new int[3];
        for (int i = 1; i <= 3; i++) {
            before[i - 1] = accessLog(i).size();
        }
        // 1,000 requests, each on its own connection (nginx keepalive_timeout 0), 8 at a time.
        String out = clientRun(Duration.ofSeconds(90), "curl", "-s", "-Z", "--parallel-max", "8", "-m", "10",
                "http://" + VIP + "/r[1-1000]");
        int[] counts = new int[3];
        int lines = 0;
        for (String line : out.split("\n")) {
            if (line.startsWith("rs")) {
                counts[Integer.parseInt(line.substring(2).trim()) - 1]++;
                lines++;
            }
        }
        assertEquals(1000, lines, "successful responses");
        assertSpread(counts, 1000, spreadSlack);
        int[] logged = new int[3];
        for (int i = 1; i <= 3; i++) {
            List<String> log = accessLog(i);
            for (String line : log.subList(before[i - 1], log.size())) {
                assertTrue(line.startsWith(expectedSource + " "), "source seen by rs" + i + ": " + line);
                // only the 1,000 numbered requests: a first-request probe that timed out may be logged late
                if (line.matches("\\S+ /r[0-9]+ .*")) {
                    logged[i - 1]++;
                }
            }
        }
        assertSpread(logged, 1000, spreadSlack);

        // The LB's own kernel service keeps answering while the dataplane runs.
        assertEquals("lb-kernel-ok", clientRun(Duration.ofSeconds(10), "socat", "-T", "3", "-",
                "TCP:" + LB_CLIENT_SIDE + ":7000").strip());
        kernelService.kill();

        Path got = lab.workDir().resolve("got.bin");
        clientRun(Duration.ofSeconds(60), "curl", "-s", "-f", "-m", "50", "-o", got.toString(),
                "http://" + VIP + "/big.bin");
        assertEquals(bigSha, sha256(got), "64 MB download checksum");

        // Capture on the real servers' bridge ports while requests and an 8 MB transfer run, then validate checksums.
        Path pcap = lab.workDir().resolve("rs-side.pcap");
        Spawned tshark = lab.spawn(sw, "tshark", "-n", "-B", "32", "-i", "p-rs1", "-i", "p-rs2", "-i", "p-rs3",
                "-a", "duration:8", "-w", pcap.toString());
        Await.until("tshark capturing", Duration.ofSeconds(15), () -> tshark.output().contains("Capturing on"));
        clientRun(Duration.ofSeconds(30), "curl", "-s", "-m", "10", "http://" + VIP + "/c[1-30]");
        clientRun(Duration.ofSeconds(30), "curl", "-s", "-f", "-m", "20", "-r", "0-8388607", "-o",
                lab.workDir().resolve("part.bin").toString(), "http://" + VIP + "/big.bin");
        assertTrue(tshark.process().waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "tshark ends after 8 s");
        String fields = lab.exec(Duration.ofSeconds(120), sw, "tshark", "-n", "-r", pcap.toString(),
                "-o", "tcp.check_checksum:TRUE", "-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE",
                // an ICMP error quoting a TCP header is not a TCP segment (its quote is cut short, so unverifiable);
                // first occurrences only, so a quoted header never shifts the fields
                "-Y", "tcp && !icmp", "-T", "fields", "-E", "separator=,", "-E", "occurrence=f",
                "-e", "ip.src", "-e", "tcp.dstport",
                "-e", "ip.checksum.status", "-e", "tcp.checksum.status", "-e", "frame.number", "-e", "ip.dst",
                "-e", "tcp.srcport", "-e", "tcp.len", "-e", "frame.interface_name", "-e", "tcp.flags.str",
                "-e", "tcp.seq_raw").orThrow().stdout();
        StringBuilder badOnes = new StringBuilder();
        long packets = 0;
        long bad = 0;
        long unverified = 0;
        long fromSource = 0;
        for (String line : fields.split("\n")) {
            String[] f = line.split(",", -1);
            if (f.length < 4) {
                continue;
            }
            packets++;
            // status: 0 bad, 1 good, 2 unverified
            if (f[2].equals("0") || f[3].equals("0")) {
                bad++;
                badOnes.append("\n  ").append(line);
                if (bad <= 3) { // the frame's bytes, to tell ours (rewritten) from a host's own
                    badOnes.append('\n').append(lab.exec(Duration.ofSeconds(30), sw, "tshark", "-n", "-r",
                            pcap.toString(), "-Y", "frame.number==" + f[4], "-x").stdout());
                }
            }
            if (!f[3].equals("1")) {
                unverified += f[3].equals("0") ? 0 : 1;
            }
            if (f[0].equals(expectedSource) && f[1].equals("80")) {
                fromSource++;
            }
        }
        assertTrue(packets > 2000, "captured TCP packets: " + packets);
        assertEquals(0, bad, "packets with bad checksums on the real servers' side (src,dport,ip,tcp,frame,dst,"
                + "sport,len,if,flags,seq); partial checksums completed by AF_PACKET ports: "
                + partialChecksumsCompleted() + badOnes);
        assertEquals(0, unverified, "packets whose checksum tshark could not verify");
        assertTrue(fromSource > 100, "real servers see " + expectedSource + " as the source: " + fromSource);
    }

    /**
     * The IPv6 FullNAT checks: neighbour discovery for the VIP (our advertisement) and the real servers (our
     * solicitations), 300 requests spread by rr, the local address as the source, a 64 MB download intact.
     */
    void verifyIpv6() throws Exception {
        LbLab l = this;
            String url = "http://[" + LbLab.VIP6 + "]/";
            // neighbour discovery for the VIP (our advertisement) and for the real servers (our solicitations)
            Await.until("first IPv6 request", Duration.ofSeconds(15), () -> l.lab.exec(
                    Duration.ofSeconds(5), l.client, "curl", "-g", "-s", "-m", "2", url)
                    .stdout().startsWith("rs"));
            int[] before = new int[3];
            for (int i = 1; i <= 3; i++) {
                before[i - 1] = l.accessLog(i).size();
            }
            String out = l.clientRun(Duration.ofSeconds(90), "curl", "-s", "-Z", "--parallel-max", "8",
                    "-m", "10", url + "r[1-300]");
            int[] counts = new int[3];
            for (String line : out.split("\n")) {
                if (line.startsWith("rs")) {
                    counts[Integer.parseInt(line.substring(2).trim()) - 1]++;
                }
            }
            LbLab.assertSpread(counts, 300, 0);
            for (int i = 1; i <= 3; i++) {
                List<String> log = l.accessLog(i);
                for (String line : log.subList(before[i - 1], log.size())) {
                    assertTrue(line.startsWith(LbLab.LIP6 + " "), "IPv6 FullNAT source seen by rs" + i + ": " + line);
                }
            }
            Path got = l.lab.workDir().resolve("got6.bin");
            l.clientRun(Duration.ofSeconds(60), "curl", "-g", "-s", "-f", "-m", "50", "-o", got.toString(),
                    url + "big.bin");
            assertEquals(l.bigSha, LbLab.sha256(got), "64 MB download over IPv6");
    }

    /** The access log lines of real server {@code i}. */
    List<String> accessLog(int i) throws IOException {
        Path log = lab.workDir().resolve("nginx-rs" + i).resolve("access.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    /** The FullNAT (or other mode) service on VIP:80 over the three real servers. */
    static ServiceTableSpec spec(ForwardingMethod method, SchedulerKind scheduler) throws IOException {
        List<RealServerSpec> servers = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            servers.add(new RealServerSpec(InetAddress.getByName(rsAddress(i)), 80, 1));
        }
        InetAddress vip = InetAddress.getByName(VIP);
        VirtualServiceSpec vs = new VirtualServiceSpec(Protocol.TCP, vip, 80, scheduler, method, 0, false, false,
                method == ForwardingMethod.FNAT ? "lg" : null, servers);
        return new ServiceTableSpec(List.of(vs),
                List.of(new LocalAddressPoolSpec("lg", List.of(InetAddress.getByName(LIP)))),
                List.of(vip), List.of(InetAddress.getByName(LB_CLIENT_SIDE), InetAddress.getByName(LB_SERVER_SIDE)));
    }

    /** Opens the I/O in the LB namespace, launches the dataplane, publishes {@code spec} and starts the workers. */
    void startDataplane(IoContext ioCtx, ServiceTableSpec spec) throws Exception {
        io = NetNs.callIn(lb, () -> DataplaneIo.open(ioCtx.interfaces("eth0", "eth1")));
        DataplaneContext ctx = new DataplaneContext().workers(ioCtx.workers()).portMacs(io.portMacs())
                .neighbourTable(io.neighbourTable()).connectionCapacity(1 << 16).counterEntities(64)
                .persistenceCapacity(64).timerWheelSlots(1024);
        dataplane = Dataplane.launch(ctx);
        dataplane.publish(spec);
        NetNs.runIn(lb, () -> io.start(dataplane));
    }

    /** Runs a command in the client namespace with a limit and returns its standard output (fails on error). */
    String clientRun(Duration limit, String... command) {
        return lab.exec(limit, client, command).orThrow().stdout();
    }

    /** SHA-256 of a file as hex. */
    static String sha256(Path file) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** Asserts that no XDP program is attached to any interface of the lab. */
    void assertNoXdpAttached() {
        for (String ns : lab.namespaces()) {
            String out = Cmd.run(Cmd.inNs(ns, "ip", "-d", "link", "show").toArray(new String[0])).stdout();
            assertTrue(!out.contains("prog/xdp") && !out.contains(" xdp "), "XDP program left in " + ns + ":\n" + out);
        }
    }

    /** Frames the AF_PACKET ports received with a checksum left to offload (and completed); 0 over AF_XDP. */
    long partialChecksumsCompleted() {
        long n = 0;
        for (PortFrameSource s : io.sources()) {
            for (IoPort p : s.ports()) {
                if (p instanceof io.fulcrum.dataplane.io.packet.TpacketV3Port t) {
                    n += t.checksumsCompleted();
                }
            }
        }
        return n;
    }

    static void assertSpread(int[] counts, int total, int slack) {
        int sum = 0;
        for (int c : counts) {
            sum += c;
            assertTrue(c >= total / counts.length - slack && c <= total / counts.length + 1 + slack,
                    "round-robin spread " + java.util.Arrays.toString(counts));
        }
        assertEquals(total, sum);
    }

    @Override
    public void close() {
        try {
            if (io != null) {
                io.close();
            }
            if (dataplane != null) {
                dataplane.close();
            }
        } finally {
            lab.close();
        }
    }
}

package io.fulcrum.appliance.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.appliance.ApplianceCommands.Result;
import io.fulcrum.appliance.ApplianceView.RealServerInfo;
import io.fulcrum.appliance.ApplianceView.VirtualServiceInfo;
import io.fulcrum.appliance.ApplianceView.VrrpInstanceInfo;
import io.fulcrum.appliance.json.Json;
import io.fulcrum.dataplane.service.ForwardingMethod;
import io.fulcrum.dataplane.service.Protocol;
import io.fulcrum.dataplane.service.SchedulerKind;
import io.fulcrum.testkit.Cmd;
import io.fulcrum.testkit.KernelTest;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fulcrumadm} against a real {@link ControlServer} on a Unix socket in the same JVM, over the
 * {@link FakeAppliance} view: each command's change is visible in the view; each refused command exits non-zero with
 * the precise message and leaves the view exactly as it was.
 */
class ControlSocketEndToEndTest {

    @TempDir
    Path tmp;

    private FakeAppliance appliance;
    private ControlServer server;
    private Path socket;
    private final AtomicInteger reloads = new AtomicInteger();

    /** One run of the tool. */
    private record Run(int exit, String out, String err) {
    }

    @BeforeEach
    void start() throws IOException {
        appliance = FakeAppliance.golden();
        appliance.vrrp.add(new VrrpInstanceInfo("VI_1", "veth0", 51, 3, "MASTER", 150, 140,
                FakeAppliance.ip("10.0.0.1"), 100, List.of(FakeAppliance.ip("10.0.0.100")),
                Map.of("advert_rcvd", 3L, "advert_sent", 120L, "become_master", 1L)));
        socket = tmp.resolve("run/fulcrum.ctl");
        server = ControlServer.start(socket, appliance, appliance, new DaemonHooks() {
            @Override
            public Result reload() {
                reloads.incrementAndGet();
                return Result.ok("reloaded /etc/fulcrum/fulcrum.conf");
            }

            @Override
            public Result writeJsonDump(String json) {
                return DaemonHooks.writeAtomically(tmp.resolve("keepalived.json"), json);
            }
        });
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Run adm(String... args) {
        String[] full = new String[args.length + 2];
        full[0] = "--control-socket";
        full[1] = socket.toString();
        System.arraycopy(args, 0, full, 2, args.length);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = FulcrumAdm.run(full, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    private String state() {
        return appliance.virtualServices() + "|" + appliance.localAddresses() + "|" + appliance.generation;
    }

    /** Runs a command that must be refused with {@code message} (exit 1) and change nothing. */
    private void refused(String message, String... args) {
        String before = state();
        Run r = adm(args);
        assertEquals(1, r.exit(), r.err());
        assertEquals(message + "\n", r.err());
        assertEquals("", r.out());
        assertEquals(before, state(), "a refused command changed the appliance");
    }

    private VirtualServiceInfo service(Protocol p, String address, int port) {
        return appliance.virtualServices().stream()
                .filter(s -> s.key().equals(FakeAppliance.key(p, address, port))).findFirst().orElse(null);
    }

    @Test
    void socketIsRootOnly() throws IOException {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())));
    }

    @Test
    void serviceLifecycle() {
        Run add = adm("-A", "-t", "10.9.9.9:80", "-s", "rr", "-m");
        assertEquals(new Run(0, "", ""), add);
        VirtualServiceInfo s = service(Protocol.TCP, "10.9.9.9", 80);
        assertNotNull(s);
        assertEquals(SchedulerKind.RR, s.scheduler());
        assertEquals(ForwardingMethod.NAT, s.forwardMethod());

        assertEquals(0, adm("-a", "-t", "10.9.9.9:80", "-r", "10.9.9.10:8080", "-w", "5", "-m").exit());
        RealServerInfo rs = service(Protocol.TCP, "10.9.9.9", 80).realServers().getFirst();
        assertEquals(8080, rs.port());
        assertEquals(5, rs.weight());
        Run list = adm("-L", "-n", "-t", "10.9.9.9:80");
        assertEquals(0, list.exit());
        assertTrue(list.out().contains("TCP  10.9.9.9:80 rr\n  -> 10.9.9.10:8080               Masq    5      0"),
                list.out());

        assertEquals(0, adm("-e", "-t", "10.9.9.9:80", "-r", "10.9.9.10:8080", "-w", "0").exit());
        assertEquals(0, service(Protocol.TCP, "10.9.9.9", 80).realServers().getFirst().weight());

        assertEquals(0, adm("-E", "-t", "10.9.9.9:80", "-s", "wlc", "-p", "60").exit());
        s = service(Protocol.TCP, "10.9.9.9", 80);
        assertEquals(SchedulerKind.WLC, s.scheduler());
        assertEquals(60, s.persistenceTimeoutSeconds());
        assertEquals(ForwardingMethod.NAT, s.forwardMethod(), "-E without a method keeps the service's");

        assertEquals(0, adm("-d", "-t", "10.9.9.9:80", "-r", "10.9.9.10:8080").exit());
        assertTrue(service(Protocol.TCP, "10.9.9.9", 80).realServers().isEmpty());
        assertEquals(0, adm("-D", "-t", "10.9.9.9:80").exit());
        assertNull(service(Protocol.TCP, "10.9.9.9", 80));
    }

    @Test
    void drRealServerTakesTheServicePortAndDefaults() {
        assertEquals(0, adm("-A", "-u", "10.9.9.9:53").exit());
        VirtualServiceInfo s = service(Protocol.UDP, "10.9.9.9", 53);
        assertEquals(SchedulerKind.WLC, s.scheduler(), "ipvsadm's default scheduler");
        assertEquals(ForwardingMethod.DR, s.forwardMethod(), "ipvsadm's default method (-g)");
        assertEquals(0, adm("-a", "-u", "10.9.9.9:53", "-r", "10.9.9.10:5353").exit());
        RealServerInfo rs = service(Protocol.UDP, "10.9.9.9", 53).realServers().getFirst();
        assertEquals(53, rs.port(), "direct routing keeps the service port");
        assertEquals(1, rs.weight(), "ipvsadm's default weight");
    }

    @Test
    void refusalsUseIpvsadmWordsAndChangeNothing() {
        refused("Service already exists", "-A", "-t", "10.0.0.100:80", "-s", "rr");
        refused("No such service", "-E", "-t", "10.0.0.100:81");
        refused("No such service", "-D", "-t", "10.0.0.100:81");
        refused("No such service", "-Z", "-t", "10.0.0.100:81");
        refused("No such service", "-L", "-n", "-t", "10.0.0.100:81");
        refused("Scheduler or persistence engine not found", "-A", "-t", "10.9.9.9:80", "-s", "fancy");
        refused("Service not defined", "-a", "-t", "10.0.0.100:81", "-r", "10.0.0.9");
        refused("Destination already exists", "-a", "-t", "10.0.0.100:80", "-r", "10.0.0.2:8080", "-m");
        refused("No such destination", "-e", "-t", "10.0.0.100:80", "-r", "10.0.0.9:8080");
        refused("No such destination", "-d", "-t", "10.0.0.100:80", "-r", "10.0.0.9:8080");
        refused("the service [10.0.0.100]:tcp:80 forwards by Masq and Fulcrum uses one forwarding method per "
                + "service: Tunnel (-i) does not apply; change the service with -E -i",
                "-a", "-t", "10.0.0.100:80", "-r", "10.0.0.9:8080", "-i");
    }

    @Test
    void localAddresses() {
        assertEquals(0, adm("-P", "-t", "192.168.10.10:443", "-z", "10.0.1.3", "-F", "lo").exit());
        Run g = adm("-G", "-t", "192.168.10.10:443");
        assertTrue(g.out().contains("192.168.10.10:443    3        \n"), g.out());
        assertTrue(g.out().contains("10.0.1.3             0          0"), g.out());

        refused("local address already present", "--add-laddr", "-t", "192.168.10.10:443", "-z", "10.0.1.3");
        refused("local address not in the pool", "--del-laddr", "-t", "192.168.10.10:443", "-z", "10.0.1.9");
        refused("local address in use by 7 connections; draining", "-Q", "-t", "192.168.10.10:443",
                "-z", "10.0.1.1");
        refused("no such service", "-P", "-t", "192.168.10.10:444", "-z", "10.0.1.4");
        refused("local addresses belong to FullNAT services; [10.0.0.100]:tcp:80 forwards by Masq",
                "-P", "-t", "10.0.0.100:80", "-z", "10.0.1.4");
        refused("no such interface: nosuch0", "-P", "-t", "192.168.10.10:443", "-z", "10.0.1.4", "-F", "nosuch0");

        assertEquals(0, adm("-Q", "-t", "192.168.10.10:443", "-z", "10.0.1.3").exit());
        assertTrue(appliance.localAddresses().stream().noneMatch(l -> l.address().equals(
                FakeAppliance.ip("10.0.1.3"))));
    }

    @Test
    void zeroCounters() {
        assertEquals(0, adm("-Z").exit());
        assertEquals(0, service(Protocol.TCP, "10.0.0.100", 80).stats().bytesOut());
    }

    @Test
    void usageErrorsNeverReachTheDaemon() {
        String before = state();
        Run r = adm("-a", "-t", "10.0.0.100:80", "-r", "10.0.0.9", "-w", "70000");
        assertEquals(new Run(2, "", "illegal weight specified\n"), r);
        assertEquals(new Run(2, "", "options conflicts in the list command\n"), adm("-L", "-n", "-c", "--stats"));
        assertEquals(new Run(2, "", "illegal virtual server address[:port] specified\n"),
                adm("-A", "-t", "www.example.com:80"));
        assertEquals(new Run(2, "", "You need to supply the 'real-server' option for the 'add-server' command\n"),
                adm("-a", "-t", "10.0.0.100:80"));
        assertEquals(new Run(2, "", "Illegal 'weight' option with the 'add-service' command\n"),
                adm("-A", "-t", "10.0.0.100:80", "-w", "3"));
        assertEquals(new Run(2, "", "multiple commands specified\n"), adm("-A", "-D", "-t", "10.0.0.100:80"));
        assertEquals(new Run(2, "", "Zero port specified for non-persistent service\n"),
                adm("-A", "-t", "10.0.0.100"));
        assertEquals(before, state());
    }

    @Test
    void vrrpTableAndKeepalivedJson() {
        Run v = adm("vrrp");
        assertEquals(0, v.exit());
        assertTrue(v.out().lines().anyMatch(l -> l.startsWith("VI_1") && l.contains("MASTER")
                && l.contains(" 150 ") && l.contains(" 140 ") && l.contains("10.0.0.1") && l.contains("1.00s")),
                v.out());
        Run d = adm("dump", "--json");
        assertEquals(0, d.exit(), d.err());
        List<?> arr = (List<?>) Json.parse(d.out());
        Map<?, ?> data = (Map<?, ?>) ((Map<?, ?>) arr.getFirst()).get("data");
        Map<?, ?> stats = (Map<?, ?>) ((Map<?, ?>) arr.getFirst()).get("stats");
        assertEquals("VI_1", data.get("iname"));
        assertEquals("veth0", data.get("ifp_ifname"));
        assertEquals(2L, data.get("state"));
        assertEquals(51L, data.get("vrid"));
        assertEquals(List.of("10.0.0.100 dev veth0 scope global"), data.get("vips"));
        assertEquals(120L, stats.get("advert_sent"));
        assertEquals(0L, stats.get("pri_zero_sent"));
        assertEquals(VrrpText.STATS_KEYS, List.copyOf(stats.keySet().stream().map(String::valueOf).toList()));
    }

    @Test
    void signalReplacements() throws IOException {
        assertEquals(new Run(0, "reloaded /etc/fulcrum/fulcrum.conf\n", ""), adm("reload"));
        assertEquals(1, reloads.get());
        Run j = adm("json");
        assertEquals(0, j.exit(), j.err());
        Object dump = Json.parse(Files.readString(tmp.resolve("keepalived.json")));
        assertEquals("VI_1", ((Map<?, ?>) ((Map<?, ?>) ((List<?>) dump).getFirst()).get("data")).get("iname"));
        Run sc = adm("stats-clear");
        assertEquals(1, sc.exit());
        assertTrue(sc.err().startsWith("stats-clear is not available"), sc.err());
    }

    @Test
    void connectionsWithoutHookSayWhy() {
        Run r = adm("-L", "-n", "-c");
        assertEquals(1, r.exit());
        assertTrue(r.err().startsWith("connection listing is not available"), r.err());
    }

    private static String raw(Path socket, String request) throws IOException {
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            c.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8)));
            c.shutdownOutput();
            ByteBuffer in = ByteBuffer.allocate(65536);
            while (c.read(in) >= 0) {
                if (!in.hasRemaining()) {
                    break;
                }
            }
            return new String(in.array(), 0, in.position(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void malformedRequestsAreRefusedBeforeAnything() throws IOException {
        String before = state();
        AdminResponse bad = AdminResponse.fromJson(Json.parse(raw(socket, "{not json\n")));
        assertEquals(2, bad.exit());
        assertTrue(bad.err().startsWith("bad request: "), bad.err());
        assertTrue(raw(socket, "{\"op\":\"add-server\",\"protocol\":\"tcp\",\"address\":\"10.0.0.100\","
                + "\"port\":80,\"server\":\"10.0.0.9\",\"server_port\":80,\"weight\":70000}\n")
                .contains("field 'weight' value 70000 out of range 0..65535"));
        assertTrue(raw(socket, "{\"op\":\"add-server\",\"protocol\":\"tcp\",\"address\":\"10.0.0.100\","
                + "\"port\":80}\n").contains("add-server needs a real server"));
        assertTrue(raw(socket, "{\"op\":\"rm -rf\"}\n").contains("unknown op 'rm -rf'"));
        assertTrue(raw(socket, "{\"op\":\"list\",\"evil\":1}\n").contains("unknown field 'evil'"));
        assertTrue(raw(socket, "{\"op\":\"list\",\"address\":\"host.example\",\"protocol\":\"tcp\"}\n")
                .contains("is not a numeric IP address"));
        assertEquals(before, state());
        // The server still answers after bad requests.
        assertEquals(0, adm("-L", "-n").exit());
    }

    @Test
    @KernelTest
    void onlyRootOrTheDaemonsUserMayAsk() throws IOException {
        // Open the file modes so that only SO_PEERCRED stands between user nobody and the daemon.
        Files.setPosixFilePermissions(socket.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
        Path dir = socket.getParent();
        while (dir != null && !dir.equals(tmp.getParent())) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            dir = dir.getParent();
        }
        String before = state();
        Cmd.Result r = Cmd.run(Duration.ofSeconds(20), List.of("setpriv", "--reuid=65534", "--regid=65534",
                "--clear-groups", "sh", "-c", "echo '{\"op\":\"delete-service\",\"protocol\":\"tcp\","
                        + "\"address\":\"10.0.0.100\",\"port\":80}' | socat -t 5 - UNIX-CONNECT:" + socket));
        assertEquals(0, r.exitCode(), r.stderr());
        AdminResponse answer = AdminResponse.fromJson(Json.parse(r.stdout().strip()));
        assertEquals(1, answer.exit());
        assertEquals("Permission denied (you must be root)\n", answer.err());
        assertEquals(before, state());
        // The same request as root goes through.
        assertEquals(0, adm("-D", "-t", "10.0.0.100:80").exit());
    }

    @Test
    void noDaemon() throws IOException {
        server.close();
        Run r = adm("-L", "-n");
        assertEquals(FulcrumAdm.EXIT_NO_DAEMON, r.exit());
        assertTrue(r.err().startsWith("fulcrumadm: cannot connect to " + socket), r.err());
        assertTrue(r.err().contains("is fulcrum running?"), r.err());
    }

    @Test
    void secondServerOnTheSameSocketIsRefused() {
        IOException e = assertThrows(IOException.class,
                () -> ControlServer.start(socket, appliance, appliance, DaemonHooks.NONE));
        assertTrue(e.getMessage().contains("in use by another running fulcrum"), e.getMessage());
    }

    @Test
    void staleSocketFileIsReplaced() throws IOException {
        server.close();
        Files.createFile(socket);
        server = ControlServer.start(socket, appliance, appliance, DaemonHooks.NONE);
        assertEquals(0, adm("-L", "-n").exit());
    }
}

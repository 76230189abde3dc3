package io.fulcrum.appliance.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.dataplane.conn.ConnectionState;
import io.fulcrum.dataplane.conn.ConnectionTimeouts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Tuning defaults, overrides and the validation messages (key, value, allowed range). */
class TuningLoaderTest {

    @TempDir
    Path dir;

    private TuningLoader.Result load(String hocon) throws IOException {
        Path f = dir.resolve("tuning.conf");
        Files.writeString(f, hocon);
        return TuningLoader.load(f);
    }

    @Test
    void defaultsAreValidAndSized() {
        TuningLoader.Result r = TuningLoader.defaults();
        assertTrue(r.ok(), r.errors().toString());
        Tuning t = r.tuning();
        assertEquals(Tuning.IoMode.AUTO, t.dataplane().ioMode());
        assertTrue(t.dataplane().connTableCapacity() >= 2 * 1_000_000, "1,000,000 connections at load factor <= 0.5");
        assertEquals(Duration.ofSeconds(900), t.dataplane().timeouts().tcp());
        assertEquals(Duration.ofSeconds(120), t.dataplane().timeouts().tcpfin());
        assertEquals(Duration.ofSeconds(300), t.dataplane().timeouts().udp());
        assertEquals(Duration.ofSeconds(60), t.dataplane().timeouts().synRecv());
        assertEquals(Duration.ofSeconds(120), t.dataplane().timeouts().timeWait());
        assertEquals(Duration.ofSeconds(10), t.dataplane().timeouts().close());
        assertEquals(ConnectionTimeouts.DEFAULTS, t.dataplane().timeouts().toConnectionTimeouts(),
                "the defaults are the dataplane's (ipvsadm's) defaults");
        assertTrue(t.netlink().monitorRcvbuf() >= 8 << 20);
        assertTrue(t.netlink().cmdRcvbuf() >= 8 << 20);
        assertTrue(t.healthcheck().eventLoopThreads() >= 1 && t.healthcheck().eventLoopThreads() <= 2);
        assertEquals("127.0.0.1", t.metrics().host());
        assertEquals(9469, t.metrics().port());
        assertEquals(Path.of("/run/fulcrum/fulcrum.ctl"), t.control().socket());
    }

    @Test
    void overridesApplyAndTheRestKeepsDefaults() throws IOException {
        TuningLoader.Result r = load("""
                fulcrum {
                  dataplane { workers = 2, ring-size = 4096, frame-count = 16384, io-mode = packet }
                  dataplane.timeouts.tcp = 2h
                  netlink.monitor-rcvbuf = 32M
                  healthcheck.event-loop-threads = 2
                  metrics.address = "[::1]:9500"
                }
                """);
        assertTrue(r.ok(), r.errors().toString());
        Tuning t = r.tuning();
        assertEquals(2, t.dataplane().workers());
        assertEquals(4096, t.dataplane().ringSize());
        assertEquals(Tuning.IoMode.PACKET, t.dataplane().ioMode());
        assertEquals(Duration.ofHours(2), t.dataplane().timeouts().tcp());
        assertEquals(32 << 20, t.netlink().monitorRcvbuf());
        assertEquals(2, t.healthcheck().eventLoopThreads());
        assertEquals("::1", t.metrics().host());
        assertEquals(9500, t.metrics().port());
        assertEquals(4096, t.dataplane().frameSize(), "untouched keys keep their defaults");
    }

    @Test
    void everyTcpStateTimeoutIsTunableAndReachesTheDataplane() throws IOException {
        TuningLoader.Result r = load("""
                fulcrum.dataplane.timeouts {
                  tcp = 20s
                  tcpfin = 2s
                  udp = 1500ms
                  syn-recv = 3s
                  time-wait = 4s
                  close = 1s
                }
                """);
        assertTrue(r.ok(), r.errors().toString());
        Tuning.Timeouts t = r.tuning().dataplane().timeouts();
        assertEquals(new Tuning.Timeouts(Duration.ofSeconds(20), Duration.ofSeconds(2), Duration.ofMillis(1500),
                Duration.ofSeconds(3), Duration.ofSeconds(4), Duration.ofSeconds(1)), t);
        ConnectionTimeouts c = t.toConnectionTimeouts();
        // tcp, tcpfin and udp as ipvsadm --set (whole seconds); the other states exactly as given.
        assertEquals(new ConnectionTimeouts(Duration.ofSeconds(20), Duration.ofSeconds(2), Duration.ofSeconds(1),
                Duration.ofSeconds(3), Duration.ofSeconds(4), Duration.ofSeconds(1)), c);
        long[] byState = c.toMillisByState();
        assertEquals(3_000, byState[ConnectionState.SYN_RECV.ordinal()]);
        assertEquals(20_000, byState[ConnectionState.ESTABLISHED.ordinal()]);
        assertEquals(2_000, byState[ConnectionState.FIN_WAIT.ordinal()]);
        assertEquals(4_000, byState[ConnectionState.TIME_WAIT.ordinal()]);
        assertEquals(1_000, byState[ConnectionState.CLOSE.ordinal()]);
        assertEquals(1_000, byState[ConnectionState.UDP.ordinal()]);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '#', value = {
        "fulcrum.dataplane.ring-size#1000#fulcrum.dataplane.ring-size = 1000: must be a power of two in 64..65536",
        "fulcrum.dataplane.ring-size#32#fulcrum.dataplane.ring-size = 32: must be a power of two in 64..65536",
        "fulcrum.dataplane.workers#-1#fulcrum.dataplane.workers = -1: must be an integer in 0..256 (0: one per receive queue)",
        "fulcrum.dataplane.frame-size#3000#fulcrum.dataplane.frame-size = 3000: must be 2048 or 4096",
        "fulcrum.dataplane.conn-table-capacity#1000000#fulcrum.dataplane.conn-table-capacity = 1000000: must be a power of two in 1024..1073741824",
        "fulcrum.dataplane.batch-size#0#fulcrum.dataplane.batch-size = 0: must be an integer in 1..1024",
        "fulcrum.dataplane.io-mode#dpdk#fulcrum.dataplane.io-mode = \"dpdk\": must be one of auto|xdp|packet",
        "fulcrum.dataplane.timeouts.udp#0s#fulcrum.dataplane.timeouts.udp = \"0s\": must be a duration in 1s..86400s",
        "fulcrum.dataplane.timeouts.syn-recv#0s#fulcrum.dataplane.timeouts.syn-recv = \"0s\": must be a duration in 1s..86400s",
        "fulcrum.dataplane.timeouts.time-wait#2d#fulcrum.dataplane.timeouts.time-wait = \"2d\": must be a duration in 1s..86400s",
        "fulcrum.dataplane.timeouts.close#soon#fulcrum.dataplane.timeouts.close = \"soon\": must be a duration in 1s..86400s (e.g. 900s)",
        "fulcrum.netlink.monitor-rcvbuf#1M#fulcrum.netlink.monitor-rcvbuf = \"1M\": must be a size in 8MiB..1024MiB",
        "fulcrum.healthcheck.event-loop-threads#3#fulcrum.healthcheck.event-loop-threads = 3: must be 1 or 2",
        "fulcrum.healthcheck.script-pool-size#many#fulcrum.healthcheck.script-pool-size = \"many\": must be an integer in 1..64",
        "fulcrum.metrics.address#localhost#fulcrum.metrics.address = \"localhost\": must be ADDRESS:PORT (IPv6 as [ADDR]:PORT), port 1..65535",
        "fulcrum.control.socket#relative.ctl#fulcrum.control.socket = \"relative.ctl\": must be an absolute path of at most 107 bytes",
        "fulcrum.netlink.force#maybe#fulcrum.netlink.force = \"maybe\": must be true or false",
    })
    void badValueNamesKeyValueAndRange(String key, String value, String message) throws IOException {
        String v = value.matches("-?\\d+") ? value : "\"" + value + "\"";
        TuningLoader.Result r = load(key + " = " + v + "\n");
        assertFalse(r.ok());
        assertEquals(List.of(message), r.errors());
    }

    @Test
    void everyProblemIsReportedAndUnknownKeysAreErrors() throws IOException {
        TuningLoader.Result r = load("""
                fulcrum.dataplane.ring-size = 100
                fulcrum.dataplane.rings = 4
                fulcrum.healthcheck.event-loop-threads = 0
                dpvs.worker = 1
                """);
        assertFalse(r.ok());
        assertEquals(4, r.errors().size(), r.errors().toString());
        assertTrue(r.errors().stream().anyMatch(e -> e.endsWith(":2: fulcrum.dataplane.rings: unknown key")), r.errors().toString());
        assertTrue(r.errors().stream().anyMatch(e -> e.contains("dpvs: unknown key")), r.errors().toString());
    }

    @Test
    void frameCountMustCoverTheRings() throws IOException {
        TuningLoader.Result r = load("fulcrum.dataplane { ring-size = 8192, frame-count = 8192 }\n");
        assertEquals(List.of("fulcrum.dataplane.frame-count = 8192: must be at least twice fulcrum.dataplane.ring-size (8192)"
                + " so both rings can be filled"), r.errors());
    }

    @Test
    void syntaxErrorsAndMissingFilesAreMessagesNotExceptions() throws IOException {
        TuningLoader.Result r = load("fulcrum { dataplane { \n");
        assertFalse(r.ok());
        assertTrue(r.errors().getFirst().contains("tuning.conf"), r.errors().toString());
        TuningLoader.Result missing = TuningLoader.load(dir.resolve("nope.conf"));
        assertEquals(List.of(dir.resolve("nope.conf") + ": tuning file not found"), missing.errors());
    }

    @Test
    void shippedTuningSampleIsValid() {
        Path p = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(p.resolve("conf"))) {
            p = p.getParent();
        }
        TuningLoader.Result r = TuningLoader.load(p.resolve("conf/tuning.hocon"));
        assertTrue(r.ok(), r.errors().toString());
        assertEquals(2, r.tuning().dataplane().workers());
        assertEquals(4_194_304, r.tuning().dataplane().connTableCapacity());
        assertEquals(Duration.ofMinutes(15), r.tuning().dataplane().timeouts().tcp());
        assertEquals(Duration.ofMinutes(2), r.tuning().dataplane().timeouts().timeWait());
        assertEquals(32 << 20, r.tuning().netlink().monitorRcvbuf());
    }
}

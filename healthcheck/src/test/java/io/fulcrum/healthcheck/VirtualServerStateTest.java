package io.fulcrum.healthcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.testkit.LogCapture;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Table test of the per-virtual-server logic (keepalived's ipwrapper.c): checker verdicts in, keepalived log lines,
 * listener events and scripts out.
 */
class VirtualServerStateTest {

    private static final Endpoint VIP = Endpoint.of("10.0.0.100", 80);
    private static final Endpoint RS1 = Endpoint.of("10.0.0.2", 80);
    private static final Endpoint RS2 = Endpoint.of("10.0.0.3", 80);
    private static final CheckSpec TCP = new CheckSpec.Tcp(CheckOptions.DEFAULTS);
    private static final CheckSpec TCP2 = new CheckSpec.Tcp(CheckOptions.DEFAULTS.withConnectPort(8080));

    private static VirtualServerCheckSpec vs(int quorum, int hysteresis, SorryServerSpec sorry, boolean alpha,
                                             RealServerCheckSpec... rs) {
        return new VirtualServerCheckSpec(VIP, Protocol.TCP, quorum, hysteresis, "/bin/true quorum_up",
                "/bin/true quorum_down", sorry, alpha, false, List.of(rs));
    }

    private static RealServerCheckSpec rs(Endpoint a, int weight, boolean inhibit, CheckSpec... checks) {
        return new RealServerCheckSpec(a, weight, inhibit, "/bin/true up " + a.ip(), "/bin/true down " + a.ip(),
                List.of(checks));
    }

    /**
     * Each row: the virtual server, a list of steps "rs:checker:+|-" or "rs:w=N", and the log lines expected, in
     * order, after the initial state.
     */
    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of("one server down then up", vs(1, 0, null, false, rs(RS1, 1, false, TCP)),
                        List.of("0:0:-", "0:0:+"),
                        List.of("Removing service [10.0.0.2]:tcp:80 from VS [10.0.0.100]:tcp:80",
                                "Lost quorum 1-0=1 > 0 for VS [10.0.0.100]:tcp:80",
                                "Adding service [10.0.0.2]:tcp:80 to VS [10.0.0.100]:tcp:80",
                                "Gained quorum 1+0=1 <= 1 for VS [10.0.0.100]:tcp:80"),
                        List.of("/bin/true down 10.0.0.2", "/bin/true quorum_down", "/bin/true up 10.0.0.2",
                                "/bin/true quorum_up")),
                Arguments.of("inhibit_on_failure disables instead of removing",
                        vs(1, 0, null, false, rs(RS1, 1, true, TCP), rs(RS2, 1, false, TCP)),
                        List.of("0:0:-", "0:0:+"),
                        List.of("Disabling service [10.0.0.2]:tcp:80 from VS [10.0.0.100]:tcp:80",
                                "Enabling service [10.0.0.2]:tcp:80 to VS [10.0.0.100]:tcp:80"),
                        List.of("/bin/true down 10.0.0.2", "/bin/true up 10.0.0.2")),
                Arguments.of("all checkers must pass", vs(1, 0, null, false, rs(RS1, 1, false, TCP, TCP2)),
                        List.of("0:0:-", "0:1:-", "0:0:+", "0:1:+"),
                        List.of("Removing service [10.0.0.2]:tcp:80 from VS [10.0.0.100]:tcp:80",
                                "Lost quorum 1-0=1 > 0 for VS [10.0.0.100]:tcp:80",
                                "Adding service [10.0.0.2]:tcp:80 to VS [10.0.0.100]:tcp:80",
                                "Gained quorum 1+0=1 <= 1 for VS [10.0.0.100]:tcp:80"),
                        List.of("/bin/true down 10.0.0.2", "/bin/true quorum_down", "/bin/true up 10.0.0.2",
                                "/bin/true quorum_up")),
                Arguments.of("quorum with hysteresis and a sorry server",
                        vs(3, 1, new SorryServerSpec(Endpoint.of("10.0.0.9", 80), false), false,
                                rs(RS1, 2, false, TCP), rs(RS2, 2, false, TCP)),
                        // 4 alive; -RS1 -> 2 (not < 3-1=2, keep quorum); -RS2 -> 0 lost; +RS1 -> 2 (< 3+1, no);
                        // +RS2 -> 4 >= 4 gained
                        List.of("0:0:-", "1:0:-", "0:0:+", "1:0:+"),
                        List.of("Removing service [10.0.0.2]:tcp:80 from VS [10.0.0.100]:tcp:80",
                                "Removing service [10.0.0.3]:tcp:80 from VS [10.0.0.100]:tcp:80",
                                "Lost quorum 3-1=2 > 0 for VS [10.0.0.100]:tcp:80",
                                "Adding sorry server [10.0.0.9]:tcp:80 to VS [10.0.0.100]:tcp:80",
                                "Adding service [10.0.0.2]:tcp:80 to VS [10.0.0.100]:tcp:80",
                                "Adding service [10.0.0.3]:tcp:80 to VS [10.0.0.100]:tcp:80",
                                "Gained quorum 3+1=4 <= 4 for VS [10.0.0.100]:tcp:80",
                                "Removing sorry server [10.0.0.9]:tcp:80 from VS [10.0.0.100]:tcp:80"),
                        List.of("/bin/true down 10.0.0.2", "/bin/true down 10.0.0.3", "/bin/true quorum_down",
                                "/bin/true up 10.0.0.2", "/bin/true up 10.0.0.3", "/bin/true quorum_up")),
                Arguments.of("dynamic weight", vs(1, 0, null, false, rs(RS1, 1, false, TCP)),
                        List.of("0:w=5", "0:0:-", "0:w=0"),
                        List.of("Changing weight from 1 to 5 for active service [10.0.0.2]:tcp:80 of VS "
                                        + "[10.0.0.100]:tcp:80",
                                "Removing service [10.0.0.2]:tcp:80 from VS [10.0.0.100]:tcp:80",
                                "Lost quorum 1-0=1 > 0 for VS [10.0.0.100]:tcp:80",
                                "Changing weight from 5 to 0 for inactive service [10.0.0.2]:tcp:80 of VS "
                                        + "[10.0.0.100]:tcp:80"),
                        List.of("/bin/true down 10.0.0.2", "/bin/true quorum_down")),
                Arguments.of("alpha: starts down, up after all checkers pass",
                        vs(1, 0, null, true, rs(RS1, 1, false, TCP, TCP2)),
                        List.of("0:0:+", "0:1:+"),
                        List.of("Adding service [10.0.0.2]:tcp:80 to VS [10.0.0.100]:tcp:80",
                                "Gained quorum 1+0=1 <= 1 for VS [10.0.0.100]:tcp:80"),
                        List.of("/bin/true up 10.0.0.2", "/bin/true quorum_up")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void transitions(String name, VirtualServerCheckSpec spec, List<String> steps, List<String> expectedLines,
                     List<String> expectedScripts) {
        List<String> scripts = new ArrayList<>();
        VirtualServerState s = new VirtualServerState(spec, new RecordingListener(), scripts::add);
        s.start();
        try (LogCapture log = LogCapture.attach()) {
            for (String step : steps) {
                String[] f = step.split(":");
                int rs = Integer.parseInt(f[0]);
                if (f[1].startsWith("w=")) {
                    s.onWeight(rs, new ProbeResult.WeightChange(ProbeResult.WeightChange.Mode.ABSOLUTE,
                            Integer.parseInt(f[1].substring(2))));
                } else {
                    s.onChecker(rs, Integer.parseInt(f[1]), f[2].equals("+"));
                }
            }
            assertEquals(expectedLines, log.lines());
        }
        assertEquals(expectedScripts, scripts);
    }

    @Test
    void initialStateAndListenerEvents() {
        RecordingListener l = new RecordingListener();
        VirtualServerState s = new VirtualServerState(vs(1, 0, null, false, rs(RS1, 3, true, TCP)), l, c -> { });
        s.start();
        assertEquals(List.of("[10.0.0.2]:80 up 3", "quorum up"), l.events());
        s.onChecker(0, 0, false);
        assertEquals("quorum down", l.last());
        assertTrue(l.has("[10.0.0.2]:80 down 0"));
        assertFalse(s.alive(0));
        s.onChecker(0, 0, true);
        assertTrue(s.alive(0));
        assertTrue(s.quorumUp());
    }

    @Test
    void alphaStartsDownWithSorryServerActive() {
        RecordingListener l = new RecordingListener();
        VirtualServerState s = new VirtualServerState(
                vs(1, 0, new SorryServerSpec(Endpoint.of("10.0.0.9", 80), true), true, rs(RS1, 1, false, TCP)), l,
                c -> { });
        s.start();
        assertEquals(List.of("[10.0.0.2]:80 down 0", "quorum down", "sorry on"), l.events());
        assertTrue(s.sorryActive());
        try (LogCapture log = LogCapture.attach()) {
            s.onChecker(0, 0, true);
            assertTrue(log.contains("Disabling sorry server [10.0.0.9]:tcp:80 from VS [10.0.0.100]:tcp:80"));
        }
        assertFalse(s.sorryActive());
    }

    @Test
    void omegaRunsDownScriptsAtShutdown() {
        List<String> scripts = new ArrayList<>();
        VirtualServerCheckSpec spec = new VirtualServerCheckSpec(VIP, Protocol.TCP, 1, 0, null, "qd", null, false,
                true, List.of(rs(RS1, 1, false, TCP)));
        VirtualServerState s = new VirtualServerState(spec, new RecordingListener(), scripts::add);
        s.start();
        try (LogCapture log = LogCapture.attach()) {
            s.stop();
            assertTrue(log.contains("Removing service [10.0.0.2]:tcp:80 from VS [10.0.0.100]:tcp:80"));
        }
        assertEquals(List.of("/bin/true down 10.0.0.2", "qd"), scripts);
        s.onChecker(0, 0, true);
        assertFalse(s.alive(0));
    }
}

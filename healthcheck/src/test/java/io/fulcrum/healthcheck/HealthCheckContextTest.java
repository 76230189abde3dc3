package io.fulcrum.healthcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad specifications are refused by conclude() with a message naming the service, keyword and value. */
class HealthCheckContextTest {

    private static final Endpoint VIP = Endpoint.of("10.0.0.100", 80);
    private static final Endpoint RS = Endpoint.of("10.0.0.2", 80);
    private static final String WHERE = "virtual_server [10.0.0.100]:tcp:80 real_server [10.0.0.2]:tcp:80 ";

    private static VirtualServerCheckSpec one(CheckSpec c) {
        return VirtualServerCheckSpec.tcp(VIP, RealServerCheckSpec.of(RS, c));
    }

    static Stream<Arguments> bad() {
        CheckOptions o = CheckOptions.DEFAULTS;
        return Stream.of(
                Arguments.of(one(new CheckSpec.Tcp(o.withDelayLoop(Duration.ZERO))),
                        WHERE + "TCP_CHECK: delay_loop 0 ms must be positive"),
                Arguments.of(one(new CheckSpec.Tcp(o.withRetry(-1))), WHERE + "TCP_CHECK: retry -1 must not be negative"),
                Arguments.of(one(new CheckSpec.Tcp(o.withConnectPort(70000))),
                        WHERE + "TCP_CHECK: connect_port 70000 out of range 0..65535"),
                Arguments.of(one(new CheckSpec.Tcp(o.withBindTo(Endpoint.literal("::1")))),
                        WHERE + "TCP_CHECK: bindto ::1 does not match the address family of 10.0.0.2"),
                Arguments.of(one(new CheckSpec.Http(o, false, List.of(), null, false)),
                        WHERE + "HTTP_GET: no url specified"),
                Arguments.of(one(new CheckSpec.Http(o, true, List.of(new CheckSpec.Url("/", List.of(), "abc", null)),
                        null, false)), WHERE + "SSL_GET: digest 'abc' is not 32 hex digits (an MD5)"),
                Arguments.of(one(new CheckSpec.Http(o, false, List.of(CheckSpec.Url.of("health")), null, false)),
                        WHERE + "HTTP_GET: url path 'health' must start with /"),
                Arguments.of(one(new CheckSpec.Dns(o, "BOGUS", "x.test")),
                        WHERE + "DNS_CHECK: type 'BOGUS' unknown (expected one of A, AAAA, CNAME, DNSKEY, MX, NS, "
                                + "RRSIG, SOA, TXT)"),
                Arguments.of(one(new CheckSpec.Dns(o, "A", "a..test")),
                        WHERE + "DNS_CHECK: name 'a..test' has an empty label"),
                Arguments.of(one(new CheckSpec.Misc(o, "/bin/true", Duration.ZERO, false, null)),
                        WHERE + "MISC_CHECK: misc_timeout must be positive"),
                Arguments.of(one(new CheckSpec.Misc(o, "/bin/true", null, false, "no-such-user-xyz")),
                        WHERE + "MISC_CHECK: user 'no-such-user-xyz' does not exist"),
                Arguments.of(one(new CheckSpec.File(o, Path.of("/tmp/x"), Integer.MIN_VALUE, false)),
                        WHERE + "FILE_CHECK: weight -2147483648 out of range -2147483647..2147483647"),
                Arguments.of(new VirtualServerCheckSpec(VIP, Protocol.TCP, 2, 2, null, null, null, false, false,
                        List.of()), "virtual_server [10.0.0.100]:tcp:80: hysteresis 2 out of range 0..1 (must be "
                        + "below quorum 2)"),
                Arguments.of(VirtualServerCheckSpec.tcp(VIP, new RealServerCheckSpec(RS, 70000, false, null, null,
                        List.of())), "virtual_server [10.0.0.100]:tcp:80 real_server [10.0.0.2]:tcp:80: weight 70000 "
                        + "out of range 0..65535"),
                Arguments.of(VirtualServerCheckSpec.tcp(VIP, RealServerCheckSpec.of(RS), RealServerCheckSpec.of(RS)),
                        "virtual_server [10.0.0.100]:tcp:80 real_server [10.0.0.2]:tcp:80: defined twice"));
    }

    @ParameterizedTest
    @MethodSource("bad")
    void refusesWithAClearMessage(VirtualServerCheckSpec vs, String message) {
        HealthCheckContext ctx = new HealthCheckContext().virtualServers(List.of(vs));
        HealthCheckConfigException e = assertThrows(HealthCheckConfigException.class, ctx::conclude);
        assertEquals(message, e.getMessage());
        assertTrue(!ctx.concluded());
    }

    @Test
    void threadLimits() {
        assertEquals("health check I/O threads 3 out of range 1..2", assertThrows(HealthCheckConfigException.class,
                () -> new HealthCheckContext().ioThreads(3).conclude()).getMessage());
    }

    @Test
    void concludedContextIsImmutable() {
        HealthCheckContext ctx = new HealthCheckContext().conclude();
        assertThrows(IllegalStateException.class, () -> ctx.ioThreads(2));
    }

    @Test
    void specValuesAreCheckedAtConstruction() {
        assertEquals("status_code range 500-400 invalid (100..999)", assertThrows(IllegalArgumentException.class,
                () -> CheckSpec.StatusRange.parse("500-400")).getMessage());
        assertEquals("status_code 'abc' is not a code or range", assertThrows(IllegalArgumentException.class,
                () -> CheckSpec.StatusRange.parse("abc")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new CheckSpec.Udp(CheckOptions.DEFAULTS, "zz", false, null));
    }
}

package io.fulcrum.healthcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** keepalived's service formatting, IPv6 in RFC 5952 form. */
class EndpointTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "10.0.0.2|80|TCP|[10.0.0.2]:tcp:80",
        "::1|80|TCP|[::1]:tcp:80",
        "2001:db8:0:0:0:0:0:1|53|UDP|[2001:db8::1]:udp:53",
        "2001:db8:0:1:0:0:0:1|53|UDP|[2001:db8:0:1::1]:udp:53",
        "fe80:0:0:0:1:0:0:0|8080|SCTP|[fe80::1:0:0:0]:sctp:8080",
        "2001:db8:1:0:1:1:1:1|1|TCP|[2001:db8:1:0:1:1:1:1]:tcp:1",
        "::|0|TCP|[::]:tcp:0"})
    void trio(String ip, int port, Protocol p, String expected) {
        assertEquals(expected, Endpoint.of(ip, port).trio(p));
    }

    @Test
    void rejectsHostNames() {
        assertThrows(IllegalArgumentException.class, () -> Endpoint.of("example.com", 80));
        assertThrows(IllegalArgumentException.class, () -> Endpoint.of("10.0.0.1", 70000));
    }
}

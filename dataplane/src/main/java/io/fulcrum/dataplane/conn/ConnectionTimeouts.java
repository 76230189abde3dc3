package io.fulcrum.dataplane.conn;

import java.time.Duration;

/**
 * Per-state connection timeouts. {@code tcp}, {@code tcpFin} and {@code udp} mean what ipvsadm's
 * {@code --set tcp tcpfin udp} sets: the ESTABLISHED timeout, the FIN_WAIT timeout and the UDP timeout.
 *
 * <p>Immutable; any thread may use it.
 *
 * @param tcp ESTABLISHED timeout (ipvsadm default 900 s)
 * @param tcpFin FIN_WAIT timeout (default 120 s)
 * @param udp UDP timeout (default 300 s)
 * @param synRecv SYN_RECV timeout (default 60 s)
 * @param timeWait TIME_WAIT timeout (default 120 s)
 * @param close CLOSE timeout after a RST (default 10 s)
 */
public record ConnectionTimeouts(Duration tcp, Duration tcpFin, Duration udp, Duration synRecv, Duration timeWait,
                                 Duration close) {

    /** The ipvsadm defaults. */
    public static final ConnectionTimeouts DEFAULTS = new ConnectionTimeouts(Duration.ofSeconds(900),
            Duration.ofSeconds(120), Duration.ofSeconds(300), Duration.ofSeconds(60), Duration.ofSeconds(120),
            Duration.ofSeconds(10));

    /** Validates that every timeout is positive. */
    public ConnectionTimeouts {
        check("tcp", tcp);
        check("tcpfin", tcpFin);
        check("udp", udp);
        check("syn_recv", synRecv);
        check("time_wait", timeWait);
        check("close", close);
    }

    /** Returns a copy with ipvsadm's {@code --set tcp tcpfin udp} values in seconds; 0 keeps the current value. */
    public ConnectionTimeouts withIpvsadmSet(int tcpSeconds, int tcpFinSeconds, int udpSeconds) {
        return new ConnectionTimeouts(tcpSeconds == 0 ? tcp : Duration.ofSeconds(tcpSeconds),
                tcpFinSeconds == 0 ? tcpFin : Duration.ofSeconds(tcpFinSeconds),
                udpSeconds == 0 ? udp : Duration.ofSeconds(udpSeconds), synRecv, timeWait, close);
    }

    private static void check(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("timeout " + name + " " + d + " must be positive");
        }
    }

    /** Timeouts in milliseconds indexed by {@link ConnectionState} ordinal. */
    public long[] toMillisByState() {
        long[] t = new long[ConnectionState.values().length];
        t[ConnectionState.NONE.ordinal()] = synRecv.toMillis();
        t[ConnectionState.SYN_RECV.ordinal()] = synRecv.toMillis();
        t[ConnectionState.ESTABLISHED.ordinal()] = tcp.toMillis();
        t[ConnectionState.FIN_WAIT.ordinal()] = tcpFin.toMillis();
        t[ConnectionState.TIME_WAIT.ordinal()] = timeWait.toMillis();
        t[ConnectionState.CLOSE.ordinal()] = close.toMillis();
        t[ConnectionState.UDP.ordinal()] = udp.toMillis();
        return t;
    }
}

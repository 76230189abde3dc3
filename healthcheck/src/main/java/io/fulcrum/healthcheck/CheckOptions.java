package io.fulcrum.healthcheck;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * The options every keepalived checker shares: where to connect, from where, and its timers.
 *
 * <p>Immutable; safe from any thread. Defaults follow keepalived 2.x ({@code connect_timeout 5},
 * {@code delay_loop 60}, {@code retry 1}, {@code delay_before_retry 1}, no {@code warmup}).
 *
 * @param connectIp        {@code connect_ip}, or null to check the real server's own address
 * @param connectPort      {@code connect_port}, or 0 to use the real server's port
 * @param bindTo           {@code bindto} source address, or null
 * @param bindPort         {@code bind_port} source port, or 0
 * @param connectTimeout   {@code connect_timeout}: limit for connecting and for each read/write
 * @param delayLoop        {@code delay_loop}: interval between checks
 * @param retry            {@code retry}: failed attempts retried before the checker is declared down
 * @param delayBeforeRetry {@code delay_before_retry}: interval between retries
 * @param warmup           {@code warmup}: the first check starts after a random delay in [0, warmup)
 * @param logAllFailures   {@code log_all_failures}: log every failed attempt, not only the final verdict
 * @param alpha            {@code alpha} of the checker (or inherited from its {@code real_server}): the checker starts
 *                         failed and needs a success first; null inherits the virtual server's {@code alpha}
 */
public record CheckOptions(InetAddress connectIp, int connectPort, InetAddress bindTo, int bindPort,
                           Duration connectTimeout, Duration delayLoop, int retry, Duration delayBeforeRetry,
                           Duration warmup, boolean logAllFailures, Boolean alpha) {

    /** keepalived's default options. */
    public static final CheckOptions DEFAULTS = new CheckOptions(null, 0, null, 0, Duration.ofSeconds(5),
            Duration.ofSeconds(60), 1, Duration.ofSeconds(1), Duration.ZERO, false, null);

    /** Checks the fields are present; ranges are checked by {@link HealthCheckContext#conclude()}. */
    public CheckOptions {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(delayLoop, "delayLoop");
        Objects.requireNonNull(delayBeforeRetry, "delayBeforeRetry");
        Objects.requireNonNull(warmup, "warmup");
    }

    /** Returns a copy with {@code connect_ip}. */
    public CheckOptions withConnectIp(InetAddress v) {
        return new CheckOptions(v, connectPort, bindTo, bindPort, connectTimeout, delayLoop, retry, delayBeforeRetry,
                warmup, logAllFailures, alpha);
    }

    /** Returns a copy with {@code connect_port}. */
    public CheckOptions withConnectPort(int v) {
        return new CheckOptions(connectIp, v, bindTo, bindPort, connectTimeout, delayLoop, retry, delayBeforeRetry,
                warmup, logAllFailures, alpha);
    }

    /** Returns a copy with {@code bindto}. */
    public CheckOptions withBindTo(InetAddress v) {
        return new CheckOptions(connectIp, connectPort, v, bindPort, connectTimeout, delayLoop, retry,
                delayBeforeRetry, warmup, logAllFailures, alpha);
    }

    /** Returns a copy with {@code bind_port}. */
    public CheckOptions withBindPort(int v) {
        return new CheckOptions(connectIp, connectPort, bindTo, v, connectTimeout, delayLoop, retry,
                delayBeforeRetry, warmup, logAllFailures, alpha);
    }

    /** Returns a copy with {@code connect_timeout}. */
    public CheckOptions withConnectTimeout(Duration v) {
        return new CheckOptions(connectIp, connectPort, bindTo, bindPort, v, delayLoop, retry, delayBeforeRetry,
                warmup, logAllFailures, alpha);
    }

    /** Returns a copy with {@code delay_loop}. */
    public CheckOptions withDelayLoop(Duration v) {
        return new CheckOptions(connectIp, connectPort, bindTo, bindPort, connectTimeout, v, retry, delayBeforeRetry,
                warmup, logAllFailures, alpha);
    }

    /** Returns a copy with {@code retry}. */
    public CheckOptions withRetry(int v) {
        return new CheckOptions(connectIp, connectPort, bindTo, bindPort, connectTimeout, delayLoop, v,
                delayBeforeRetry, warmup, logAllFailures, alpha);
    }

    /** Returns a copy with {@code delay_before_retry}. */
    public CheckOptions withDelayBeforeRetry(Duration v) {
        return new CheckOptions(connectIp, connectPort, bindTo, bindPort, connectTimeout, delayLoop, retry, v,
                warmup, logAllFailures, alpha);
    }

    /** Returns a copy with {@code warmup}. */
    public CheckOptions withWarmup(Duration v) {
        return new CheckOptions(connectIp, connectPort, bindTo, bindPort, connectTimeout, delayLoop, retry,
                delayBeforeRetry, v, logAllFailures, alpha);
    }

    /** Returns a copy with {@code log_all_failures}. */
    public CheckOptions withLogAllFailures(boolean v) {
        return new CheckOptions(connectIp, connectPort, bindTo, bindPort, connectTimeout, delayLoop, retry,
                delayBeforeRetry, warmup, v, alpha);
    }

    /** Returns a copy with {@code alpha} (null: inherit the virtual server's). */
    public CheckOptions withAlpha(Boolean v) {
        return new CheckOptions(connectIp, connectPort, bindTo, bindPort, connectTimeout, delayLoop, retry,
                delayBeforeRetry, warmup, logAllFailures, v);
    }

    /** The address checked for real server {@code rs}: {@code connect_ip}/{@code connect_port} or the server's. */
    public Endpoint target(Endpoint rs) {
        return new Endpoint(connectIp != null ? connectIp : rs.address(), connectPort != 0 ? connectPort : rs.port());
    }
}

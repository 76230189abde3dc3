package io.fulcrum.healthcheck;

/**
 * A health-check specification the operator must fix, with a message naming the virtual server, real server, keyword
 * and value (e.g. {@code virtual_server [10.0.0.100]:tcp:80 real_server [10.0.0.2]:tcp:80 HTTP_GET: digest 'xyz' is
 * not 32 hex digits}).
 *
 * <p>Thrown by {@link HealthCheckContext#conclude()} before any thread starts; immutable.
 */
public final class HealthCheckConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with the operator-facing message. */
    public HealthCheckConfigException(String message) {
        super(message);
    }
}

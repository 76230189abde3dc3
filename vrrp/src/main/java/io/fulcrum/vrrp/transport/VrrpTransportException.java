package io.fulcrum.vrrp.transport;

/**
 * A VRRP socket could not be opened or configured; the message names the interface, address and call.
 *
 * <p>Immutable once thrown.
 */
public final class VrrpTransportException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message and its cause. */
    public VrrpTransportException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Creates the exception with a message. */
    public VrrpTransportException(String message) {
        super(message);
    }
}

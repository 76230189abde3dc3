package io.fulcrum.dataplane;

/**
 * A local-address operation whose precondition failed; the message names it ({@code no such service},
 * {@code local address not in the pool}, {@code local address already present}).
 *
 * <p>Immutable; any thread may read it.
 */
public final class LocalAddressException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with the operator-facing message. */
    public LocalAddressException(String message) {
        super(message);
    }
}

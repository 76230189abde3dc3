package io.fulcrum.dataplane;

/**
 * The outcome of a local-address add or delete that passed its preconditions.
 *
 * <p>Immutable; any thread may read it.
 *
 * @param done true when the address was added or removed now; false when it is in use and now draining
 * @param connections connections still using the address (for a draining delete)
 * @param message the operator-facing message, e.g. {@code local address in use by 3 connections; draining}
 */
public record LocalAddressResult(boolean done, long connections, String message) {
}

package io.fulcrum.healthcheck;

import java.util.Objects;

/**
 * A virtual server's {@code sorry_server}: used while the virtual server has lost its quorum.
 *
 * <p>Immutable; safe from any thread.
 *
 * @param address the sorry server's address and port
 * @param inhibit {@code sorry_server_inhibit}: kept with weight 0 instead of removed when not in use
 */
public record SorryServerSpec(Endpoint address, boolean inhibit) {

    /** Validates. */
    public SorryServerSpec {
        Objects.requireNonNull(address, "address");
    }
}

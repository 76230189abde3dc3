package io.fulcrum.dataplane.counters;

/**
 * The counters kept for each service, real server and local address (an "entity" slot), per worker.
 *
 * <p>Immutable; any thread may use the constants.
 */
public enum EntityCounter {
    /** Connections currently open through this entity. */
    CONNECTIONS_ACTIVE("Active connections"),
    /** Connections ever created through this entity. */
    CONNECTIONS_TOTAL("Connections"),
    /** Packets from clients. */
    PACKETS_IN("Incoming packets"),
    /** Packets to clients. */
    PACKETS_OUT("Outgoing packets"),
    /** Bytes from clients. */
    BYTES_IN("Incoming bytes"),
    /** Bytes to clients. */
    BYTES_OUT("Outgoing bytes"),
    /**
     * Of the {@link #CONNECTIONS_ACTIVE} connections, those not ESTABLISHED (TCP before the handshake completes or
     * after a FIN or RST, and every UDP flow): IPVS's {@code InActConn}. Established = active − inactive.
     */
    CONNECTIONS_INACTIVE("Inactive connections");

    /** Longs reserved per entity per worker: one 64-byte cache line. */
    public static final int STRIDE_LONGS = 8;

    private final String description;

    EntityCounter(String description) {
        this.description = description;
    }

    /** The human-readable description. */
    public String description() {
        return description;
    }
}

package io.fulcrum.dataplane.counters;

/**
 * The per-worker dataplane counters: one off-heap slot per constant per worker (see {@link DataplaneCounters}).
 *
 * <p>Immutable; any thread may use the constants.
 */
public enum DataplaneCounter {
    /** Frames handed to the core. */
    RX_PACKETS("Packets received"),
    /** Bytes handed to the core. */
    RX_BYTES("Bytes received"),
    /** Frames rewritten for transmission. */
    TX_PACKETS("Packets transmitted"),
    /** Bytes rewritten for transmission. */
    TX_BYTES("Bytes transmitted"),
    /** Frames handed to the kernel. */
    LOCAL_PACKETS("Packets delivered to the kernel"),
    /** Frames consumed by the dataplane. */
    CONSUMED_PACKETS("Packets consumed"),
    /** Connections created. */
    CONNECTIONS_CREATED("Connections created"),
    /** Connections expired by the timer wheel. */
    CONNECTIONS_EXPIRED("Connections expired"),
    /** Connections currently in this worker's table. */
    CONNECTIONS_ACTIVE("Connections active"),
    /** New connections refused because the connection table was full. */
    CONNECTION_TABLE_FULL("Connections refused: connection table full"),
    /** New FullNAT connections refused because no local address/port was free. */
    LOCAL_ADDRESS_EXHAUSTED("Connections refused: local address pool exhausted"),
    /** ICMP errors translated for a connection. */
    ICMP_TRANSLATED("ICMP errors translated"),
    /** ICMP too-big errors sent to clients for packets that would not fit once tunnelled. */
    ICMP_TOO_BIG_SENT("ICMP too-big errors sent"),
    /** TOA options inserted. */
    TOA_INSERTED("TOA options inserted"),
    /** TOA options not inserted for lack of option space, frame room or MTU. */
    TOA_NO_SPACE("TOA options skipped: no space"),
    /** Persistence templates evicted because the table was full. */
    PERSISTENCE_EVICTED("Persistence templates evicted"),
    /**
     * A client's SYN (without ACK) found its tuple's entry closing (TIME_WAIT, CLOSE, or FIN_WAIT where the replies
     * bypass the dataplane): the entry was expired and the new connection scheduled afresh (IPVS's conn_reuse_mode).
     */
    CONNECTIONS_REUSED("Connections rescheduled: SYN reused a closing entry"),
    /** Dropped: malformed frame or header. */
    DROP_MALFORMED("Dropped: malformed"),
    /** Dropped: fragment (reassembly is not supported). */
    DROP_FRAGMENT("Dropped: IP fragment"),
    /** Dropped: TCP segment other than SYN without a connection. */
    DROP_NO_CONNECTION("Dropped: no connection"),
    /** Dropped: no real server available. */
    DROP_NO_REAL_SERVER("Dropped: no real server available"),
    /** Dropped: next hop has no neighbour entry. */
    DROP_NO_NEIGHBOUR("Dropped: no neighbour entry"),
    /** Dropped: TTL or hop limit expired. */
    DROP_TTL_EXPIRED("Dropped: TTL expired"),
    /** Dropped: frame too big for the MTU after encapsulation. */
    DROP_TOO_BIG("Dropped: too big after encapsulation"),
    /** Dropped: no room in the frame buffer to grow the frame. */
    DROP_NO_ROOM("Dropped: no room in frame buffer"),
    /** Dropped: connection table full. */
    DROP_TABLE_FULL("Dropped: connection table full"),
    /** Dropped: no local address/port available. */
    DROP_NO_LOCAL_ADDRESS("Dropped: no local address or port available"),
    /** Dropped: the worker's queue of frames waiting for their next hop to resolve was full. */
    DROP_NEIGHBOUR_QUEUE_FULL("Dropped: neighbour wait queue full"),
    /** Dropped: a held frame's next hop did not resolve in time. */
    DROP_NEIGHBOUR_TIMEOUT("Dropped: next hop did not resolve in time"),
    /** Frames held while their next hop resolved (ARP/ND), sent or dropped later (not counted as no-neighbour drops). */
    NEIGHBOUR_HELD("Frames held until their next hop resolved");

    private final String description;

    DataplaneCounter(String description) {
        this.description = description;
    }

    /** The human-readable description shown by the admin CLI and metrics. */
    public String description() {
        return description;
    }
}

package io.fulcrum.dataplane.conn;

/**
 * Connection states as ipvsadm -c shows them, with the TCP transitions the dataplane tracks.
 *
 * <p>The transition table is this project's own reduction of the usual LVS state set: a SYN from the client opens
 * SYN_RECV, the client's ACK establishes, a FIN from either side moves to FIN_WAIT, the second FIN to TIME_WAIT and
 * a RST closes. UDP connections stay in {@link #UDP}. Immutable; any thread may use it.
 */
public enum ConnectionState {
    /** Not yet seen any segment. */
    NONE,
    /** SYN seen from the client. */
    SYN_RECV,
    /** Handshake completed. */
    ESTABLISHED,
    /** One side sent FIN. */
    FIN_WAIT,
    /** Both sides sent FIN. */
    TIME_WAIT,
    /** Reset seen. */
    CLOSE,
    /** A UDP flow. */
    UDP;

    private static final ConnectionState[] VALUES = values();

    /** The state with this ordinal. */
    public static ConnectionState of(int ordinal) {
        return VALUES[ordinal];
    }

    /**
     * The next TCP state after a segment with {@code flags} (TCP flag bits) travelling from the client
     * ({@code fromClient}) or from the real server.
     */
    public static int nextTcp(int state, int flags, boolean fromClient) {
        if ((flags & 0x04) != 0) {
            return CLOSE.ordinal();
        }
        boolean syn = (flags & 0x02) != 0;
        boolean fin = (flags & 0x01) != 0;
        boolean ack = (flags & 0x10) != 0;
        int s = state;
        if (s == NONE.ordinal() || s == CLOSE.ordinal()) {
            return syn && !ack && fromClient ? SYN_RECV.ordinal() : s;
        }
        if (s == SYN_RECV.ordinal()) {
            if (fin) {
                return FIN_WAIT.ordinal();
            }
            return fromClient && ack && !syn ? ESTABLISHED.ordinal() : s;
        }
        if (s == ESTABLISHED.ordinal()) {
            return fin ? FIN_WAIT.ordinal() : s;
        }
        if (s == FIN_WAIT.ordinal()) {
            return fin ? TIME_WAIT.ordinal() : s;
        }
        return s;
    }
}

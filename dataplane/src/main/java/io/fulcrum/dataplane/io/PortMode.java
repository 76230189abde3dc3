package io.fulcrum.dataplane.io;

/**
 * Which packet port the dataplane uses ({@code dataplane.port} tuning key): AF_XDP, AF_PACKET, or AF_XDP with a
 * fallback to AF_PACKET whose reason is logged once.
 *
 * <p>Immutable; any thread may use it.
 */
public enum PortMode {
    /** Try AF_XDP, fall back to AF_PACKET. */
    AUTO("auto"),
    /** AF_XDP only; start-up fails when it is unavailable. */
    XDP("xdp"),
    /** AF_PACKET TPACKET_V3 only. */
    PACKET("packet");

    private final String keyword;

    PortMode(String keyword) {
        this.keyword = keyword;
    }

    /** The tuning keyword. */
    public String keyword() {
        return keyword;
    }

    /** Parses a tuning value; the error names the key and the allowed values. */
    public static PortMode parse(String value) {
        for (PortMode m : values()) {
            if (m.keyword.equalsIgnoreCase(value)) {
                return m;
            }
        }
        throw new IllegalArgumentException("dataplane.port " + value + " is not one of auto, xdp, packet");
    }
}

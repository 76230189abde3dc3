package io.fulcrum.dataplane;

/**
 * What the forwarding core decided for one frame.
 *
 * <p>Immutable; any thread may use it.
 */
public enum Verdict {
    /** Transmit the rewritten frame on port {@link Frame#txPort()}. */
    TX,
    /** Deliver the (unchanged) frame to the kernel. */
    LOCAL,
    /** Drop it; the reason is in {@link Frame#dropReason()} and counted. */
    DROP,
    /** The dataplane used the frame itself; nothing more to do. */
    CONSUMED
}

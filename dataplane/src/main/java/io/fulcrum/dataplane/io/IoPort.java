package io.fulcrum.dataplane.io;

import java.lang.foreign.MemorySegment;

/**
 * A packet port: one socket (AF_PACKET or AF_XDP) on one interface queue, with its receive and transmit rings.
 * Frames are received in place and transmitted by copying into a transmit slot; nothing is allocated per frame.
 *
 * <p>Owned by one worker thread; {@link #close()} is called after that worker stopped.
 */
public interface IoPort extends AutoCloseable {

    /** Receives the frames of a port's ring, in place. */
    @FunctionalInterface
    interface FrameHandler {
        /** A frame of {@code length} bytes at {@code offset} of {@code segment}, valid only during the call. */
        void onFrame(MemorySegment segment, long offset, int length);
    }

    /** Hands up to {@code limit} received frames to {@code handler}; returns how many. */
    int receive(FrameHandler handler, int limit);

    /** Copies a frame into a transmit slot; false (and counted) when the ring is full or the frame too long. */
    boolean transmit(MemorySegment src, long offset, int length);

    /** Kicks the kernel to send what was queued; returns the number of frames queued since the last flush. */
    int flush();

    /** The descriptor to poll for input while idle. */
    int fd();

    /** Frames received. */
    long rxPackets();

    /** Frames that could not be queued for transmission. */
    long txDropped();

    /** The interface name. */
    String ifName();

    /** Closes the socket and releases its rings. */
    @Override
    void close();
}

package io.fulcrum.dataplane;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link FrameSource} over frames queued in memory, for tests and benchmarks before real I/O exists: each queued
 * frame is copied into a buffer with headroom and tailroom, processed, and the verdict with the output bytes recorded.
 *
 * <p>Used on one thread (the test's, or the worker's it is handed to). Queueing and recording allocate; this is a test
 * harness, not a packet path.
 */
public final class InMemoryFrameSource implements FrameSource, AutoCloseable {

    /** Bytes of headroom before each frame (like an XDP frame's). */
    public static final int HEADROOM = 256;
    /** Size of each frame buffer. */
    public static final int BUFFER_SIZE = 4096;

    /** One processed frame. */
    public record Result(Verdict verdict, int txPort, io.fulcrum.dataplane.counters.DataplaneCounter dropReason,
                         byte[] output) {
    }

    private final Arena arena = Arena.ofShared();
    private final MemorySegment buffer = arena.allocate(BUFFER_SIZE, 64);
    private final Frame frame = new Frame();
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private final List<Result> results = new ArrayList<>();

    /** Creates an empty source. */
    public InMemoryFrameSource() {
    }

    /** Queues a frame. */
    public InMemoryFrameSource add(byte[] frameBytes) {
        if (frameBytes.length > BUFFER_SIZE - HEADROOM) {
            throw new IllegalArgumentException("frame of " + frameBytes.length + " bytes does not fit");
        }
        queue.add(frameBytes.clone());
        return this;
    }

    @Override
    public int poll(FrameProcessor processor, int limit) {
        int n = 0;
        while (n < limit && !queue.isEmpty()) {
            byte[] in = queue.poll();
            MemorySegment.copy(MemorySegment.ofArray(in), 0, buffer, HEADROOM, in.length);
            frame.wrap(buffer, 0, HEADROOM, in.length, BUFFER_SIZE, 0);
            Verdict v = processor.process(frame);
            byte[] out = buffer.asSlice(frame.offset(), frame.length()).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
            results.add(new Result(v, frame.txPort(), frame.dropReason(), out));
            n++;
        }
        return n;
    }

    /** Processes one frame now and returns its result. */
    public Result process(FrameProcessor processor, byte[] frameBytes) {
        add(frameBytes);
        poll(processor, 1);
        return results.get(results.size() - 1);
    }

    /** The results so far, in order. */
    public List<Result> results() {
        return results;
    }

    @Override
    public void close() {
        arena.close();
    }
}

package io.fulcrum.dataplane;

/**
 * Processes one frame in place and returns the verdict. The {@link ForwardingCore} is the processor; a
 * {@link FrameSource} calls it for each received frame and acts on the verdict.
 *
 * <p>Called only on the worker thread that owns the processor.
 */
@FunctionalInterface
public interface FrameProcessor {

    /** Processes a frame; the frame descriptor tells where the (possibly moved, resized) output is. */
    Verdict process(Frame frame);
}

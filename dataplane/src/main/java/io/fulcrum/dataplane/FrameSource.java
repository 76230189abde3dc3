package io.fulcrum.dataplane;

/**
 * Where a worker's frames come from and where they go: the I/O layer (AF_XDP, AF_PACKET) implements it over its
 * rings; tests and benchmarks use {@link InMemoryFrameSource}. {@link #poll} receives up to {@code limit} frames,
 * hands each to the processor and acts on the verdict (transmit, pass to the kernel, recycle).
 *
 * <p>Called only on the worker thread that owns it.
 */
public interface FrameSource {

    /** Receives and processes up to {@code limit} frames; returns how many were processed. */
    int poll(FrameProcessor processor, int limit);
}

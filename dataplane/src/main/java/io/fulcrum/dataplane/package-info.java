/**
 * The dataplane core: forwarding of one frame at a time, in place, for FullNAT, DR, NAT and TUN virtual services.
 *
 * <p>Entry point: {@link io.fulcrum.dataplane.Dataplane#launch(io.fulcrum.dataplane.DataplaneContext)} with a
 * concluded {@link io.fulcrum.dataplane.DataplaneContext}. The control plane publishes
 * {@link io.fulcrum.dataplane.service.ServiceTableSpec service-table specs} (built into immutable
 * {@link io.fulcrum.dataplane.service.ServiceTable} snapshots behind one volatile reference) and changes FullNAT local
 * addresses at runtime; each worker thread owns one {@link io.fulcrum.dataplane.ForwardingCore}.
 *
 * <p>Seams for packet I/O:
 * <ul>
 *   <li>{@link io.fulcrum.dataplane.FrameSource}: the I/O layer receives frames and hands each to the
 *       {@link io.fulcrum.dataplane.FrameProcessor} (the core) as a {@link io.fulcrum.dataplane.Frame} (segment, offset,
 *       length, headroom, tailroom); the returned {@link io.fulcrum.dataplane.Verdict} says TX on
 *       {@link io.fulcrum.dataplane.Frame#txPort()} (frame rewritten, possibly moved back for IP-in-IP or grown for
 *       TOA), LOCAL (hand the unchanged frame to the kernel), DROP (reason counted) or CONSUMED.</li>
 *   <li>{@link io.fulcrum.dataplane.NeighbourTable}: next-hop MAC and output port for an IP address.</li>
 *   <li>{@link io.fulcrum.dataplane.DataplaneWorkerAgent}: the duty cycle (newest snapshot, a batch, expiry).</li>
 *   <li>FullNAT local ports are partitioned by worker ({@code port mod workers == worker}) so replies can be steered
 *       to the worker that owns the connection.</li>
 *   <li>Frame segments should come from a shared arena (as the core's own tables and counters do): mixing memory
 *       session kinds on the packet path makes the JIT's liveness checks polymorphic and costs about a third of the
 *       per-packet time.</li>
 * </ul>
 *
 * <p>ARP, neighbour discovery, ICMP echo and traffic for addresses without a service get LOCAL: answering them is the
 * I/O layer's (or the kernel's) job.
 */
package io.fulcrum.dataplane;

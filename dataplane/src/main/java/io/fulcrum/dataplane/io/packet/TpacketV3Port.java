package io.fulcrum.dataplane.io.packet;

import io.fulcrum.dataplane.io.IoPort;
import io.fulcrum.dataplane.packet.InternetChecksum;
import io.fulcrum.netlink.LinuxSocket;
import io.fulcrum.netlink.Mmap;
import io.fulcrum.netlink.NativeException;
import io.fulcrum.netlink.SockAddr;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * One AF_PACKET socket on one interface with a memory-mapped TPACKET_V3 receive ring (blocks retired by the kernel)
 * and a TPACKET_V3 transmit ring, {@code PACKET_QDISC_BYPASS} and {@code PACKET_IGNORE_OUTGOING}, optionally in a
 * fanout group so several workers share the interface's traffic.
 *
 * <p>Ring layout (include/uapi/linux/if_packet.h): an RX block starts with {@code struct tpacket_block_desc}; its
 * {@code block_status} word is the hand-off between kernel and user and is read with acquire and written back with
 * release ordering. Each packet is a {@code struct tpacket3_hdr} followed by a {@code sockaddr_ll}; the frame starts at
 * {@code tp_mac}. A TX slot is a {@code tpacket3_hdr} whose {@code tp_status} the user sets to
 * {@code TP_STATUS_SEND_REQUEST} (release) after writing the frame at offset 48; the kernel sets it back to
 * {@code TP_STATUS_AVAILABLE} once sent. Nothing is allocated per packet.
 *
 * <p>Owned by one worker thread; only {@link #close()} may be called from another thread after the worker stopped.
 */
public final class TpacketV3Port implements IoPort {

    /** {@code PACKET_FANOUT_HASH}: by the kernel's flow hash. */
    public static final int FANOUT_HASH = 0;
    /** {@code PACKET_FANOUT_CPU}: by the receiving CPU. */
    public static final int FANOUT_CPU = 2;
    /** {@code PACKET_FANOUT_CBPF}: by a classic BPF program ({@link #PACKET_FANOUT_DATA}). */
    public static final int FANOUT_CBPF = 6;
    /** {@code PACKET_FANOUT_DATA} socket option. */
    public static final int PACKET_FANOUT_DATA = 22;
    /** {@code PACKET_OUTGOING}: a frame this host sent. */
    public static final int PACKET_OUTGOING = 4;

    static final int TP_STATUS_KERNEL = 0;
    static final int TP_STATUS_USER = 1;
    static final int TP_STATUS_AVAILABLE = 0;
    static final int TP_STATUS_SEND_REQUEST = 1;
    static final int TP_STATUS_SENDING = 2;
    static final int TP_STATUS_WRONG_FORMAT = 4;
    /** RX {@code tp_status} bit: the frame's transport checksum is partial (CHECKSUM_PARTIAL: left to offload). */
    static final int TP_STATUS_CSUMNOTREADY = 1 << 3;
    /** RX {@code tp_status} bit: the kernel took an 802.1Q/802.1ad tag off the frame; it is in {@code tp_vlan_tci}. */
    static final int TP_STATUS_VLAN_VALID = 1 << 4;
    /** RX {@code tp_status} bit: {@code tp_vlan_tpid} holds the removed tag's TPID. */
    static final int TP_STATUS_VLAN_TPID_VALID = 1 << 6;

    // struct tpacket_block_desc
    static final int BLOCK_STATUS = 8;
    static final int BLOCK_NUM_PKTS = 12;
    static final int BLOCK_FIRST_PKT = 16;
    // struct tpacket3_hdr
    static final int H3_NEXT_OFFSET = 0;
    static final int H3_SNAPLEN = 12;
    static final int H3_LEN = 16;
    static final int H3_STATUS = 20;
    static final int H3_MAC = 24;
    /** {@code hv1.tp_vlan_tci}. */
    static final int H3_VLAN_TCI = 32;
    /** {@code hv1.tp_vlan_tpid}. */
    static final int H3_VLAN_TPID = 36;
    static final int H3_LENGTH = 48;
    /** sockaddr_ll after the header: sll_pkttype. */
    static final int SLL_PKTTYPE = H3_LENGTH + 10;
    /** End of the {@code sockaddr_ll} after the RX header: the bytes from here to {@code tp_mac} are spare. */
    static final int SLL_END = H3_LENGTH + 20;
    /** Where a TX frame's bytes start in its slot (TPACKET3_HDRLEN - sizeof(sockaddr_ll)). */
    static final int TX_DATA = 48;

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfShort S = ValueLayout.JAVA_SHORT;

    private final String ifName;
    private final int ifindex;
    private final LinuxSocket socket;
    private final MemorySegment map;
    private final MemorySegment rx;
    private final MemorySegment tx;
    private final int blockSize;
    private final int blockCount;
    private final int txFrameSize;
    private final int txFrameCount;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment empty = arena.allocate(8);

    private int block;
    private int remainingInBlock = -1;
    private long packetOffset;
    private int txHead;
    private int txPending;
    private long txDropped;
    private long txErrors;
    private long rxPackets;
    private long outgoingIgnored;
    private long truncated;
    private long checksumsCompleted;
    private long vlanRestored;
    private long vlanNoRoom;

    private TpacketV3Port(String ifName, int ifindex, LinuxSocket socket, MemorySegment map, int blockSize,
                          int blockCount, int txFrameSize, int txFrameCount) {
        this.ifName = ifName;
        this.ifindex = ifindex;
        this.socket = socket;
        this.map = map;
        this.blockSize = blockSize;
        this.blockCount = blockCount;
        this.txFrameSize = txFrameSize;
        this.txFrameCount = txFrameCount;
        long rxBytes = (long) blockSize * blockCount;
        this.rx = map.asSlice(0, rxBytes);
        this.tx = map.asSlice(rxBytes, (long) txFrameSize * txFrameCount);
    }

    /**
     * Opens the socket in the calling thread's network namespace, sets TPACKET_V3, maps the rings and binds it to
     * {@code ifName}; joins fanout group {@code fanoutGroup} with {@code fanoutMode} when {@code fanoutGroup >= 0}.
     * {@code blockSize} must be a multiple of the page size; {@code retireMs} bounds how long a partly filled RX block
     * waits for more frames.
     *
     * @throws NativeException naming the call, errno and interface when the kernel refuses a step
     */
    public static TpacketV3Port open(String ifName, int ifindex, int blockSize, int blockCount, int retireMs,
                                     int txFrameSize, int txBlockCount, int fanoutGroup, int fanoutMode) {
        LinuxSocket s = LinuxSocket.packet(LinuxSocket.ETH_P_ALL);
        MemorySegment map = null;
        try (Arena a = Arena.ofConfined()) {
            s.setInt(LinuxSocket.SOL_PACKET, LinuxSocket.PACKET_VERSION, LinuxSocket.TPACKET_V3);
            s.setInt(LinuxSocket.SOL_PACKET, LinuxSocket.PACKET_QDISC_BYPASS, 1);
            s.setInt(LinuxSocket.SOL_PACKET, LinuxSocket.PACKET_IGNORE_OUTGOING, 1);
            MemorySegment req = a.allocate(28, 4);
            // struct tpacket_req3 for RX
            req.set(I, 0, blockSize);
            req.set(I, 4, blockCount);
            req.set(I, 8, 2048);
            req.set(I, 12, blockSize / 2048 * blockCount);
            req.set(I, 16, retireMs);
            req.set(I, 20, 0);
            req.set(I, 24, 0);
            s.setOption(LinuxSocket.SOL_PACKET, LinuxSocket.PACKET_RX_RING, req);
            // TX: frame-based, retire/priv/feature must be zero
            int framesPerBlock = blockSize / txFrameSize;
            req.fill((byte) 0);
            req.set(I, 0, blockSize);
            req.set(I, 4, txBlockCount);
            req.set(I, 8, txFrameSize);
            req.set(I, 12, framesPerBlock * txBlockCount);
            s.setOption(LinuxSocket.SOL_PACKET, LinuxSocket.PACKET_TX_RING, req);
            long total = (long) blockSize * blockCount + (long) blockSize * txBlockCount;
            map = s.mmap(total, 0);
            s.bind(SockAddr.packet(LinuxSocket.ETH_P_ALL, ifindex, null));
            if (fanoutGroup >= 0) {
                s.setInt(LinuxSocket.SOL_PACKET, LinuxSocket.PACKET_FANOUT, (fanoutMode << 16) | (fanoutGroup & 0xffff));
            }
            s.nonBlocking(true);
            return new TpacketV3Port(ifName, ifindex, s, map, blockSize, blockCount, txFrameSize,
                    framesPerBlock * txBlockCount);
        } catch (RuntimeException e) {
            if (map != null) {
                Mmap.unmap(map);
            }
            s.close();
            throw e;
        }
    }

    @Override
    public int fd() {
        return socket.fd();
    }

    @Override
    public String ifName() {
        return ifName;
    }

    /** The interface index. */
    public int ifindex() {
        return ifindex;
    }

    /** The socket (for poll and socket options such as {@link #PACKET_FANOUT_DATA}). */
    public LinuxSocket socket() {
        return socket;
    }

    /**
     * Hands up to {@code limit} received frames to {@code handler} in place, releasing each block to the kernel once
     * all its frames were handled. Frames this host sent are skipped. Returns the number handled.
     */
    @Override
    public int receive(FrameHandler handler, int limit) {
        int n = 0;
        while (n < limit) {
            long base = (long) block * blockSize;
            if (remainingInBlock < 0) {
                int status = (int) INT.getAcquire(rx, base + BLOCK_STATUS);
                if ((status & TP_STATUS_USER) == 0) {
                    break;
                }
                remainingInBlock = rx.get(I, base + BLOCK_NUM_PKTS);
                packetOffset = base + rx.get(I, base + BLOCK_FIRST_PKT);
            }
            while (remainingInBlock > 0 && n < limit) {
                long p = packetOffset;
                int snap = rx.get(I, p + H3_SNAPLEN);
                int mac = Short.toUnsignedInt(rx.get(S, p + H3_MAC));
                int next = rx.get(I, p + H3_NEXT_OFFSET);
                remainingInBlock--;
                packetOffset = p + next;
                if (Byte.toUnsignedInt(rx.get(ValueLayout.JAVA_BYTE, p + SLL_PKTTYPE)) == PACKET_OUTGOING) {
                    outgoingIgnored++;
                    continue;
                }
                if (rx.get(I, p + H3_LEN) != snap) {
                    truncated++; // larger than the ring's frame budget (GRO/LRO aggregate): cannot be forwarded
                    continue;
                }
                rxPackets++;
                n++;
                int status = rx.get(I, p + H3_STATUS);
                long frame = p + mac;
                int length = snap;
                if ((status & TP_STATUS_VLAN_VALID) != 0 && snap >= 14) {
                    if (mac - 4 >= SLL_END) {
                        frame = restoreVlanTag(rx, p, frame, status);
                        length += 4;
                        vlanRestored++;
                    } else {
                        vlanNoRoom++; // cannot happen with the kernel's layout (14 spare bytes before tp_mac)
                        continue;
                    }
                }
                if ((status & TP_STATUS_CSUMNOTREADY) != 0 && completeChecksum(rx, frame, length)) {
                    checksumsCompleted++;
                }
                handler.onFrame(rx, frame, length);
            }
            if (remainingInBlock == 0) {
                INT.setRelease(rx, base + BLOCK_STATUS, TP_STATUS_KERNEL);
                remainingInBlock = -1;
                block = block + 1 == blockCount ? 0 : block + 1;
            }
        }
        return n;
    }

    /**
     * Puts back the VLAN tag the kernel took off a received frame (an AF_PACKET socket sees frames after
     * {@code skb_vlan_untag}; the tag is only in {@code tp_vlan_tci}), so what the dataplane forwards keeps its VLAN:
     * the two MAC addresses move 4 bytes down into the slot's spare room before {@code tp_mac} and the tag (TPID from
     * {@code tp_vlan_tpid} when valid, else 802.1Q) goes between them and the EtherType. Returns the frame's new start.
     */
    static long restoreVlanTag(MemorySegment seg, long header, long frame, int status) {
        int tpid = (status & TP_STATUS_VLAN_TPID_VALID) != 0
                ? Short.toUnsignedInt(seg.get(S, header + H3_VLAN_TPID)) : 0x8100;
        int tci = seg.get(I, header + H3_VLAN_TCI) & 0xFFFF;
        long start = frame - 4;
        MemorySegment.copy(seg, frame, seg, start, 12);
        seg.set(ValueLayout.JAVA_BYTE, start + 12, (byte) (tpid >>> 8));
        seg.set(ValueLayout.JAVA_BYTE, start + 13, (byte) tpid);
        seg.set(ValueLayout.JAVA_BYTE, start + 14, (byte) (tci >>> 8));
        seg.set(ValueLayout.JAVA_BYTE, start + 15, (byte) tci);
        return start;
    }

    /** Received frames whose VLAN tag was put back ({@link #restoreVlanTag}). */
    public long vlanRestored() {
        return vlanRestored;
    }

    /** Received tagged frames dropped because their slot had no room to put the tag back (never with Linux's layout). */
    public long vlanDropped() {
        return vlanNoRoom;
    }

    /**
     * Completes the transport checksum of a frame the kernel marked {@code TP_STATUS_CSUMNOTREADY}: a sender on this
     * host (a container's veth, a guest's virtio-net) left it to offload, so the field holds only the folded
     * pseudo-header sum and forwarding the frame as it is would put a bad checksum on the wire. Handles TCP and UDP
     * over IPv4 (unfragmented) and IPv6 (no extension header), behind at most one 802.1Q tag. Returns whether it did.
     */
    static boolean completeChecksum(MemorySegment seg, long frame, int length) {
        long l3 = frame + 14;
        int type = u16(seg, frame + 12);
        if (type == 0x8100 && length >= 18) {
            type = u16(seg, frame + 16);
            l3 += 4;
        }
        long end = frame + length;
        long l4;
        int proto;
        long l4len;
        if (type == 0x0800 && l3 + 20 <= end) {
            int ihl = (seg.get(ValueLayout.JAVA_BYTE, l3) & 0x0F) * 4;
            if ((u16(seg, l3 + 6) & 0x3FFF) != 0 || ihl < 20) {
                return false; // a fragment: never partial
            }
            proto = seg.get(ValueLayout.JAVA_BYTE, l3 + 9) & 0xFF;
            l4 = l3 + ihl;
            l4len = u16(seg, l3 + 2) - ihl;
        } else if (type == 0x86DD && l3 + 40 <= end) {
            proto = seg.get(ValueLayout.JAVA_BYTE, l3 + 6) & 0xFF;
            l4 = l3 + 40;
            l4len = u16(seg, l3 + 4);
        } else {
            return false;
        }
        int field;
        if (proto == 6) {
            field = 16;
        } else if (proto == 17) {
            field = 6;
        } else {
            return false;
        }
        if (l4len < field + 2 || l4 + l4len > end) {
            return false;
        }
        // the field holds the folded pseudo-header sum: summing the segment with it gives the full sum
        int c = InternetChecksum.compute(seg, l4, (int) l4len, 0);
        if (c == 0 && proto == 17) {
            c = 0xFFFF;
        }
        seg.set(ValueLayout.JAVA_BYTE, l4 + field, (byte) (c >>> 8));
        seg.set(ValueLayout.JAVA_BYTE, l4 + field + 1, (byte) c);
        return true;
    }

    private static int u16(MemorySegment seg, long at) {
        return ((seg.get(ValueLayout.JAVA_BYTE, at) & 0xFF) << 8) | (seg.get(ValueLayout.JAVA_BYTE, at + 1) & 0xFF);
    }

    /**
     * Received frames whose transport checksum was partial (left to offload by a sender on this host) and was
     * completed before forwarding.
     */
    public long checksumsCompleted() {
        return checksumsCompleted;
    }

    /** Whether the next RX block is ready (for an idle strategy deciding to keep spinning). */
    public boolean rxReady() {
        return remainingInBlock > 0
                || ((int) INT.getAcquire(rx, (long) block * blockSize + BLOCK_STATUS) & TP_STATUS_USER) != 0;
    }

    /**
     * Copies a frame into the next free TX slot and marks it for sending (release). Returns false and counts a drop
     * when the ring is full or the frame does not fit. Call {@link #flush()} after a batch.
     */
    @Override
    public boolean transmit(MemorySegment src, long offset, int length) {
        if (length > txFrameSize - TX_DATA) {
            txDropped++;
            return false;
        }
        long slot = (long) txHead * txFrameSize;
        int status = (int) INT.getAcquire(tx, slot + H3_STATUS);
        if (status == TP_STATUS_WRONG_FORMAT) {
            txErrors++;
        } else if (status != TP_STATUS_AVAILABLE) {
            flush();
            txDropped++;
            return false;
        }
        MemorySegment.copy(src, offset, tx, slot + TX_DATA, length);
        tx.set(I, slot + H3_NEXT_OFFSET, 0);
        tx.set(I, slot + H3_LEN, length);
        tx.set(I, slot + H3_SNAPLEN, length);
        INT.setRelease(tx, slot + H3_STATUS, TP_STATUS_SEND_REQUEST);
        txHead = txHead + 1 == txFrameCount ? 0 : txHead + 1;
        txPending++;
        return true;
    }

    /** Asks the kernel to send the queued TX slots ({@code send(fd, NULL, 0, MSG_DONTWAIT)}). Returns how many. */
    @Override
    public int flush() {
        int pending = txPending;
        if (pending == 0) {
            return 0;
        }
        txPending = 0;
        try {
            socket.sendTo(empty, 0, 0, LinuxSocket.MSG_DONTWAIT, null);
        } catch (NativeException e) {
            txErrors++; // ENOBUFS and the like: the slots stay queued and go with the next kick
            txPending = pending;
        }
        return pending;
    }

    /** Frames received (outgoing frames excluded). */
    @Override
    public long rxPackets() {
        return rxPackets;
    }

    /** Frames dropped because the TX ring was full or the frame too long. */
    @Override
    public long txDropped() {
        return txDropped;
    }

    /** TX errors (kick failures, slots the kernel marked wrong format). */
    public long txErrors() {
        return txErrors;
    }

    /**
     * Frames dropped because the kernel handed over more than fits a ring frame: GRO/LRO aggregates on a real NIC
     * (turn them off on dataplane interfaces, {@code ethtool -K IF gro off lro off}).
     */
    public long truncated() {
        return truncated;
    }

    /** Outgoing frames skipped. */
    public long outgoingIgnored() {
        return outgoingIgnored;
    }

    /** Closes the socket and unmaps the rings. Call after the worker stopped. */
    @Override
    public void close() {
        if (socket.isOpen()) {
            socket.close();
            Mmap.unmap(map);
            arena.close();
        }
    }

    @Override
    public String toString() {
        return "AF_PACKET TPACKET_V3 port on " + ifName;
    }
}

package io.fulcrum.dataplane.io.packet;

import io.fulcrum.netlink.LinuxSocket;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The classic-BPF program that spreads an interface's frames over the workers' AF_PACKET sockets
 * ({@code PACKET_FANOUT_CBPF}; the kernel takes the program's result modulo the number of sockets, which join in
 * worker order). It keeps both halves of a FullNAT or NAT connection on the worker that owns it: a TCP/UDP packet whose
 * destination port lies in the local-port range goes by that port (a reply to a FullNAT local port {@code p} reaches
 * worker {@code p mod W}, the worker that allocated it; a NAT reply to a client port reaches the worker the client's
 * packets went to), any other TCP/UDP packet goes by its source port, everything else to worker 0. Offsets are taken
 * from the network header ({@code SKF_NET_OFF}) and the EtherType from {@code SKF_AD_PROTOCOL}, so the program does not
 * depend on where the frame starts.
 *
 * <p>Stateless; called on the thread that opens the ports.
 */
public final class FanoutSteering {

    private static final int SKF_AD_OFF = -0x1000;
    private static final int SKF_AD_PROTOCOL = 0;
    private static final int SKF_NET_OFF = -0x100000;
    private static final int LD_H_ABS = 0x28;
    private static final int LD_B_ABS = 0x30;
    private static final int ALU_AND_K = 0x54;
    private static final int JEQ_K = 0x15;
    private static final int JGE_K = 0x35;
    private static final int JGT_K = 0x25;
    private static final int JSET_K = 0x45;
    private static final int RET_K = 0x06;
    private static final int RET_A = 0x16;

    private FanoutSteering() {
    }

    /** The program as {code, jt, jf, k} rows, for ports {@code portMin..portMax}. */
    static int[][] program(int portMin, int portMax) {
        int net = SKF_NET_OFF;
        Object[][] src = {
            {null, LD_H_ABS, null, null, SKF_AD_OFF + SKF_AD_PROTOCOL},
            {null, JEQ_K, "v4", "v6chk", 0x0800},
            {"v4", LD_B_ABS, null, null, net},                  // version and IHL
            {null, ALU_AND_K, null, null, 0x0f},
            {null, JEQ_K, "v4a", "ret0", 5},                    // IP options: worker 0
            {"v4a", LD_H_ABS, null, null, net + 6},
            {null, JSET_K, "ret0", "v4b", 0x1fff},             // a later fragment has no ports
            {"v4b", LD_B_ABS, null, null, net + 9},
            {null, JEQ_K, "v4p", "v4u", 6},
            {"v4u", JEQ_K, "v4p", "ret0", 17},
            {"v4p", LD_H_ABS, null, null, net + 22},            // destination port
            {null, JGE_K, "v4m", "v4s", portMin},
            {"v4m", JGT_K, "v4s", "v4ret", portMax},
            {"v4s", LD_H_ABS, null, null, net + 20},            // source port
            {"v4ret", RET_A, null, null, 0},
            {"v6chk", JEQ_K, "v6", "ret0", 0x86DD},
            {"v6", LD_B_ABS, null, null, net + 6},              // next header (no extension headers)
            {null, JEQ_K, "v6p", "v6u", 6},
            {"v6u", JEQ_K, "v6p", "ret0", 17},
            {"v6p", LD_H_ABS, null, null, net + 42},
            {null, JGE_K, "v6m", "v6s", portMin},
            {"v6m", JGT_K, "v6s", "v6ret", portMax},
            {"v6s", LD_H_ABS, null, null, net + 40},
            {"v6ret", RET_A, null, null, 0},
            {"ret0", RET_K, null, null, 0},
        };
        java.util.Map<String, Integer> at = new java.util.HashMap<>();
        for (int i = 0; i < src.length; i++) {
            if (src[i][0] != null) {
                at.put((String) src[i][0], i);
            }
        }
        int[][] rows = new int[src.length][];
        for (int i = 0; i < src.length; i++) {
            int jt = src[i][2] == null ? 0 : at.get((String) src[i][2]) - i - 1;
            int jf = src[i][3] == null ? 0 : at.get((String) src[i][3]) - i - 1;
            if (jt < 0 || jf < 0) {
                throw new IllegalStateException("classic BPF jumps only forward (row " + i + ")");
            }
            rows[i] = new int[] {(Integer) src[i][1], jt, jf, (Integer) src[i][4]};
        }
        return rows;
    }

    /** Attaches the program to a socket that joined a {@code PACKET_FANOUT_CBPF} group. */
    public static void attach(LinuxSocket socket, int portMin, int portMax) {
        int[][] rows = program(portMin, portMax);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment filter = a.allocate(8L * rows.length, 8);
            for (int i = 0; i < rows.length; i++) {
                filter.set(ValueLayout.JAVA_SHORT, 8L * i, (short) rows[i][0]);
                filter.set(ValueLayout.JAVA_BYTE, 8L * i + 2, (byte) rows[i][1]);
                filter.set(ValueLayout.JAVA_BYTE, 8L * i + 3, (byte) rows[i][2]);
                filter.set(ValueLayout.JAVA_INT, 8L * i + 4, rows[i][3]);
            }
            MemorySegment prog = a.allocate(16, 8);
            prog.set(ValueLayout.JAVA_SHORT, 0, (short) rows.length);
            prog.set(ValueLayout.JAVA_LONG, 8, filter.address());
            socket.setOption(LinuxSocket.SOL_PACKET, TpacketV3Port.PACKET_FANOUT_DATA, prog);
        }
    }
}

package io.fulcrum.dataplane.io.xdp;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A tiny assembler for eBPF instructions (the kernel's {@code Documentation/bpf/standardization/instruction-set.rst}):
 * 64-bit ALU and moves, memory loads and stores, conditional jumps to named labels, helper calls, map-fd loads
 * ({@code ld_imm64} with {@code BPF_PSEUDO_MAP_FD}) and exit. Each instruction is 8 bytes: opcode, registers
 * (destination in the low nibble, source in the high), a signed 16-bit offset and a signed 32-bit immediate, little
 * endian.
 *
 * <p>Used on one thread to build a program once; not thread-safe.
 */
public final class BpfAssembler {

    /** Registers. */
    public static final int R0 = 0;
    /** Argument 1 / context on entry. */
    public static final int R1 = 1;
    /** Argument 2. */
    public static final int R2 = 2;
    /** Argument 3. */
    public static final int R3 = 3;
    /** Argument 4. */
    public static final int R4 = 4;
    /** Argument 5. */
    public static final int R5 = 5;
    /** Callee-saved. */
    public static final int R6 = 6;
    /** Callee-saved. */
    public static final int R7 = 7;
    /** Callee-saved. */
    public static final int R8 = 8;
    /** Callee-saved. */
    public static final int R9 = 9;
    /** Frame pointer (read-only). */
    public static final int R10 = 10;

    /** Size: 32-bit word. */
    public static final int W = 0x00;
    /** Size: 16-bit half word. */
    public static final int H = 0x08;
    /** Size: byte. */
    public static final int B = 0x10;
    /** Size: 64-bit double word. */
    public static final int DW = 0x18;

    /** Jump: equal. */
    public static final int JEQ = 0x10;
    /** Jump: unsigned greater than. */
    public static final int JGT = 0x20;
    /** Jump: unsigned greater or equal. */
    public static final int JGE = 0x30;
    /** Jump: not equal. */
    public static final int JNE = 0x50;
    /** Jump: unsigned less than. */
    public static final int JLT = 0xa0;

    /** Helper {@code bpf_map_lookup_elem}. */
    public static final int FN_MAP_LOOKUP_ELEM = 1;
    /** Helper {@code bpf_redirect}. */
    public static final int FN_REDIRECT = 23;
    /** Helper {@code bpf_redirect_map}. */
    public static final int FN_REDIRECT_MAP = 51;

    private static final int LDX = 0x01;
    private static final int STX = 0x03;
    private static final int ALU64 = 0x07;
    private static final int JMP = 0x05;
    private static final int MEM = 0x60;
    private static final int K = 0x00;
    private static final int X = 0x08;
    private static final int ADD = 0x00;
    private static final int AND = 0x50;
    private static final int MOV = 0xb0;
    private static final int CALL = 0x80;
    private static final int EXIT = 0x90;
    private static final int PSEUDO_MAP_FD = 1;

    private final List<long[]> insns = new ArrayList<>(); // {opcode, dst, src, off, imm}
    private final Map<String, Integer> labels = new HashMap<>();
    private final Map<Integer, String> fixups = new HashMap<>();

    /** Creates an empty program. */
    public BpfAssembler() {
    }

    private BpfAssembler emit(int opcode, int dst, int src, int off, int imm) {
        insns.add(new long[] {opcode, dst, src, off, imm});
        return this;
    }

    /** Defines {@code name} at the next instruction. */
    public BpfAssembler label(String name) {
        if (labels.put(name, insns.size()) != null) {
            throw new IllegalArgumentException("label " + name + " defined twice");
        }
        return this;
    }

    /** {@code dst = imm} (64-bit). */
    public BpfAssembler movImm(int dst, int imm) {
        return emit(ALU64 | MOV | K, dst, 0, 0, imm);
    }

    /** {@code dst = src} (64-bit). */
    public BpfAssembler movReg(int dst, int src) {
        return emit(ALU64 | MOV | X, dst, src, 0, 0);
    }

    /** {@code dst += imm} (64-bit). */
    public BpfAssembler addImm(int dst, int imm) {
        return emit(ALU64 | ADD | K, dst, 0, 0, imm);
    }

    /** {@code dst &= imm} (64-bit). */
    public BpfAssembler andImm(int dst, int imm) {
        return emit(ALU64 | AND | K, dst, 0, 0, imm);
    }

    /** {@code dst = *(size *)(src + off)}. */
    public BpfAssembler load(int size, int dst, int src, int off) {
        return emit(LDX | MEM | size, dst, src, off, 0);
    }

    /** {@code *(size *)(dst + off) = src}. */
    public BpfAssembler store(int size, int dst, int off, int src) {
        return emit(STX | MEM | size, dst, src, off, 0);
    }

    /** {@code if (dst OP imm) goto label}. */
    public BpfAssembler jumpImm(int op, int dst, int imm, String label) {
        fixups.put(insns.size(), label);
        return emit(JMP | op | K, dst, 0, 0, imm);
    }

    /** {@code if (dst OP src) goto label}. */
    public BpfAssembler jumpReg(int op, int dst, int src, String label) {
        fixups.put(insns.size(), label);
        return emit(JMP | op | X, dst, src, 0, 0);
    }

    /** {@code goto label}. */
    public BpfAssembler jump(String label) {
        fixups.put(insns.size(), label);
        return emit(JMP, 0, 0, 0, 0);
    }

    /** {@code dst = map} ({@code ld_imm64} with {@code BPF_PSEUDO_MAP_FD}; two instruction slots). */
    public BpfAssembler loadMapFd(int dst, int mapFd) {
        emit(0x18, dst, PSEUDO_MAP_FD, 0, mapFd);
        return emit(0, 0, 0, 0, 0);
    }

    /** Calls helper {@code id}. */
    public BpfAssembler call(int id) {
        return emit(JMP | CALL, 0, 0, 0, id);
    }

    /** Returns {@code r0}. */
    public BpfAssembler exit() {
        return emit(JMP | EXIT, 0, 0, 0, 0);
    }

    /** Number of instruction slots. */
    public int size() {
        return insns.size();
    }

    /** Resolves the labels and writes the program into {@code out} (8 bytes per slot); returns the slot count. */
    public int assemble(MemorySegment out) {
        for (int i = 0; i < insns.size(); i++) {
            long[] in = insns.get(i);
            int off = (int) in[3];
            String target = fixups.get(i);
            if (target != null) {
                Integer at = labels.get(target);
                if (at == null) {
                    throw new IllegalStateException("undefined label " + target);
                }
                off = at - (i + 1);
                if (off < Short.MIN_VALUE || off > Short.MAX_VALUE) {
                    throw new IllegalStateException("jump to " + target + " out of range");
                }
            }
            long base = 8L * i;
            out.set(ValueLayout.JAVA_BYTE, base, (byte) in[0]);
            out.set(ValueLayout.JAVA_BYTE, base + 1, (byte) ((in[1] & 0xf) | ((in[2] & 0xf) << 4)));
            out.set(ValueLayout.JAVA_SHORT_UNALIGNED, base + 2, (short) off);
            out.set(ValueLayout.JAVA_INT_UNALIGNED, base + 4, (int) in[4]);
        }
        return insns.size();
    }
}

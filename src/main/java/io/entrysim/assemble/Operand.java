package io.entrysim.assemble;

/**
 * A resolved operand of a decoded instruction: every symbol and expression already folded to
 * numbers. Sizes are in bytes (1, 2, 4, 8).
 */
public sealed interface Operand permits Operand.Gpr, Operand.Imm, Operand.Mem, Operand.Cr {

    /**
     * A general-purpose register. {@code reg} is the hardware number ({@link io.entrysim.cpu.Reg});
     * {@code highByte} marks %ah/%ch/%dh/%bh (then {@code reg} is 0..3 and size 1).
     */
    record Gpr(int reg, int size, boolean highByte) implements Operand {
        /** The AT&amp;T name ("rax", "r9d", "ah"), for messages and traces. */
        public String name() {
            return io.entrysim.isa.RegisterNames.gprName(reg, size, highByte);
        }
    }

    /** An immediate, already sign- or zero-extended to 64 bits as the instruction form requires. */
    record Imm(long value) implements Operand {}

    /**
     * A memory operand. {@code seg} is {@link #SEG_NONE}, {@link #SEG_FS} or {@link #SEG_GS}
     * (other segments have base 0 in long mode); {@code base}/{@code index} are register numbers
     * or {@link #NO_REG}; a RIP-relative operand is already folded into an absolute {@code disp}
     * with {@code base == NO_REG} and {@code ripRelative} set (kept for display only).
     */
    record Mem(int seg, int base, int index, int scale, long disp, boolean ripRelative) implements Operand {
        public static final int NO_REG = -1;
        public static final int SEG_NONE = 0, SEG_FS = 1, SEG_GS = 2;
    }

    /** A control register %crN (0, 2, 3, 4, 8). */
    record Cr(int n) implements Operand {}
}

package io.entrysim.assemble;

/**
 * A resolved operand of a decoded instruction: every symbol and expression already folded to
 * numbers. Sizes are in bytes (1, 2, 4, 8).
 */
public sealed interface Operand permits Operand.Gpr, Operand.Imm, Operand.Mem, Operand.Cr, Operand.Sreg {

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

    /** A segment register, by its ModRM.reg number: 0 %es, 1 %cs, 2 %ss, 3 %ds, 4 %fs, 5 %gs. */
    record Sreg(int n) implements Operand {
        public static final int ES = 0, CS = 1, SS = 2, DS = 3, FS = 4, GS = 5;
        private static final String[] NAMES = {"es", "cs", "ss", "ds", "fs", "gs"};

        /** The number of segment register {@code name} ("ss"), or -1. */
        public static int number(String name) {
            return java.util.Arrays.asList(NAMES).indexOf(name);
        }

        public String name() {
            return NAMES[n];
        }
    }
}

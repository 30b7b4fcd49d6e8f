package io.entrysim.cpu;

import io.entrysim.isa.RegisterNames;

/** General-purpose register numbers, in hardware encoding order (the ModRM/REX numbering). */
public final class Reg {
    private Reg() {}

    public static final int RAX = 0, RCX = 1, RDX = 2, RBX = 3, RSP = 4, RBP = 5, RSI = 6, RDI = 7;
    public static final int R8 = 8, R9 = 9, R10 = 10, R11 = 11, R12 = 12, R13 = 13, R14 = 14, R15 = 15;
    public static final int COUNT = RegisterNames.GPR_COUNT;

    /** The order gdb's {@code info registers} prints them in. */
    public static final int[] GDB_ORDER = {
        RAX, RBX, RCX, RDX, RSI, RDI, RBP, RSP, R8, R9, R10, R11, R12, R13, R14, R15};

    /** The 64-bit name of register {@code reg} ("rax", "r8"). */
    public static String name64(int reg) {
        return RegisterNames.name64(reg);
    }

    /** Number of a 64-bit register name without {@code %} ("rax", "r8"), or -1. */
    public static int byName64(String name) {
        return RegisterNames.number64(name);
    }
}

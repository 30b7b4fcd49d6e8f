package io.entrysim.assemble;

import io.entrysim.cpu.Reg;

/**
 * One instruction's encoding being put together, field by field, and laid out in gas's order:
 * prefixes that stood alone on the lines before, segment override, 0x66, a mandatory/repeat 0xf3, lock, REX, opcode, ModRM, SIB, displacement,
 * immediate. The ModRM/SIB of a memory operand is chosen here as gas chooses it: the shortest
 * displacement for a constant (none, disp8, disp32; %rbp/%r13 need at least disp8), disp32 for a
 * symbolic one, a SIB for %rsp/%r12 and for an address without base (no bare disp32 form in
 * 64-bit mode: that one means RIP-relative).
 */
final class InsnBytes {
    private int segment;
    private boolean operandSize;
    private boolean repeat;
    private boolean lock;
    /** Prefixes written alone on the lines before: gas emits each where it stands, so first. */
    private int standaloneLocks;
    private boolean rexW;
    private int rexR, rexX, rexB;
    private boolean rexNeeded;
    private final byte[] opcode = new byte[3];
    private int opcodeLength;
    private boolean modrm;
    private int mod, reg, rm;
    private boolean sib;
    private int scaleBits, index, base;
    private int dispSize;
    private long disp;
    /** RIP-relative with a symbolic displacement: {@link #disp} is the target's address. */
    private boolean ripTarget;
    private int immSize;
    private long imm;

    InsnBytes opcode(int... bytes) {
        for (int b : bytes) {
            opcode[opcodeLength++] = (byte) b;
        }
        return this;
    }

    void operandSize16() {
        operandSize = true;
    }

    /** The operand-size prefix for 16 bits, REX.W for 64 (8-bit and 32-bit need neither). */
    void size(int size) {
        if (size == 2) {
            operandSize = true;
        } else if (size == 8) {
            rexW = true;
        }
    }

    void rexW() {
        rexW = true;
    }

    void repeat() {
        repeat = true;
    }

    void lock() {
        lock = true;
    }

    void standaloneLock() {
        standaloneLocks++;
    }

    /** The segment override byte (0x2e, 0x36, 0x3e, 0x26, 0x64, 0x65), 0 for none. */
    void segment(int prefix) {
        segment = prefix;
    }

    /** The ModRM reg field: a register number (0..15, REX.R above 7) or an opcode extension /digit. */
    void reg(int number) {
        modrm = true;
        reg = number & 7;
        rexR = number >> 3;
    }

    void reg(Operand.Gpr g) {
        reg(number(g));
        byteRegister(g);
    }

    /** A register as the r/m operand (mod 11). */
    void rmRegister(Operand.Gpr g) {
        modrm = true;
        mod = 3;
        rm = number(g) & 7;
        rexB = number(g) >> 3;
        byteRegister(g);
    }

    /** A register in the opcode's low three bits (push, pop, mov $imm, xchg with the accumulator). */
    void opcodeRegister(Operand.Gpr g) {
        opcode[opcodeLength - 1] = (byte) (opcode[opcodeLength - 1] + (number(g) & 7));
        rexB = number(g) >> 3;
        byteRegister(g);
    }

    /** The register's number in an encoding: %ah, %ch, %dh, %bh are 4..7 (without REX). */
    private static int number(Operand.Gpr g) {
        return g.highByte() ? g.reg() + 4 : g.reg();
    }

    /** %spl, %bpl, %sil, %dil exist only with a REX prefix (without one they are %ah..%bh). */
    private void byteRegister(Operand.Gpr g) {
        if (g.size() == 1 && !g.highByte() && g.reg() >= Reg.RSP && g.reg() <= Reg.RDI) {
            rexNeeded = true;
        }
    }

    /**
     * A memory r/m operand. {@code symbolic}: the displacement is not a constant known at this
     * point of the source, so gas leaves room for 32 bits whatever its value.
     */
    void rmMemory(Operand.Mem m, boolean symbolic) {
        modrm = true;
        if (m.ripRelative()) {
            mod = 0;
            rm = 5;
            dispSize = 4;
            disp = m.disp();
            ripTarget = true; // the operand holds the address it reaches (a symbol's, or next + a number)
            return;
        }
        disp = m.disp();
        int scale = Integer.numberOfTrailingZeros(m.scale());
        if (m.base() == Operand.Mem.NO_REG) {
            // No base: SIB with base 101 and mod 00 means disp32 alone.
            mod = 0;
            rm = 4;
            sib(scale, m.index(), 5);
            dispSize = 4;
            return;
        }
        int b = m.base();
        if (symbolic) {
            dispSize = 4;
        } else if (disp == 0 && (b & 7) != Reg.RBP) {
            dispSize = 0;
        } else if (disp == (byte) disp) {
            dispSize = 1;
        } else {
            dispSize = 4;
        }
        mod = dispSize == 0 ? 0 : dispSize == 1 ? 1 : 2;
        if (m.index() != Operand.Mem.NO_REG || (b & 7) == Reg.RSP) {
            rm = 4;
            sib(scale, m.index(), b);
        } else {
            rm = b & 7;
            rexB = b >> 3;
        }
    }

    private void sib(int scale, int indexReg, int baseReg) {
        sib = true;
        scaleBits = indexReg == Operand.Mem.NO_REG ? 0 : scale;
        index = indexReg == Operand.Mem.NO_REG ? 4 : indexReg & 7;
        rexX = indexReg == Operand.Mem.NO_REG ? 0 : indexReg >> 3;
        base = baseReg & 7;
        rexB = baseReg >> 3;
    }

    /** A 64-bit absolute address after the opcode (movabs's moffs). */
    void moffs(long address) {
        dispSize = 8;
        disp = address;
    }

    void imm(long value, int size) {
        imm = value;
        immSize = size;
    }

    int length() {
        int n = standaloneLocks + opcodeLength + dispSize + immSize;
        n += (segment != 0 ? 1 : 0) + (operandSize ? 1 : 0) + (repeat ? 1 : 0) + (lock ? 1 : 0) + (hasRex() ? 1 : 0);
        n += (modrm ? 1 : 0) + (sib ? 1 : 0);
        return n;
    }

    private boolean hasRex() {
        return rexW || rexR != 0 || rexX != 0 || rexB != 0 || rexNeeded;
    }

    /**
     * The bytes; {@code address} is where the instruction starts (a symbolic RIP-relative
     * displacement is the target less the address of the next instruction).
     */
    byte[] bytes(long address) {
        byte[] out = new byte[length()];
        int n = 0;
        for (int i = 0; i < standaloneLocks; i++) {
            out[n++] = (byte) 0xf0;
        }
        if (segment != 0) {
            out[n++] = (byte) segment;
        }
        if (operandSize) {
            out[n++] = 0x66;
        }
        if (repeat) {
            out[n++] = (byte) 0xf3;
        }
        if (lock) {
            out[n++] = (byte) 0xf0;
        }
        if (hasRex()) {
            out[n++] = (byte) (0x40 | (rexW ? 8 : 0) | rexR << 2 | rexX << 1 | rexB);
        }
        System.arraycopy(opcode, 0, out, n, opcodeLength);
        n += opcodeLength;
        if (modrm) {
            out[n++] = (byte) (mod << 6 | reg << 3 | rm);
        }
        if (sib) {
            out[n++] = (byte) (scaleBits << 6 | index << 3 | base);
        }
        long d = ripTarget ? disp - (address + out.length) : disp;
        if (dispSize == 4 && d != (int) d) {
            throw new Encoder.UnencodableException(String.format(ripTarget
                    ? "RIP-relative target 0x%x is more than 2 GiB from 0x%x" : "displacement 0x%x does not fit 32 bits",
                    ripTarget ? disp : d, address));
        }
        n = little(out, n, d, dispSize);
        little(out, n, imm, immSize);
        return out;
    }

    private static int little(byte[] out, int n, long value, int size) {
        for (int i = 0; i < size; i++) {
            out[n++] = (byte) (value >>> (8 * i));
        }
        return n;
    }
}

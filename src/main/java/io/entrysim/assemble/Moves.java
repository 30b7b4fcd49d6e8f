package io.entrysim.assemble;

import io.entrysim.assemble.Encoding.Request;

/** The data-movement encodings: mov (incl. movabs and control registers), xchg, push and pop. */
final class Moves {
    private Moves() {}

    static void mov(Request r, InsnBytes b) {
        Operand src = r.operands().get(0);
        Operand dst = r.operands().get(1);
        int size = r.size();
        int w = size == 1 ? 0 : 1;
        boolean movabs = r.mnemonic() != null && r.mnemonic().startsWith("movabs");
        if (src instanceof Operand.Sreg s) {
            // 8c /r: 66 only for a 16-bit register destination (a memory destination is a word anyway)
            if (dst instanceof Operand.Gpr g && g.size() == 2) {
                b.operandSize16();
            }
            b.opcode(0x8c).reg(s.n());
            Encoder.rm(b, dst, r);
        } else if (dst instanceof Operand.Sreg s) {
            b.opcode(0x8e).reg(s.n());
            Encoder.rm(b, src, r);
        } else if (src instanceof Operand.Cr cr) {
            b.opcode(0x0f, 0x20).reg(cr.n());
            b.rmRegister((Operand.Gpr) dst);
        } else if (dst instanceof Operand.Cr cr) {
            b.opcode(0x0f, 0x22).reg(cr.n());
            b.rmRegister((Operand.Gpr) src);
        } else if (moffs(r, src, dst, movabs) || moffs(r, dst, src, movabs)) {
            // a0..a3: the accumulator and a 64-bit absolute address
            boolean load = src instanceof Operand.Mem;
            b.size(size);
            b.opcode((load ? 0xa0 : 0xa2) + w);
            b.moffs(((Operand.Mem) (load ? src : dst)).disp());
        } else if (src instanceof Operand.Imm imm && dst instanceof Operand.Gpr g) {
            if (movabs && size != 8) {
                throw new Encoder.UnencodableException("operand type mismatch for `" + r.mnemonic() + "'");
            }
            boolean imm64 = movabs || (size == 8 && !r.immSymbolic() && imm.value() != (int) imm.value());
            b.size(size);
            if (size == 8 && !imm64) {
                b.opcode(0xc7).reg(0);
                b.rmRegister(g);
                b.imm(imm.value(), 4);
            } else {
                b.opcode(size == 1 ? 0xb0 : 0xb8);
                b.opcodeRegister(g);
                b.imm(imm.value(), size);
            }
        } else if (src instanceof Operand.Imm imm) {
            b.size(size);
            b.opcode(0xc6 + w).reg(0);
            Encoder.rm(b, dst, r);
            b.imm(imm.value(), Immediates.full(size));
        } else if (src instanceof Operand.Gpr g) {
            b.size(size);
            b.opcode(0x88 + w).reg(g);
            Encoder.rm(b, dst, r);
        } else {
            Encoder.regMem(b, size, dst, src, r, 0x8a + w);
        }
    }

    /**
     * The moffs form: {@code movabs} between the accumulator and an absolute address, or a plain
     * {@code mov} whose constant absolute address does not fit a sign-extended disp32.
     */
    private static boolean moffs(Request r, Operand mem, Operand reg, boolean movabs) {
        if (!(mem instanceof Operand.Mem m && reg instanceof Operand.Gpr g)) {
            return false;
        }
        boolean absolute = m.base() == Operand.Mem.NO_REG && m.index() == Operand.Mem.NO_REG && !m.ripRelative();
        boolean accumulator = g.reg() == 0 && !g.highByte();
        return absolute && accumulator && (movabs || (!r.dispSymbolic() && m.disp() != (int) m.disp()));
    }

    static void xchg(Request r, InsnBytes b) {
        Operand a = r.operands().get(0);
        Operand c = r.operands().get(1);
        int size = r.size();
        if (a instanceof Operand.Gpr x && c instanceof Operand.Gpr y) {
            boolean viaAccumulator = size != 1 && (x.reg() == 0 || y.reg() == 0)
                    && !(size == 4 && x.reg() == 0 && y.reg() == 0); // xchg %eax,%eax zero-extends: 87 c0
            if (viaAccumulator) {
                Operand.Gpr other = x.reg() == 0 ? y : x;
                if (size == 2) {
                    b.operandSize16();
                } else if (size == 8 && other.reg() != 0) {
                    b.rexW(); // xchg %rax,%rax is the plain 90
                }
                b.opcode(0x90);
                b.opcodeRegister(other);
                return;
            }
            Encoder.regMem(b, size, x, y, r, size == 1 ? 0x86 : 0x87);
            return;
        }
        Operand reg = a instanceof Operand.Gpr ? a : c;
        Operand mem = a instanceof Operand.Gpr ? c : a;
        Encoder.regMem(b, size, reg, mem, r, size == 1 ? 0x86 : 0x87);
    }

    static void pushPop(Request r, InsnBytes b) {
        Operand o = r.operands().get(0);
        boolean push = r.op() == Op.PUSH;
        if (r.size() == 2) {
            b.operandSize16();
        }
        if (o instanceof Operand.Gpr g) {
            b.opcode(push ? 0x50 : 0x58);
            b.opcodeRegister(g);
        } else if (o instanceof Operand.Imm imm) {
            boolean imm8 = Immediates.imm8(r, imm.value(), r.size());
            b.opcode(imm8 ? 0x6a : 0x68);
            b.imm(imm.value(), imm8 ? 1 : Immediates.full(r.size()));
        } else {
            b.opcode(push ? 0xff : 0x8f).reg(push ? 6 : 0);
            Encoder.rm(b, o, r);
        }
    }
}

package io.entrysim.assemble;

import io.entrysim.assemble.Encoding.Request;

/** The ALU, test, unary, shift/rotate and bit-test encodings. Operands in AT&amp;T order. */
final class Arithmetic {
    private Arithmetic() {}

    /** add/or/adc/sbb/and/sub/xor/cmp: {@code n} is the /digit of 0x80..0x83 and the opcode row. */
    static void alu(Request r, InsnBytes b, int n) {
        Operand src = r.operands().get(0);
        Operand dst = r.operands().get(1);
        int size = r.size();
        int w = size == 1 ? 0 : 1;
        b.size(size);
        if (src instanceof Operand.Imm imm) {
            if (size == 1) {
                if (accumulator(dst)) {
                    b.opcode(n * 8 + 4);
                } else {
                    b.opcode(0x80).reg(n);
                    Encoder.rm(b, dst, r);
                }
                b.imm(imm.value(), 1);
            } else if (Immediates.imm8(r, imm.value(), size)) {
                b.opcode(0x83).reg(n);
                Encoder.rm(b, dst, r);
                b.imm(imm.value(), 1);
            } else {
                if (accumulator(dst)) {
                    b.opcode(n * 8 + 5);
                } else {
                    b.opcode(0x81).reg(n);
                    Encoder.rm(b, dst, r);
                }
                b.imm(imm.value(), Immediates.full(size));
            }
        } else if (src instanceof Operand.Gpr g) {
            b.opcode(n * 8 + w).reg(g);
            Encoder.rm(b, dst, r);
        } else {
            b.opcode(n * 8 + 2 + w).reg((Operand.Gpr) dst);
            Encoder.rm(b, src, r);
        }
    }

    static void test(Request r, InsnBytes b) {
        Operand src = r.operands().get(0);
        Operand dst = r.operands().get(1);
        int size = r.size();
        int w = size == 1 ? 0 : 1;
        b.size(size);
        if (src instanceof Operand.Imm imm) {
            if (accumulator(dst)) {
                b.opcode(0xa8 + w);
            } else {
                b.opcode(0xf6 + w).reg(0);
                Encoder.rm(b, dst, r);
            }
            b.imm(imm.value(), Immediates.full(size));
        } else if (src instanceof Operand.Gpr g && dst instanceof Operand.Gpr) {
            b.opcode(0x84 + w).reg(g);
            Encoder.rm(b, dst, r);
        } else {
            boolean srcReg = src instanceof Operand.Gpr;
            b.opcode(0x84 + w).reg((Operand.Gpr) (srcReg ? src : dst));
            Encoder.rm(b, srcReg ? dst : src, r);
        }
    }

    static void unary(Request r, InsnBytes b) {
        int w = r.size() == 1 ? 0 : 1;
        b.size(r.size());
        switch (r.op()) {
            case INC -> b.opcode(0xfe + w).reg(0);
            case DEC -> b.opcode(0xfe + w).reg(1);
            case NOT -> b.opcode(0xf6 + w).reg(2);
            default -> b.opcode(0xf6 + w).reg(3); // NEG
        }
        Encoder.rm(b, r.operands().get(0), r);
    }

    /** Count in %cl (d2/d3), a constant 1 (d0/d1) or another immediate (c0/c1 ib). */
    static void shift(Request r, InsnBytes b) {
        Operand count = r.operands().get(0);
        int w = r.size() == 1 ? 0 : 1;
        int digit = switch (r.op()) {
            case ROL -> 0;
            case ROR -> 1;
            case SHL -> 4;
            case SHR -> 5;
            default -> 7; // SAR
        };
        b.size(r.size());
        if (count instanceof Operand.Imm imm) {
            boolean one = !r.immSymbolic() && imm.value() == 1 && (r.writtenImm() == null || r.writtenImm() == 1);
            b.opcode((one ? 0xd0 : 0xc0) + w).reg(digit);
            Encoder.rm(b, r.operands().get(1), r);
            if (!one) {
                b.imm(imm.value(), 1);
            }
        } else {
            b.opcode(0xd2 + w).reg(digit);
            Encoder.rm(b, r.operands().get(1), r);
        }
    }

    /** bt/bts/btr/btc: 0f ba /4../7 ib, or 0f a3/ab/b3/bb with the offset register in ModRM.reg. */
    static void bitTest(Request r, InsnBytes b) {
        int digit = switch (r.op()) {
            case BT -> 4;
            case BTS -> 5;
            case BTR -> 6;
            default -> 7; // BTC
        };
        b.size(r.size());
        Operand offset = r.operands().get(0);
        if (offset instanceof Operand.Imm imm) {
            b.opcode(0x0f, 0xba).reg(digit);
            Encoder.rm(b, r.operands().get(1), r);
            b.imm(imm.value(), 1);
        } else {
            b.opcode(0x0f, 0xa3 + 8 * (digit - 4)).reg((Operand.Gpr) offset);
            Encoder.rm(b, r.operands().get(1), r);
        }
    }

    private static boolean accumulator(Operand o) {
        return o instanceof Operand.Gpr g && g.reg() == 0 && !g.highByte();
    }
}

package io.entrysim.exec;

import io.entrysim.assemble.Insn;
import io.entrysim.assemble.Op;
import io.entrysim.assemble.Operand;
import io.entrysim.cpu.Reg;

/**
 * Pre-binds the hottest instruction forms (register and immediate ALU operations, inc/dec/not,
 * bit tests and shifts on a register, mov/lea between registers, immediates and memory,
 * push/pop of a register, jcc and direct jmp) to a {@link BoundStep}; everything else, and any
 * form not listed here, goes through {@link Semantics}'s generic switch. Each bound step does
 * exactly what the generic path does for that form, in the same order (reads, the one write,
 * then registers and flags), through the same {@link Alu} and {@link Datapath} calls, so flags,
 * strict-flags audits and faults are the same; the differential tests hold both to the host CPU.
 */
final class Binder {
    private Binder() {}

    /** The bound step for {@code insn}, or null for the generic path. */
    static BoundStep bind(Semantics s, Insn insn) {
        Operand[] ops = insn.operands;
        int size = insn.size;
        switch (insn.op) {
            case ADD, SUB, ADC, SBB, AND, OR, XOR, CMP, TEST -> {
                if (ops.length == 2 && ops[1] instanceof Operand.Gpr dst) {
                    if (ops[0] instanceof Operand.Imm imm) {
                        return aluImm(s, insn.op, imm.value() & Alu.mask(size), dst, size);
                    }
                    if (ops[0] instanceof Operand.Gpr src) {
                        return aluReg(s, insn.op, src, dst, size);
                    }
                }
                return null;
            }
            case INC, DEC, NOT, NEG -> {
                return ops.length == 1 && ops[0] instanceof Operand.Gpr g ? unary(s, insn.op, g, size) : null;
            }
            case BT, BTS, BTR, BTC -> {
                if (ops[1] instanceof Operand.Gpr base && ops[0] instanceof Operand.Imm imm) {
                    int bit = (int) (imm.value() & Alu.mask(size) & ((size << 3) - 1));
                    return bitTest(s, insn.op, bit, base, size);
                }
                return null;
            }
            case SHL, SHR, SAR -> {
                Operand dst = ops[ops.length - 1];
                if (dst instanceof Operand.Gpr g && (ops.length == 1 || ops[0] instanceof Operand.Imm)) {
                    int count = ops.length == 1 ? 1
                        : (int) (((Operand.Imm) ops[0]).value() & 0xFF & (size == 8 ? 63 : 31));
                    return shift(s, insn.op, count, g, size);
                }
                return null;
            }
            case MOV -> {
                return mov(s, ops, size);
            }
            case LEA -> {
                Datapath d = s.d;
                if (!(ops[0] instanceof Operand.Mem m && ops[1] instanceof Operand.Gpr dst)) {
                    return null;
                }
                return i -> {
                    d.writeReg(dst, d.offset(m));
                    return s.next(i);
                };
            }
            case PUSH -> {
                Datapath d = s.d;
                if (ops[0] instanceof Operand.Gpr g) {
                    return i -> {
                        s.push(size, d.readReg(g));
                        return s.next(i);
                    };
                }
                if (ops[0] instanceof Operand.Imm imm) {
                    long v = imm.value() & Alu.mask(size);
                    return i -> {
                        s.push(size, v);
                        return s.next(i);
                    };
                }
                return null;
            }
            case POP -> {
                if (ops[0] instanceof Operand.Gpr g) {
                    Datapath d = s.d;
                    long[] r = s.r;
                    return i -> {
                        long sp = r[Reg.RSP];
                        long v = d.stackLoad(sp, size);
                        r[Reg.RSP] = sp + size;
                        d.writeReg(g, v); // pop %rsp: RSP gets the popped value
                        return s.next(i);
                    };
                }
                return null;
            }
            case JCC -> {
                int target = insn.target;
                long targetAddress = insn.targetAddress;
                if (target >= 0) {
                    return i -> s.condition(insn) ? target : s.next(i);
                }
                return i -> !s.condition(insn) ? s.next(i) : s.transfer(targetAddress);
            }
            case JMP -> {
                int target = insn.target;
                return target >= 0 ? i -> target : null;
            }
            default -> {
                return null;
            }
        }
    }

    private static BoundStep aluImm(Semantics s, Op op, long b, Operand.Gpr dst, int size) {
        Datapath d = s.d;
        Alu alu = s.alu;
        return switch (op) {
            case ADD -> i -> {
                d.writeReg(dst, alu.add(d.readReg(dst), b, 0, size));
                alu.commit();
                return s.next(i);
            };
            case SUB -> i -> {
                d.writeReg(dst, alu.sub(d.readReg(dst), b, 0, size));
                alu.commit();
                return s.next(i);
            };
            case ADC -> i -> {
                long a = d.readReg(dst);
                d.writeReg(dst, alu.add(a, b, s.carryIn(), size));
                alu.commit();
                return s.next(i);
            };
            case SBB -> i -> {
                long a = d.readReg(dst);
                d.writeReg(dst, alu.sub(a, b, s.carryIn(), size));
                alu.commit();
                return s.next(i);
            };
            case AND -> i -> {
                d.writeReg(dst, alu.logic(d.readReg(dst) & b, size));
                alu.commit();
                return s.next(i);
            };
            case OR -> i -> {
                d.writeReg(dst, alu.logic(d.readReg(dst) | b, size));
                alu.commit();
                return s.next(i);
            };
            case XOR -> i -> {
                d.writeReg(dst, alu.logic(d.readReg(dst) ^ b, size));
                alu.commit();
                return s.next(i);
            };
            case CMP -> i -> {
                alu.sub(d.readReg(dst), b, 0, size);
                alu.commit();
                return s.next(i);
            };
            default -> i -> { // TEST
                alu.logic(d.readReg(dst) & b, size);
                alu.commit();
                return s.next(i);
            };
        };
    }

    private static BoundStep aluReg(Semantics s, Op op, Operand.Gpr src, Operand.Gpr dst, int size) {
        Datapath d = s.d;
        Alu alu = s.alu;
        return switch (op) {
            case ADD -> i -> {
                d.writeReg(dst, alu.add(d.readReg(dst), d.readReg(src), 0, size));
                alu.commit();
                return s.next(i);
            };
            case SUB -> i -> {
                d.writeReg(dst, alu.sub(d.readReg(dst), d.readReg(src), 0, size));
                alu.commit();
                return s.next(i);
            };
            case ADC -> i -> {
                long a = d.readReg(dst);
                long b = d.readReg(src);
                d.writeReg(dst, alu.add(a, b, s.carryIn(), size));
                alu.commit();
                return s.next(i);
            };
            case SBB -> i -> {
                long a = d.readReg(dst);
                long b = d.readReg(src);
                d.writeReg(dst, alu.sub(a, b, s.carryIn(), size));
                alu.commit();
                return s.next(i);
            };
            case AND -> i -> {
                d.writeReg(dst, alu.logic(d.readReg(dst) & d.readReg(src), size));
                alu.commit();
                return s.next(i);
            };
            case OR -> i -> {
                d.writeReg(dst, alu.logic(d.readReg(dst) | d.readReg(src), size));
                alu.commit();
                return s.next(i);
            };
            case XOR -> i -> {
                d.writeReg(dst, alu.logic(d.readReg(dst) ^ d.readReg(src), size));
                alu.commit();
                return s.next(i);
            };
            case CMP -> i -> {
                alu.sub(d.readReg(dst), d.readReg(src), 0, size);
                alu.commit();
                return s.next(i);
            };
            default -> i -> { // TEST
                alu.logic(d.readReg(dst) & d.readReg(src), size);
                alu.commit();
                return s.next(i);
            };
        };
    }

    private static BoundStep unary(Semantics s, Op op, Operand.Gpr g, int size) {
        Datapath d = s.d;
        Alu alu = s.alu;
        return switch (op) {
            case INC -> i -> {
                d.writeReg(g, alu.inc(d.readReg(g), size));
                alu.commit();
                return s.next(i);
            };
            case DEC -> i -> {
                d.writeReg(g, alu.dec(d.readReg(g), size));
                alu.commit();
                return s.next(i);
            };
            case NEG -> i -> {
                d.writeReg(g, alu.neg(d.readReg(g), size));
                alu.commit();
                return s.next(i);
            };
            default -> i -> { // NOT: no flags
                d.writeReg(g, ~d.readReg(g));
                return s.next(i);
            };
        };
    }

    private static BoundStep bitTest(Semantics s, Op op, int bit, Operand.Gpr base, int size) {
        Datapath d = s.d;
        Alu alu = s.alu;
        long m = 1L << bit;
        return switch (op) {
            case BT -> i -> {
                alu.bitTest((d.readReg(base) >>> bit) & 1);
                alu.commit();
                return s.next(i);
            };
            case BTS -> i -> {
                long value = d.readReg(base);
                d.writeReg(base, value | m);
                alu.bitTest((value >>> bit) & 1);
                alu.commit();
                return s.next(i);
            };
            case BTR -> i -> {
                long value = d.readReg(base);
                d.writeReg(base, value & ~m);
                alu.bitTest((value >>> bit) & 1);
                alu.commit();
                return s.next(i);
            };
            default -> i -> { // BTC
                long value = d.readReg(base);
                d.writeReg(base, value ^ m);
                alu.bitTest((value >>> bit) & 1);
                alu.commit();
                return s.next(i);
            };
        };
    }

    /** A count of 0 changes no flag; the register is still written (a 32-bit one zero-extended). */
    private static BoundStep shift(Semantics s, Op op, int count, Operand.Gpr g, int size) {
        Datapath d = s.d;
        Alu alu = s.alu;
        if (count == 0) {
            return i -> {
                d.writeReg(g, d.readReg(g));
                return s.next(i);
            };
        }
        return switch (op) {
            case SHL -> i -> {
                d.writeReg(g, alu.shl(d.readReg(g), count, size));
                alu.commit();
                return s.next(i);
            };
            case SHR -> i -> {
                d.writeReg(g, alu.shr(d.readReg(g), count, size));
                alu.commit();
                return s.next(i);
            };
            default -> i -> { // SAR
                d.writeReg(g, alu.sar(d.readReg(g), count, size));
                alu.commit();
                return s.next(i);
            };
        };
    }

    /** MOV between general registers, immediates and memory (not segment or control registers). */
    private static BoundStep mov(Semantics s, Operand[] ops, int size) {
        Datapath d = s.d;
        if (ops[1] instanceof Operand.Gpr dst) {
            if (ops[0] instanceof Operand.Gpr src) {
                return i -> {
                    d.writeReg(dst, d.readReg(src));
                    return s.next(i);
                };
            }
            if (ops[0] instanceof Operand.Imm imm) {
                long v = imm.value() & Alu.mask(size);
                return i -> {
                    d.writeReg(dst, v);
                    return s.next(i);
                };
            }
            if (ops[0] instanceof Operand.Mem m) {
                return i -> {
                    d.writeReg(dst, d.load(d.address(m), size));
                    return s.next(i);
                };
            }
        } else if (ops[1] instanceof Operand.Mem m) {
            if (ops[0] instanceof Operand.Gpr src) {
                return i -> {
                    long v = d.readReg(src);
                    d.store(d.address(m), size, v);
                    return s.next(i);
                };
            }
            if (ops[0] instanceof Operand.Imm imm) {
                long v = imm.value() & Alu.mask(size);
                return i -> {
                    d.store(d.address(m), size, v);
                    return s.next(i);
                };
            }
        }
        return null;
    }
}

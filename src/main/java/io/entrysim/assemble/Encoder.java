package io.entrysim.assemble;

import io.entrysim.assemble.Encoding.Request;
import java.util.List;

/**
 * x86-64 machine code for an instruction, byte for byte as GNU as 2.40 emits it with its default
 * options ({@code as --64}, no -O): the same choice among equivalent encodings (the store form
 * 0x89/0x01 for register pairs, 0x83 imm8 before the accumulator forms 0x05/0x3d before 0x81,
 * {@code d1} for a shift by a literal 1, {@code 90+r} for xchg with the accumulator), the same
 * prefix order and the same ModRM/SIB/displacement/immediate sizes ({@link InsnBytes}). What the
 * choice depends on beyond the decoded instruction is in the {@link Request}.
 */
public final class Encoder {
    private Encoder() {}

    /** An instruction entrysim accepts but gas cannot encode (gas reports an error for it). */
    public static final class UnencodableException extends IllegalArgumentException {
        UnencodableException(String message) {
            super(message);
        }
    }

    /** The instruction's bytes. */
    public static byte[] encode(Request r) {
        InsnBytes b = build(r);
        if (r.isDirectBranch()) {
            return branch(r, b);
        }
        return b.bytes(r.address());
    }

    /**
     * The instruction's length in bytes: it depends on neither its address nor a symbolic
     * value, only on what the request says is constant, and on the branch form.
     */
    public static int length(Request r) {
        return build(r).length();
    }

    private static byte[] branch(Request r, InsnBytes b) {
        int size = r.op() == Op.CALL || !r.shortBranch() ? 4 : 1;
        byte[] out = b.bytes(r.address());
        long rel = r.target() - (r.address() + out.length);
        if (size == 1 ? rel != (byte) rel : rel != (int) rel) {
            throw new UnencodableException(String.format("branch from 0x%x to 0x%x does not fit rel%d",
                    r.address(), r.target(), size * 8));
        }
        for (int i = 0; i < size; i++) {
            out[out.length - size + i] = (byte) (rel >>> (8 * i));
        }
        return out;
    }

    private static InsnBytes build(Request r) {
        InsnBytes b = new InsnBytes();
        List<Operand> ops = r.operands();
        for (String p : r.standalonePrefixes()) {
            checkPrefix(p);
            b.standaloneLock();
        }
        for (String p : r.prefixes()) {
            checkPrefix(p);
            b.lock();
        }
        for (Operand o : ops) {
            if (o instanceof Operand.Mem m) {
                b.segment(Segments.overridePrefix(r.segment(), m));
            }
        }
        Op op = r.op();
        switch (op) {
            case MOV -> Moves.mov(r, b);
            case ADD, OR, ADC, SBB, AND, SUB, XOR, CMP -> Arithmetic.alu(r, b, aluDigit(op));
            case TEST -> Arithmetic.test(r, b);
            case INC, DEC, NOT, NEG -> Arithmetic.unary(r, b);
            case SHL, SHR, SAR, ROL, ROR -> Arithmetic.shift(r, b);
            case BT, BTS, BTR, BTC -> Arithmetic.bitTest(r, b);
            case XCHG -> Moves.xchg(r, b);
            case LEA -> regMem(b, r.size(), ops.get(1), ops.get(0), r, 0x8d);
            case MOVZX -> regMem(b, r.size(), ops.get(1), ops.get(0), r, 0x0f, r.srcSize() == 1 ? 0xb6 : 0xb7);
            case MOVSX -> {
                if (r.srcSize() == 4) {
                    regMem(b, r.size(), ops.get(1), ops.get(0), r, 0x63);
                } else {
                    regMem(b, r.size(), ops.get(1), ops.get(0), r, 0x0f, r.srcSize() == 1 ? 0xbe : 0xbf);
                }
            }
            case CMOVCC -> regMem(b, r.size(), ops.get(1), ops.get(0), r, 0x0f, 0x40 + r.cond().ordinal());
            case SETCC -> {
                b.opcode(0x0f, 0x90 + r.cond().ordinal()).reg(0);
                rm(b, ops.get(0), r);
            }
            case PUSH, POP -> Moves.pushPop(r, b);
            case PUSHF -> sized(b, r.size() == 2, 0x9c);
            case POPF -> sized(b, r.size() == 2, 0x9d);
            case LEAVE -> sized(b, r.size() == 2, 0xc9);
            case RET -> {
                if (r.size() == 2) {
                    b.operandSize16();
                }
                if (ops.isEmpty()) {
                    b.opcode(0xc3);
                } else {
                    b.opcode(0xc2).imm(((Operand.Imm) ops.get(0)).value(), 2);
                }
            }
            case JMP, CALL, JCC -> branchForm(r, b);
            case NOP -> nop(r, b);
            case HLT -> b.opcode(0xf4);
            case UD2 -> b.opcode(0x0f, 0x0b);
            case INT1 -> b.opcode(0xf1);
            case SWAPGS -> b.opcode(0x0f, 0x01, 0xf8);
            case CLD -> b.opcode(0xfc);
            case STD -> b.opcode(0xfd);
            case CLC -> b.opcode(0xf8);
            case STC -> b.opcode(0xf9);
            case CMC -> b.opcode(0xf5);
            case CLI -> b.opcode(0xfa);
            case STI -> b.opcode(0xfb);
            case LFENCE -> b.opcode(0x0f, 0xae, 0xe8);
            case MFENCE -> b.opcode(0x0f, 0xae, 0xf0);
            case SFENCE -> b.opcode(0x0f, 0xae, 0xf8);
            case CLAC -> b.opcode(0x0f, 0x01, 0xca);
            case STAC -> b.opcode(0x0f, 0x01, 0xcb);
            case RDMSR -> b.opcode(0x0f, 0x32);
            case WRMSR -> b.opcode(0x0f, 0x30);
            case SYSCALL -> b.opcode(0x0f, 0x05);
            case SYSENTER -> b.opcode(0x0f, 0x34);
            case SYSEXIT -> {
                b.size(r.size());
                b.opcode(0x0f, 0x35);
            }
            case SYSRET -> {
                b.size(r.size());
                b.opcode(0x0f, 0x07);
            }
            case IRET -> {
                b.size(r.size());
                b.opcode(0xcf);
            }
            case RDFSBASE, WRFSBASE, RDGSBASE, WRGSBASE -> {
                b.repeat();
                b.size(r.size());
                b.opcode(0x0f, 0xae).reg(switch (op) {
                    case RDFSBASE -> 0;
                    case RDGSBASE -> 1;
                    case WRFSBASE -> 2;
                    default -> 3;
                });
                b.rmRegister((Operand.Gpr) ops.get(0));
            }
            case VERW -> {
                // 0f 00 /5; the selector is 16 bits without a 66 prefix
                b.opcode(0x0f, 0x00).reg(5);
                rm(b, ops.get(0), r);
            }
            // 0f 03 /r, 0f 02 /r: a register source is encoded in ModRM.rm whatever its size
            case LSL -> regMem(b, r.size(), ops.get(1), ops.get(0), r, 0x0f, 0x03);
            case LAR -> regMem(b, r.size(), ops.get(1), ops.get(0), r, 0x0f, 0x02);
            case RDPID -> {
                // f3 0f c7 /7 with a register: 64-bit in 64-bit mode without REX.W
                b.repeat();
                b.opcode(0x0f, 0xc7).reg(7);
                b.rmRegister((Operand.Gpr) ops.get(0));
            }
            case INT -> {
                long v = ((Operand.Imm) ops.get(0)).value() & 0xff;
                if (v == 3) {
                    b.opcode(0xcc); // gas 2.40 picks int3 for int $3 too
                } else {
                    b.opcode(0xcd).imm(v, 1);
                }
            }
            case STUB -> throw new UnencodableException("a stub is not an instruction of the program");
        }
        return b;
    }

    private static void checkPrefix(String p) {
        if (!p.equals("lock")) {
            throw new UnencodableException("prefix `" + p + "' is not encoded");
        }
    }

    /** The /digit of the 0x80/0x81/0x83 group, also the high bits of the two-operand opcodes. */
    private static int aluDigit(Op op) {
        return switch (op) {
            case ADD -> 0;
            case OR -> 1;
            case ADC -> 2;
            case SBB -> 3;
            case AND -> 4;
            case SUB -> 5;
            case XOR -> 6;
            default -> 7; // CMP
        };
    }

    private static void sized(InsnBytes b, boolean word, int opcode) {
        if (word) {
            b.operandSize16();
        }
        b.opcode(opcode);
    }

    /** {@code reg} in ModRM.reg, {@code rm} (register or memory) in ModRM.rm. */
    static void regMem(InsnBytes b, int size, Operand reg, Operand rm, Request r, int... opcode) {
        b.size(size);
        b.opcode(opcode).reg((Operand.Gpr) reg);
        rm(b, rm, r);
    }

    /** The r/m operand: a register (mod 11) or memory. */
    static void rm(InsnBytes b, Operand o, Request r) {
        if (o instanceof Operand.Gpr g) {
            b.rmRegister(g);
        } else {
            b.rmMemory((Operand.Mem) o, r.dispSymbolic());
        }
    }

    private static void branchForm(Request r, InsnBytes b) {
        if (!r.isDirectBranch()) {
            // jmp *x / call *x: FF /4, FF /2, 64-bit without REX.W
            b.opcode(0xff).reg(r.op() == Op.JMP ? 4 : 2);
            rm(b, r.operands().get(0), r);
            return;
        }
        boolean shortForm = r.shortBranch() && r.op() != Op.CALL;
        switch (r.op()) {
            case CALL -> b.opcode(0xe8).imm(0, 4);
            case JMP -> b.opcode(shortForm ? 0xeb : 0xe9).imm(0, shortForm ? 1 : 4);
            default -> {
                int cc = r.cond().ordinal();
                if (shortForm) {
                    b.opcode(0x70 + cc).imm(0, 1);
                } else {
                    b.opcode(0x0f, 0x80 + cc).imm(0, 4);
                }
            }
        }
    }

    /**
     * {@code nop} is 0x90 ({@code pause} f3 90, {@code endbr64} f3 0f 1e fa: a NOP where CET
     * indirect-branch tracking is off, as entrysim models it); with an operand it is the long
     * NOP 0f 1f /0.
     */
    private static void nop(Request r, InsnBytes b) {
        if (r.operands().isEmpty() && "endbr64".equals(r.mnemonic())) {
            b.repeat();
            b.opcode(0x0f, 0x1e, 0xfa);
            return;
        }
        if (r.operands().isEmpty()) {
            if (r.mnemonic() != null && r.mnemonic().equals("pause")) {
                b.repeat();
            }
            b.opcode(0x90);
            return;
        }
        Operand o = r.operands().get(0);
        b.size(o instanceof Operand.Gpr g ? g.size() : r.size());
        b.opcode(0x0f, 0x1f).reg(0);
        rm(b, o, r);
    }
}

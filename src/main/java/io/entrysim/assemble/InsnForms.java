package io.entrysim.assemble;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The operand forms of every {@link Op}, stated once: how many operands, what each may be
 * (general register of which sizes, memory, immediate, control register, {@code %cl}), which
 * operand sizes the operation has, whether it needs a condition or a branch target. Both ends
 * read this table: the assembler checks parsed operands against it and words a misfit as gas
 * does ({@link #check}); {@link Program} checks every decoded instruction against it once
 * ({@link #problem}), and the executor raises #UD for one that does not fit (an instruction
 * built by hand, not by the assembler). Adding an instruction means adding its row here.
 */
final class InsnForms {
    private InsnForms() {}

    /** Why operands do not fit an operation's forms; {@link OperandForms} words each as gas does. */
    enum Misfit {
        /** No form has that many operands. */
        ARITY,
        /** Two memory operands. */
        MEMORY_PAIR,
        /** A shift or rotate count that is neither an immediate nor {@code %cl}. */
        SHIFT_COUNT,
        /** An operand of a kind (or register size) the form does not take. */
        OPERAND_TYPE,
        /** An indirect branch through a register that is not 64 bits wide. */
        INDIRECT_REGISTER,
        /** Two registers of different sizes where the form needs one size. */
        REGISTER_PAIR,
        /** A register whose size is not the instruction's operand (or source) size. */
        REGISTER_SIZE
    }

    // Operand kinds a slot accepts.
    private static final int GPR = 1, MEM = 2, IMM = 4, CR = 8, CL = 16, SREG = 32;
    // Sizes as bit masks: bit n set = n bytes.
    static final int B = 1 << 1, W = 1 << 2, L = 1 << 4, Q = 1 << 8;
    private static final int ANY_REG = B | W | L | Q;
    /** The operand size is not used by the operation (control transfers, operandless ones). */
    static final int UNSIZED = 0;

    /** How a register in a slot relates to the instruction's sizes. */
    private enum Sizing { NONE, OPERAND, SOURCE }

    /**
     * One operand position: the kinds it takes, the sizes a general register there may have, how
     * that register's size relates to the instruction's, and the violation when it does not fit.
     */
    private record Slot(int kinds, int regSizes, Sizing sizing, Misfit misfit, Misfit wrongRegSize) {
        boolean accepts(Operand o) {
            if (o instanceof Operand.Gpr g) {
                if ((kinds & CL) != 0 && isCl(g)) {
                    return true;
                }
                return (kinds & GPR) != 0;
            }
            return (o instanceof Operand.Mem && (kinds & MEM) != 0)
                || (o instanceof Operand.Imm && (kinds & IMM) != 0)
                || (o instanceof Operand.Cr && (kinds & CR) != 0)
                || (o instanceof Operand.Sreg && (kinds & SREG) != 0);
        }
    }

    private static Slot slot(int kinds, int regSizes, Sizing sizing) {
        return new Slot(kinds, regSizes, sizing, Misfit.OPERAND_TYPE, Misfit.OPERAND_TYPE);
    }

    /** Register or memory, the register of the operand size. */
    private static final Slot RM = slot(GPR | MEM, ANY_REG, Sizing.OPERAND);
    /** Register, memory or immediate, the register of the operand size. */
    private static final Slot RMI = slot(GPR | MEM | IMM, ANY_REG, Sizing.OPERAND);
    /** A register of the operand size. */
    private static final Slot R = slot(GPR, ANY_REG, Sizing.OPERAND);
    private static final Slot R64 = slot(GPR, Q, Sizing.NONE);
    private static final Slot CRN = slot(CR, 0, Sizing.NONE);
    private static final Slot M = slot(MEM, 0, Sizing.NONE);
    private static final Slot I = slot(IMM, 0, Sizing.NONE);
    private static final Slot COUNT = new Slot(IMM | CL, 0, Sizing.NONE, Misfit.SHIFT_COUNT, Misfit.SHIFT_COUNT);
    private static final Slot BRANCH_TARGET = new Slot(GPR | MEM, Q, Sizing.NONE, Misfit.OPERAND_TYPE,
            Misfit.INDIRECT_REGISTER);

    /** Where the destination of a jump or call comes from. */
    enum Target { NONE, DIRECT, DIRECT_OR_INDIRECT }

    /** The forms of one operation. */
    static final class Form {
        final String needs;
        final List<Slot[]> shapes = new ArrayList<>();
        final int sizes;
        boolean anyOperands;
        boolean noMemoryPair;
        boolean sameRegisterSizes;
        boolean condition;
        Target target = Target.NONE;
        /** MOVZX/MOVSX: the source sizes, each below the destination's. */
        int sourceSizes;

        private Form(int sizes, String needs) {
            this.sizes = sizes;
            this.needs = needs;
        }

        private Form shape(Slot... slots) {
            shapes.add(slots);
            return this;
        }

        /** Whether this operation takes {@code size} as its operand size (always, if unsized). */
        boolean allowsSize(int size) {
            return sizes == UNSIZED || has(sizes, size);
        }
    }

    private static final Map<Op, Form> FORMS = new EnumMap<>(Op.class);

    private static Form form(int sizes, String needs, Op... ops) {
        Form f = new Form(sizes, needs);
        for (Op op : ops) {
            if (FORMS.put(op, f) != null) {
                throw new IllegalStateException("two forms for " + op);
            }
        }
        return f;
    }

    static {
        // A segment register with a 16/32/64-bit register (any of them, whatever the operand size:
        // gas encodes them all as the 32-bit one, bar the 16-bit store) or a word of memory.
        Slot sregOther = slot(GPR | MEM, W | L | Q, Sizing.NONE);
        Slot sreg = slot(SREG, 0, Sizing.NONE);
        Form mov = form(B | W | L | Q, "needs a register/memory destination and a register, memory or immediate "
                + "source, or a control register and a 64-bit register, or a segment register and a register "
                + "or memory", Op.MOV)
                .shape(RMI, RM).shape(CRN, R64).shape(R64, CRN).shape(sreg, sregOther).shape(sregOther, sreg);
        mov.noMemoryPair = true;
        Form alu = form(B | W | L | Q, "needs a register/memory destination and a register, memory or immediate source",
                Op.ADD, Op.SUB, Op.ADC, Op.SBB, Op.AND, Op.OR, Op.XOR, Op.CMP, Op.TEST).shape(RMI, RM);
        alu.noMemoryPair = true;
        form(W | L | Q, "needs memory source and register destination", Op.LEA)
                .shape(M, slot(GPR, W | L | Q, Sizing.OPERAND));
        Form xchg = form(B | W | L | Q, "needs register/memory operands, at most one memory", Op.XCHG).shape(RM, RM);
        xchg.noMemoryPair = true;
        form(W | L | Q, "needs r/m source and register destination", Op.MOVZX)
                .shape(slot(GPR | MEM, ANY_REG, Sizing.SOURCE), R).sourceSizes = B | W;
        form(W | L | Q, "needs r/m source and register destination", Op.MOVSX)
                .shape(slot(GPR | MEM, ANY_REG, Sizing.SOURCE), R).sourceSizes = B | W | L;
        form(W | L | Q, "needs r/m source and register destination", Op.CMOVCC).shape(RM, R).condition = true;
        form(B, "needs one r/m8 operand", Op.SETCC).shape(slot(GPR | MEM, B, Sizing.OPERAND)).condition = true;
        form(W | Q, "needs one register, memory or immediate operand", Op.PUSH).shape(RMI);
        form(W | Q, "needs one register/memory operand", Op.POP).shape(RM);
        form(W | Q, "takes no operands", Op.PUSHF, Op.POPF, Op.LEAVE).shape();
        form(B | W | L | Q, "needs one register/memory operand", Op.INC, Op.DEC, Op.NEG, Op.NOT).shape(RM);
        form(B | W | L | Q, "needs a register/memory destination", Op.SHL, Op.SHR, Op.SAR, Op.ROL, Op.ROR)
                .shape(RM).shape(COUNT, RM);
        Form bt = form(W | L | Q, "needs an immediate or register offset and a 16/32/64-bit register/memory base",
                Op.BT, Op.BTS, Op.BTR, Op.BTC).shape(slot(IMM | GPR, ANY_REG, Sizing.OPERAND), RM);
        bt.noMemoryPair = true;
        bt.sameRegisterSizes = true;
        form(UNSIZED, "indirect target needs one 64-bit register or memory operand", Op.JMP, Op.CALL)
                .shape(BRANCH_TARGET).target = Target.DIRECT_OR_INDIRECT;
        Form jcc = form(UNSIZED, "takes a direct target only", Op.JCC);
        jcc.condition = true;
        jcc.target = Target.DIRECT;
        form(W | Q, "operand must be an immediate", Op.RET).shape().shape(I);
        // Multi-byte NOP forms take a memory (or register) operand that is never accessed.
        form(UNSIZED, "", Op.NOP).anyOperands = true;
        form(UNSIZED, "takes no operands", Op.HLT, Op.UD2, Op.SWAPGS, Op.CLD, Op.STD, Op.CLC, Op.STC, Op.CMC,
                Op.LFENCE, Op.MFENCE, Op.SFENCE, Op.CLAC, Op.STAC, Op.CLI, Op.STI, Op.RDMSR, Op.WRMSR, Op.SYSCALL,
                Op.SYSENTER, Op.INT1,
                Op.STUB).shape();
        form(L | Q, "needs one 32- or 64-bit register", Op.RDFSBASE, Op.RDGSBASE, Op.WRFSBASE, Op.WRGSBASE)
                .shape(slot(GPR, L | Q, Sizing.OPERAND));
        // Only the q (64-bit) and l (compatibility mode) forms exist in 64-bit mode.
        form(L | Q, "takes no operands", Op.SYSRET, Op.IRET, Op.SYSEXIT).shape();
        // The selector: a 16-bit register or a word in memory (gas refuses %eax and l/q suffixes).
        form(W, "needs one 16-bit register or memory operand", Op.VERW).shape(slot(GPR | MEM, W, Sizing.OPERAND));
        // A selector (16-bit register or word; gas also takes a register of the destination's size,
        // as objdump prints it) and a 16/32/64-bit destination register.
        form(W | L | Q, "needs a register or memory selector and a register destination", Op.LSL, Op.LAR)
                .shape(slot(GPR | MEM, W | L | Q, Sizing.NONE), R);
        form(Q, "needs one 64-bit register", Op.RDPID).shape(slot(GPR, Q, Sizing.OPERAND));
        // The vector as an imm8 (int3 is given its $3 by the assembler).
        form(UNSIZED, "needs an immediate vector", Op.INT).shape(I);
    }

    /** The forms of {@code op}; every operation has a row. */
    static Form of(Op op) {
        Form f = FORMS.get(op);
        if (f == null) {
            throw new IllegalStateException("no operand forms for " + op);
        }
        return f;
    }

    /** The operations the table has a row for. */
    static java.util.Set<Op> operations() {
        return java.util.Collections.unmodifiableSet(FORMS.keySet());
    }

    /**
     * Checks parsed operands (AT&amp;T order) before the operand size is known: arity, memory
     * pairs, operand kinds, the register sizes a slot allows. Null when they fit. Direct branch
     * targets are not operands here.
     */
    static Misfit check(Op op, List<Operand> ops) {
        return fit(of(op), ops.toArray(new Operand[0]), -1, -1);
    }

    /** True when {@code src} bytes may be the source of a MOVZX/MOVSX writing {@code size} bytes. */
    static boolean sourceSizeOk(Op op, int src, int size) {
        Form f = of(op);
        return f.sourceSizes == 0 || (has(f.sourceSizes, src) && src < size);
    }

    /**
     * Why the decoded {@code insn} does not fit its operation's forms (so cannot be executed), or
     * null if it fits. {@code codeLength}: direct targets may be 0..codeLength (the end).
     */
    static String problem(Insn insn, int codeLength) {
        Form f = FORMS.get(insn.op);
        if (f == null) {
            return "no operand forms for " + insn.op;
        }
        if (!f.allowsSize(insn.size)) {
            return "operand size " + insn.size + " (" + sizeList(f.sizes) + ")";
        }
        if (f.condition && insn.cond == null) {
            return "no condition";
        }
        boolean direct = f.target == Target.DIRECT || (f.target == Target.DIRECT_OR_INDIRECT && insn.isDirectBranch());
        if (direct) {
            if (insn.operands.length != 0) {
                return "a direct branch has no operands";
            }
            if (insn.target < 0 && insn.targetAddress != Insn.NO_TARGET_ADDRESS) {
                return null; // decoded from machine code: the destination is an address
            }
            return insn.target >= 0 && insn.target <= codeLength ? null : "jump target index " + insn.target;
        }
        Misfit v = fit(f, insn.operands, insn.size, insn.srcSize);
        if (v != null) {
            return reason(v, f, insn.operands.length);
        }
        if (!sourceSizeOk(insn.op, insn.srcSize, insn.size)) {
            return "source size " + insn.srcSize + " for destination size " + insn.size;
        }
        return null;
    }

    /** {@code size}/{@code srcSize} -1: not known yet (the assembler's first check). */
    private static Misfit fit(Form f, Operand[] ops, int size, int srcSize) {
        if (f.anyOperands) {
            return null;
        }
        Slot[] only = null;
        int candidates = 0;
        for (Slot[] s : f.shapes) {
            if (s.length == ops.length) {
                candidates++;
                only = s;
            }
        }
        if (candidates == 0) {
            return Misfit.ARITY;
        }
        if (f.noMemoryPair && ops.length == 2 && ops[0] instanceof Operand.Mem && ops[1] instanceof Operand.Mem) {
            return Misfit.MEMORY_PAIR;
        }
        Misfit first = null;
        for (Slot[] s : f.shapes) {
            if (s.length != ops.length) {
                continue;
            }
            Misfit v = fitShape(s, ops, size, srcSize);
            if (v == null) {
                first = null;
                break;
            }
            if (first == null) {
                first = v;
            }
        }
        if (first != null) {
            return candidates == 1 ? first : Misfit.OPERAND_TYPE;
        }
        if (f.sameRegisterSizes && ops.length == 2 && ops[0] instanceof Operand.Gpr a && ops[1] instanceof Operand.Gpr b
                && a.size() != b.size()) {
            return Misfit.REGISTER_PAIR;
        }
        return null;
    }

    private static Misfit fitShape(Slot[] shape, Operand[] ops, int size, int srcSize) {
        for (int i = 0; i < shape.length; i++) {
            Slot s = shape[i];
            Operand o = ops[i];
            if (!s.accepts(o)) {
                return s.misfit;
            }
            if (o instanceof Operand.Gpr g && !((s.kinds & CL) != 0 && isCl(g))) {
                if (!has(s.regSizes, g.size())) {
                    return s.wrongRegSize;
                }
                int want = s.sizing == Sizing.OPERAND ? size : s.sizing == Sizing.SOURCE ? srcSize : -1;
                if (want >= 0 && g.size() != want) {
                    return Misfit.REGISTER_SIZE;
                }
            }
        }
        return null;
    }

    /** The executor's wording of a violation (after "cannot execute 'TEXT': "). */
    private static String reason(Misfit v, Form f, int n) {
        return switch (v) {
            case ARITY -> "cannot take " + n + " operand" + (n == 1 ? "" : "s") + (f.needs.isEmpty() ? "" : ": " + f.needs);
            case MEMORY_PAIR -> "two memory operands";
            case SHIFT_COUNT -> "count must be an immediate or %cl";
            case INDIRECT_REGISTER -> "indirect branch target must be a 64-bit register";
            case REGISTER_PAIR -> "registers of different sizes";
            case REGISTER_SIZE -> "register size does not match the operand size";
            case OPERAND_TYPE -> f.needs;
        };
    }

    static boolean has(int mask, int size) {
        return size >= 0 && size <= 8 && ((mask >>> size) & 1) != 0;
    }

    private static String sizeList(int mask) {
        StringBuilder sb = new StringBuilder();
        for (int s = 1; s <= 8; s <<= 1) {
            if (has(mask, s)) {
                sb.append(sb.length() == 0 ? "" : " or ").append(s);
            }
        }
        return "takes " + sb + " bytes in 64-bit mode";
    }

    private static boolean isCl(Operand.Gpr g) {
        return g.reg() == io.entrysim.cpu.Reg.RCX && g.size() == 1 && !g.highByte();
    }
}

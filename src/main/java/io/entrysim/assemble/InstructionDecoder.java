package io.entrysim.assemble;

import io.entrysim.parse.InstructionStmt;
import io.entrysim.parse.OperandAst;
import io.entrysim.diag.AsmError;
import io.entrysim.diag.Origin;
import io.entrysim.isa.RegisterNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * Decodes one parsed instruction into an {@link Insn}: mnemonic resolved, operand size decided
 * as gas decides it (suffix, else register operands), operands checked against the forms the
 * instruction has, expressions folded, direct branch targets turned into code indices.
 */
final class InstructionDecoder {
    private final Assembler asm;
    private final NavigableMap<Long, Integer> indexByAddress;

    InstructionDecoder(Assembler asm, NavigableMap<Long, Integer> indexByAddress) {
        this.asm = asm;
        this.indexByAddress = indexByAddress;
    }

    Insn decode(InstructionStmt stmt, List<String> prefixes, long address, long next) {
        Origin o = stmt.origin();
        Mnemonic m = Mnemonics.resolve(stmt.mnemonic());
        if (m == null) {
            throw NoSuchInstruction.forMnemonic(o, stmt.text().trim(), stmt.mnemonic());
        }
        Op op = m.op();
        String name = stmt.mnemonic();
        List<OperandAst> asts = stmt.operands();
        // Branches keep their target aside: direct targets become indices, not operands.
        if (op == Op.JMP || op == Op.JCC || op == Op.CALL) {
            return branch(stmt, m, address, next);
        }
        List<Operand> ops = new ArrayList<>();
        for (OperandAst a : asts) {
            ops.add(operand(a, o, name));
        }
        OperandForms.check(op, name, ops, asts, o);
        int size = OperandForms.size(m, name, ops, asts, o);
        int srcSize = OperandForms.srcSize(m, name, ops, size, o);
        List<Operand> finalOps = OperandForms.normalise(op, ops, size, name, o, asm);
        return new Insn(op, size, srcSize, m.cond(), finalOps.toArray(new Operand[0]), -1, address, next,
                stmt.text().trim(), o);
    }

    private Insn branch(InstructionStmt stmt, Mnemonic m, long address, long next) {
        Origin o = stmt.origin();
        List<OperandAst> asts = stmt.operands();
        if (asts.size() != 1) {
            throw new AsmError(o, "`" + stmt.mnemonic() + "' takes one operand, not " + asts.size());
        }
        OperandAst a = asts.get(0);
        if (m.suffixSize() != 0 && m.suffixSize() != 8) {
            throw new AsmError(o, "invalid instruction suffix for `" + stmt.mnemonic() + "'");
        }
        if (a instanceof OperandAst.IndirectAst ind) {
            if (InsnForms.of(m.op()).target != InsnForms.Target.DIRECT_OR_INDIRECT) {
                throw new AsmError(o, "conditional jumps cannot be indirect: `" + stmt.text().trim() + "'");
            }
            Operand target = operand(ind.target(), o, stmt.mnemonic());
            InsnForms.Misfit v = InsnForms.check(m.op(), List.of(target));
            if (v != null) {
                throw OperandForms.violation(v, stmt.mnemonic(), o);
            }
            return new Insn(m.op(), 8, 8, m.cond(), new Operand[] {target}, -1, address, next, stmt.text().trim(), o);
        }
        if (!(a instanceof OperandAst.MemAst mem) || mem.segment() != null || mem.base() != null
                || mem.index() != null || mem.disp() == null) {
            throw new AsmError(o, "operand type mismatch for `" + stmt.mnemonic() + "'"
                    + " (use `*' for an indirect branch)");
        }
        if (asm.firstPass()) {
            return new Insn(m.op(), 8, 8, m.cond(), new Operand[0], NO_TARGET, address, next, stmt.text().trim(), o);
        }
        long dest = asm.eval(mem.disp(), o);
        int index = targetIndex(dest);
        // A target that is not an instruction (data, padding, the middle of one) is gas's to
        // accept too: executing there is what faults, or runs what the bytes there say.
        if (index == LATER) {
            fixups.put(insnCount, dest);
        }
        return new Insn(m.op(), 8, 8, m.cond(), new Operand[0], index, dest, address, next, stmt.text().trim(), o, null);
    }

    static final int NO_TARGET = -1;
    /** Resolved once the program is complete: the end of the code, or an external symbol's stub. */
    static final int LATER = -2;

    /** Branch instructions (by index) whose target is settled after decoding, with their destinations. */
    final Map<Integer, Long> fixups = new java.util.HashMap<>();
    /** Index of the instruction being decoded (set by the assembler). */
    int insnCount;
    /** The address just past the instruction being decoded (its own bytes), for RIP-relative operands. */
    long insnEnd;

    /**
     * The instruction at {@code dest}; a label just past the last instruction of a code section
     * (a macro's {@code .Lend_\@} at the end of a snippet) and an external symbol's stub are
     * settled later ({@link #LATER}).
     */
    private int targetIndex(long dest) {
        Integer i = indexByAddress.get(dest);
        if (i != null) {
            return i;
        }
        if (asm.isExternal(dest)) {
            return LATER;
        }
        if (asm.endsAnInstruction(dest)) {
            return LATER;
        }
        return NO_TARGET;
    }

    private Operand operand(OperandAst a, Origin o, String mnemonic) {
        if (a instanceof OperandAst.RegAst r) {
            Operand.Gpr g = gpr(r.name());
            if (g != null) {
                return g;
            }
            int cr = RegisterNames.controlRegister(r.name());
            if (cr >= 0) {
                return new Operand.Cr(cr);
            }
            if (RegisterNames.isSegment(r.name())) {
                return new Operand.Sreg(Operand.Sreg.number(r.name()));
            }
            throw new AsmError(o.atColumn(r.column()), "bad register name `%" + r.name() + "'");
        }
        if (a instanceof OperandAst.ImmAst imm) {
            return new Operand.Imm(asm.eval(imm.value(), o.atColumn(imm.column())));
        }
        if (a instanceof OperandAst.MemAst mem) {
            return memory(mem, o.atColumn(mem.column()));
        }
        if (a instanceof OperandAst.IndirectAst ind) {
            throw new AsmError(o.atColumn(ind.column()), "indirect operand `*' is only valid with jmp and call, not `"
                    + mnemonic + "'");
        }
        throw new AsmError(o, "unsupported operand");
    }

    private Operand.Mem memory(OperandAst.MemAst mem, Origin o) {
        int seg = Operand.Mem.SEG_NONE;
        if (mem.segment() != null) {
            seg = switch (mem.segment()) {
                case "gs" -> Operand.Mem.SEG_GS;
                case "fs" -> Operand.Mem.SEG_FS;
                case "cs", "ds", "es", "ss" -> Operand.Mem.SEG_NONE; // base 0 in 64-bit mode
                default -> throw new AsmError(o, "bad segment register `%" + mem.segment() + "'");
            };
        }
        boolean perCpu = seg == Operand.Mem.SEG_GS;
        long disp = mem.disp() == null ? 0 : asm.eval(mem.disp(), o, perCpu);
        if ("rip".equals(mem.base())) {
            if (mem.index() != null) {
                throw new AsmError(o, "`%rip' cannot be used with an index register");
            }
            // gas encodes sym(%rip) as sym - next_rip, so the effective address is sym itself; a
            // number (8(%rip)) is the displacement from the next instruction as written
            if (mem.disp() != null && asm.absoluteWhereRead(mem.disp()) != null) {
                disp += insnEnd;
            }
            return new Operand.Mem(seg, Operand.Mem.NO_REG, Operand.Mem.NO_REG, 1, disp, true);
        }
        int base = addressRegister(mem.base(), o, false);
        int index = addressRegister(mem.index(), o, true);
        int scale = mem.scale();
        if (scale != 1 && scale != 2 && scale != 4 && scale != 8) {
            throw new AsmError(o, "scale factor of " + scale + " without an index register or not 1, 2, 4 or 8");
        }
        return new Operand.Mem(seg, base, index, scale, disp, false);
    }

    private static int addressRegister(String name, Origin o, boolean index) {
        if (name == null) {
            return Operand.Mem.NO_REG;
        }
        Operand.Gpr g = gpr(name);
        if (g == null || g.size() != 8) {
            throw new AsmError(o, "`%" + name + "' is not a valid " + (index ? "index" : "base")
                    + " register here (entrysim uses 64-bit addressing)");
        }
        if (index && g.reg() == io.entrysim.cpu.Reg.RSP) {
            throw new AsmError(o, "`%rsp' is not a valid index register");
        }
        return g.reg();
    }

    /** The register operand for a general-purpose register name; null when not one. */
    private static Operand.Gpr gpr(String name) {
        RegisterNames.GprName g = RegisterNames.gpr(name);
        return g == null ? null : new Operand.Gpr(g.number(), g.size(), g.highByte());
    }
}

package io.entrysim.assemble;

import io.entrysim.parse.OperandAst;
import io.entrysim.diag.AsmError;
import io.entrysim.diag.Origin;
import java.util.ArrayList;
import java.util.List;

/**
 * Which operand combinations each instruction accepts, and its operand size: gas takes the size
 * from the mnemonic suffix, else from the register operands, and refuses to guess otherwise.
 */
final class OperandForms {
    private OperandForms() {}

    /**
     * Checks the operands against the operation's forms ({@link InsnForms}), wording a misfit as
     * gas does, after the encoding limits gas reports first.
     */
    static void check(Op op, String name, List<Operand> ops, List<OperandAst> asts, Origin o) {
        if (op == Op.INT) {
            if (name.equals("int3") && !ops.isEmpty()) {
                throw new AsmError(o, "number of operands mismatch for `int3'");
            }
            if (name.equals("int3")) {
                return;
            }
            if (ops.size() == 1 && !(ops.get(0) instanceof Operand.Imm)) {
                throw new AsmError(o, "operand size mismatch for `int'");
            }
        }
        highByteWithRex(ops, o);
        if (name.startsWith("movabs")) {
            movabs(name, ops, o);
        }
        InsnForms.Misfit v = InsnForms.check(op, ops);
        if (v == InsnForms.Misfit.OPERAND_TYPE && (op == Op.LSL || op == Op.LAR)
                && ops.stream().noneMatch(x -> x instanceof Operand.Imm)) {
            throw new AsmError(o, "operand size mismatch for `" + name + "'");
        }
        if (v == InsnForms.Misfit.OPERAND_TYPE && (op == Op.VERW || op == Op.RDPID)) {
            // gas 2.40 words every wrong selector operand (%eax, $1) as a size mismatch
            throw new AsmError(o, "operand size mismatch for `" + name + "'");
        }
        if (v != null && op == Op.MOV && ops.stream().anyMatch(x -> x instanceof Operand.Sreg)) {
            throw violation(v, "mov", o); // gas 2.40 names mov without a suffix for segment register forms
        }
        if (v != null) {
            throw violation(v, name, o);
        }
    }

    /** gas's words for an operand-form misfit. */
    static AsmError violation(InsnForms.Misfit v, String name, Origin o) {
        return switch (v) {
            case ARITY -> new AsmError(o, "number of operands mismatch for `" + name + "'");
            case MEMORY_PAIR -> new AsmError(o, "too many memory references for `" + name + "'");
            case SHIFT_COUNT -> new AsmError(o, "shift count must be an immediate or %cl in `" + name + "'");
            case INDIRECT_REGISTER -> new AsmError(o, "indirect branch target must be a 64-bit register");
            case OPERAND_TYPE, REGISTER_PAIR, REGISTER_SIZE -> mismatch(name, o);
        };
    }

    /** The operand size in bytes, or an error when gas would not know it either. */
    static int size(Mnemonic m, String name, List<Operand> ops, List<OperandAst> asts, Origin o) {
        Op op = m.op();
        int suffix = m.suffixSize();
        switch (op) {
            case PUSH, POP, PUSHF, POPF, LEAVE, RET -> {
                int reg = registerSize(ops, op);
                int size = suffix != 0 ? suffix : reg != 0 ? reg : 8;
                if (!InsnForms.of(op).allowsSize(size)) { // gas 2.40 names leave without its suffix
                    throw new AsmError(o, "invalid instruction suffix for `" + (op == Op.LEAVE ? "leave" : name) + "'");
                }
                if (reg != 0 && reg != size) {
                    throw new AsmError(o, "incorrect register `" + regName(ops) + "' used with `"
                            + Mnemonics.suffixLetter(size) + "' suffix");
                }
                return size;
            }
            case SETCC -> {
                return 1; // the forms take only an 8-bit register
            }
            case MOVZX, MOVSX -> {
                int dst = ((Operand.Gpr) ops.get(1)).size();
                if (suffix != 0 && suffix != dst) {
                    throw new AsmError(o, "incorrect register `" + regName(List.of(ops.get(1)))
                            + "' used with `" + Mnemonics.suffixLetter(suffix) + "' suffix");
                }
                return dst;
            }
            case NOP, HLT, UD2, SWAPGS, CLD, STD, CLC, STC, CMC, LFENCE, MFENCE, SFENCE, CLAC, STAC,
                 CLI, STI, RDMSR, WRMSR, SYSCALL, SYSENTER, INT1 -> {
                return suffix != 0 ? suffix : 4;
            }
            case SYSRET, IRET, SYSEXIT -> {
                return suffix;
            }
            case RDGSBASE, WRGSBASE, RDFSBASE, WRFSBASE -> {
                return ((Operand.Gpr) ops.get(0)).size();
            }
            case VERW -> {
                if (suffix != 0 && suffix != 2) { // gas names the base mnemonic here
                    throw new AsmError(o, "invalid instruction suffix for `verw'");
                }
                return 2;
            }
            case INT -> {
                return 4;
            }
            case RDPID -> {
                return 8;
            }
            case LSL, LAR -> {
                Operand.Gpr dst = (Operand.Gpr) ops.get(1);
                if (ops.get(0) instanceof Operand.Gpr g && g.size() != 2 && g.size() != dst.size()) {
                    throw new AsmError(o, "register type mismatch for `" + name + "'");
                }
                if (suffix != 0 && suffix != dst.size()) {
                    throw new AsmError(o, "incorrect register `%" + dst.name() + "' used with `"
                            + Mnemonics.suffixLetter(suffix) + "' suffix");
                }
                return dst.size();
            }
            default -> { }
        }
        if (op == Op.MOV && (ops.get(0) instanceof Operand.Sreg || ops.get(1) instanceof Operand.Sreg)) {
            Operand other = ops.get(0) instanceof Operand.Sreg ? ops.get(1) : ops.get(0);
            if (other instanceof Operand.Gpr g) {
                if (suffix != 0 && suffix != g.size()) {
                    throw new AsmError(o, "incorrect register `%" + g.name() + "' used with `"
                            + Mnemonics.suffixLetter(suffix) + "' suffix");
                }
                // gas: the 16-bit register only keeps its 66 prefix when it is the destination
                return g.size() == 2 && ops.get(0) instanceof Operand.Sreg ? 2 : 4;
            }
            if (suffix != 0 && suffix != 2) {
                throw mismatch("mov", o); // gas 2.40 names mov without the suffix here
            }
            return 2;
        }
        int reg = registerSize(ops, op);
        if (op == Op.MOV && (ops.get(0) instanceof Operand.Cr || ops.get(1) instanceof Operand.Cr)) {
            reg = 8;
        }
        if (suffix != 0 && reg != 0 && suffix != reg) {
            throw new AsmError(o, "incorrect register `" + regName(ops) + "' used with `"
                    + Mnemonics.suffixLetter(suffix) + "' suffix");
        }
        int size = suffix != 0 ? suffix : reg;
        int countIndex = isShift(op) && ops.size() == 2 ? 0 : -1;
        for (int i = 0; i < ops.size(); i++) {
            if (i != countIndex && ops.get(i) instanceof Operand.Gpr g && size != 0 && g.size() != size) {
                throw new AsmError(o, suffix != 0
                        ? "incorrect register `%" + g.name() + "' used with `" + Mnemonics.suffixLetter(size) + "' suffix"
                        : "operand size mismatch for `" + name + "'");
            }
        }
        if (size == 0) {
            throw new AsmError(o, "no instruction mnemonic suffix given and no register operands; can't size `"
                    + name + "'");
        }
        if (!InsnForms.of(op).allowsSize(size)) {
            throw mismatch(name, o);
        }
        return size;
    }

    static int srcSize(Mnemonic m, String name, List<Operand> ops, int size, Origin o) {
        if (m.op() != Op.MOVZX && m.op() != Op.MOVSX) {
            return size;
        }
        int src = ops.get(0) instanceof Operand.Gpr g ? g.size() : m.srcSize();
        if (m.srcSize() != 0 && src != m.srcSize()) {
            throw mismatch(name, o);
        }
        if (name.equals("movsxd")) {
            src = src == 0 ? 4 : src;
        }
        if (src == 0) {
            throw new AsmError(o, "no instruction mnemonic suffix given; can't size the source of `" + name + "'");
        }
        if (!InsnForms.sourceSizeOk(m.op(), src, size)) {
            throw mismatch(name, o);
        }
        return src;
    }

    /**
     * Immediates checked and folded to the value the instruction uses: a 64-bit operation takes
     * a sign-extended imm32 (except {@code mov} to a register, the movabs form).
     */
    static List<Operand> normalise(Op op, List<Operand> ops, int size, String name, Origin o, Assembler asm) {
        List<Operand> out = new ArrayList<>(ops);
        if (op == Op.MOV && (ops.get(0) instanceof Operand.Sreg || ops.get(1) instanceof Operand.Sreg)) {
            // the register as gas encodes it (and objdump prints it): 32 bits unless a 16-bit destination
            for (int i = 0; i < 2; i++) {
                if (out.get(i) instanceof Operand.Gpr g && g.size() != size) {
                    out.set(i, new Operand.Gpr(g.reg(), size, false));
                }
            }
            return out;
        }
        if (op == Op.INT) {
            if (ops.isEmpty()) {
                out.add(new Operand.Imm(3)); // int3
            } else {
                long v = ((Operand.Imm) ops.get(0)).value();
                if (v < -128 || v > 255) {
                    throw new AsmError(o, "operand size mismatch for `" + name + "'");
                }
                out.set(0, new Operand.Imm(v & 0xff));
            }
            return out;
        }
        if ((op == Op.LSL || op == Op.LAR) && ops.get(0) instanceof Operand.Gpr g) {
            // gas encodes `lsl %ax,%eax' as `lsl %eax,%eax' (objdump's text): the register in ModRM.rm
            out.set(0, new Operand.Gpr(g.reg(), size, false));
            return out;
        }
        if (op == Op.SHL || op == Op.SHR || op == Op.SAR || op == Op.ROL || op == Op.ROR) {
            if (ops.size() == 1) {
                out.add(0, new Operand.Imm(1)); // "shl %rax" shifts by one
            } else if (ops.get(0) instanceof Operand.Imm imm) {
                // a byte-sized shift takes its count like a byte operand; others need an imm8
                out.set(0, new Operand.Imm(size == 1 ? shortened(imm.value(), 1, o, asm) : imm8(imm.value(), name, o)));
            }
            return out;
        }
        for (int i = 0; i < out.size(); i++) {
            if (!(out.get(i) instanceof Operand.Imm imm)) {
                continue;
            }
            long v = imm.value();
            if (op == Op.BT || op == Op.BTS || op == Op.BTR || op == Op.BTC) {
                out.set(i, new Operand.Imm(imm8(v, name, o)));
            } else if (op == Op.RET) {
                if (v < 0 || v > 0xffff) {
                    throw new AsmError(o, "operand out of range for `" + name + "'");
                }
            } else if (size == 8 || op == Op.PUSH) {
                boolean movabs = op == Op.MOV && out.get(1) instanceof Operand.Gpr;
                if (!movabs && v != (int) v) {
                    throw new AsmError(o, "operand type mismatch for `" + name + "'"
                            + String.format(" (immediate 0x%x does not fit a sign-extended 32-bit field)", v));
                }
            } else {
                out.set(i, new Operand.Imm(shortened(v, size, o, asm)));
            }
        }
        return out;
    }

    /** An imm8 field of a non-byte shift or a bit test: gas refuses a value outside -128..255. */
    private static long imm8(long v, String name, Origin o) {
        if (v < -128 || v > 255) {
            throw new AsmError(o, "operand type mismatch for `" + name + "'"
                    + String.format(" (immediate 0x%x does not fit an 8-bit field)", v));
        }
        return v & 0xff;
    }

    /** An immediate of a {@code bytes}-sized operand: gas keeps the low bytes, warning when that changes it. */
    private static long shortened(long v, int bytes, Origin o, Assembler asm) {
        long mask = (1L << (bytes * 8)) - 1;
        if (truncates(v, bytes)) {
            asm.warn(o, String.format("0x%x shortened to 0x%x", v, v & mask));
        }
        return v & mask;
    }

    /**
     * gas's test for a value that loses information in {@code bytes} bytes (tc-i386.c's
     * offset_in_range, read.c's emit_expr): neither it nor its negation fits unsigned, so
     * -255..255 are fine in a byte but -256 and 256 are not.
     */
    static boolean truncates(long v, int bytes) {
        if (bytes >= 8) {
            return false;
        }
        long high = -1L << (bytes * 8);
        return (v & high) != 0 && (-v & high) != 0;
    }

    /**
     * %ah..%bh cannot be encoded in an instruction that needs a REX prefix: one that names
     * %r8..%r15, %spl..%dil, or has a 64-bit operand (gas refuses; the CPU would read %spl..%dil).
     */
    private static void highByteWithRex(List<Operand> ops, Origin o) {
        Operand.Gpr high = null;
        boolean rex = false;
        for (Operand op : ops) {
            if (op instanceof Operand.Gpr g) {
                if (g.highByte()) {
                    high = g;
                } else if (g.reg() >= 8 || g.size() == 8 || (g.size() == 1 && g.reg() >= 4)) {
                    rex = true;
                }
            } else if (op instanceof Operand.Mem m && (m.base() >= 8 || m.index() >= 8)) {
                rex = true;
            }
        }
        if (high != null && rex) {
            throw new AsmError(o, "can't encode register `%" + high.name() + "' in an instruction requiring REX prefix");
        }
    }

    /** movabs is mov with a 64-bit immediate, or a 64-bit absolute address with the accumulator. */
    private static void movabs(String name, List<Operand> ops, Origin o) {
        if (ops.size() != 2) {
            return;
        }
        Operand src = ops.get(0);
        Operand dst = ops.get(1);
        boolean immToReg = src instanceof Operand.Imm && dst instanceof Operand.Gpr;
        boolean load = src instanceof Operand.Mem m && absolute(m) && dst instanceof Operand.Gpr g && g.reg() == 0 && !g.highByte();
        boolean store = dst instanceof Operand.Mem m && absolute(m) && src instanceof Operand.Gpr g && g.reg() == 0 && !g.highByte();
        if (!immToReg && !load && !store) {
            throw mismatch(name, o);
        }
    }

    private static boolean absolute(Operand.Mem m) {
        return m.base() == Operand.Mem.NO_REG && m.index() == Operand.Mem.NO_REG && !m.ripRelative();
    }

    private static boolean isShift(Op op) {
        return op == Op.SHL || op == Op.SHR || op == Op.SAR || op == Op.ROL || op == Op.ROR;
    }

    private static int registerSize(List<Operand> ops, Op op) {
        // The count register of a shift (%cl) does not size the instruction.
        int from = isShift(op) && ops.size() == 2 ? 1 : 0;
        for (int i = ops.size() - 1; i >= from; i--) {
            if (ops.get(i) instanceof Operand.Gpr g) {
                return g.size();
            }
        }
        return 0;
    }

    private static String regName(List<Operand> ops) {
        for (int i = ops.size() - 1; i >= 0; i--) {
            if (ops.get(i) instanceof Operand.Gpr g) {
                return "%" + g.name();
            }
        }
        return "?";
    }

    private static AsmError mismatch(String name, Origin o) {
        return new AsmError(o, "operand type mismatch for `" + name + "'");
    }
}

package io.entrysim.assemble;

import io.entrysim.parse.Expr;
import io.entrysim.parse.InstructionStmt;
import io.entrysim.parse.OperandAst;
import java.util.List;
import java.util.function.Function;

/** What {@link Encoder} needs to encode one instruction as GNU as 2.40 does ({@code as --64}, no -O). */
public final class Encoding {
    private Encoding() {}

    /**
     * One instruction to encode: the decoded {@link Insn} fields plus what gas's choice of
     * encoding depends on that an {@code Insn} does not keep. {@code op}, {@code size},
     * {@code srcSize}, {@code cond} and {@code operands} are the {@link Insn}'s (operands in AT&amp;T
     * order, a direct branch has none).
     *
     * @param mnemonic the mnemonic as written, lower case with any suffix ({@code movabsq},
     *     {@code pause}, {@code nopw}): {@code movabs} forces the 64-bit immediate or address form,
     *     {@code pause} is {@code f3 90} (entrysim decodes it as NOP)
     * @param prefixes the prefixes written on the instruction's line ({@code lock addl ...}): gas
     *     orders them with the others (segment, 0x66, lock, REX)
     * @param standalonePrefixes prefixes written alone on the line(s) before ({@code 671: lock}): gas
     *     emits each byte where it stands, so they come first, in the order written
     * @param segment the memory operand's segment register as written ({@code "cs"}, {@code "ds"},
     *     {@code "es"}, {@code "ss"}, {@code "fs"}, {@code "gs"}), null when none: gas emits the
     *     override unless it names the default segment (%ss for a %rsp or %rbp base, else %ds).
     *     When null, an operand's {@link Operand.Mem#seg()} FS/GS still gives 0x64/0x65
     * @param immSymbolic the immediate was not a constant known at this point of the source (a
     *     label, a symbol defined further on): gas then uses the 16/32-bit form (imm32 rather than
     *     imm8, {@code c1} rather than {@code d1} for a count of 1, {@code c7} imm32 for a 64-bit
     *     {@code mov} to a register) whatever the value
     * @param writtenImm the constant immediate's value as written, when entrysim shortened it to the
     *     operand size (gas warned "shortened"); gas chooses imm8 from the unshortened value. Null
     *     otherwise
     * @param dispSymbolic the memory operand's displacement was not a constant known at this point:
     *     gas uses disp32; a RIP-relative operand's {@code disp} is always the address it reaches
     *     (a symbol's, or the next instruction's plus a number such as {@code 8(%rip)})
     * @param address the address of the instruction's first byte (RIP-relative and branch
     *     displacements count from the next instruction)
     * @param target a direct jump's or call's destination address
     * @param shortBranch a direct {@code jmp}/{@code jcc} takes the rel8 form (the layout's choice,
     *     as gas's relaxation makes it); {@code call} always takes rel32
     */
    public record Request(Op op, int size, int srcSize, Cond cond, List<Operand> operands,
                          String mnemonic, List<String> prefixes, List<String> standalonePrefixes, String segment,
                          boolean immSymbolic, Long writtenImm, boolean dispSymbolic,
                          long address, long target, boolean shortBranch) {
        public Request {
            operands = List.copyOf(operands);
            prefixes = List.copyOf(prefixes);
            standalonePrefixes = List.copyOf(standalonePrefixes);
        }

        /**
         * An instruction whose values are all constants, without prefixes or segment override, at
         * {@code insn.address}.
         */
        public static Request of(Insn insn, String mnemonic) {
            return new Request(insn.op, insn.size, insn.srcSize, insn.cond, List.of(insn.operands), mnemonic,
                    List.of(), List.of(), null, false, null, false, insn.address, 0, false);
        }

        /**
         * The request for {@code insn}, decoded from {@code stmt}: mnemonic, prefixes and segment
         * as written, {@code standalone} the prefixes written alone on the lines before, and
         * whether each immediate and displacement was a constant.
         *
         * @param constantHere the value of an expression when it is a constant known at this point
         *     of the source (gas folds it while parsing the line), null when it is not (labels,
         *     symbols defined later, relocatable values)
         */
        public static Request of(Insn insn, InstructionStmt stmt, List<String> standalone,
                                 Function<Expr, Long> constantHere) {
            Request r = of(insn, stmt.mnemonic()).withPrefixes(stmt.prefixes(), standalone);
            boolean immSymbolic = false;
            Long written = null;
            String segment = null;
            boolean dispSymbolic = false;
            // a direct branch's target is no operand: its label is the request's target
            for (OperandAst a : insn.operands.length == 0 ? List.<OperandAst>of() : stmt.operands()) {
                if (a instanceof OperandAst.IndirectAst ind) {
                    a = ind.target();
                }
                if (a instanceof OperandAst.ImmAst imm) {
                    Long v = constantHere.apply(imm.value());
                    immSymbolic = v == null;
                    written = v == null || v.equals(immediate(insn)) ? null : v;
                } else if (a instanceof OperandAst.MemAst mem) {
                    segment = mem.segment();
                    dispSymbolic = mem.disp() != null && constantHere.apply(mem.disp()) == null;
                }
            }
            return r.withSegment(segment).withSymbolic(immSymbolic, dispSymbolic).withWrittenImm(written);
        }

        private static Long immediate(Insn insn) {
            for (Operand o : insn.operands) {
                if (o instanceof Operand.Imm i) {
                    return i.value();
                }
            }
            return null;
        }

        /** The prefixes on the instruction's line and those alone on the lines before. */
        public Request withPrefixes(List<String> p, List<String> standalone) {
            return new Request(op, size, srcSize, cond, operands, mnemonic, p, standalone, segment,
                    immSymbolic, writtenImm, dispSymbolic, address, target, shortBranch);
        }

        public Request withOperands(List<Operand> ops) {
            return new Request(op, size, srcSize, cond, ops, mnemonic, prefixes, standalonePrefixes, segment,
                    immSymbolic, writtenImm, dispSymbolic, address, target, shortBranch);
        }

        /** The memory operand's segment register as written ("cs", ..., "gs"), null for none. */
        public Request withSegment(String seg) {
            return new Request(op, size, srcSize, cond, operands, mnemonic, prefixes, standalonePrefixes, seg,
                    immSymbolic, writtenImm, dispSymbolic, address, target, shortBranch);
        }

        /** Whether the immediate and the displacement are symbolic (not constants at this point). */
        public Request withSymbolic(boolean imm, boolean disp) {
            return new Request(op, size, srcSize, cond, operands, mnemonic, prefixes, standalonePrefixes, segment,
                    imm, writtenImm, disp, address, target, shortBranch);
        }

        /** The constant immediate as written, before entrysim shortened it to the operand size. */
        public Request withWrittenImm(Long v) {
            return new Request(op, size, srcSize, cond, operands, mnemonic, prefixes, standalonePrefixes, segment,
                    immSymbolic, v, dispSymbolic, address, target, shortBranch);
        }

        /**
         * The same instruction at another address. A numeric RIP-relative operand ({@code 8(%rip)})
         * moves with it: what it reaches is relative to the instruction; a symbol's address does not.
         */
        public Request at(long addr) {
            List<Operand> ops = operands;
            if (!dispSymbolic && addr != address) {
                List<Operand> moved = new java.util.ArrayList<>(operands);
                for (int k = 0; k < moved.size(); k++) {
                    if (moved.get(k) instanceof Operand.Mem m && m.ripRelative()) {
                        moved.set(k, new Operand.Mem(m.seg(), m.base(), m.index(), m.scale(), m.disp() + (addr - address), true));
                    }
                }
                ops = moved;
            }
            return new Request(op, size, srcSize, cond, ops, mnemonic, prefixes, standalonePrefixes, segment,
                    immSymbolic, writtenImm, dispSymbolic, addr, target, shortBranch);
        }

        public Request branch(long dest, boolean shortForm) {
            return new Request(op, size, srcSize, cond, operands, mnemonic, prefixes, standalonePrefixes, segment,
                    immSymbolic, writtenImm, dispSymbolic, address, dest, shortForm);
        }

        /** True for a direct {@code jmp}, {@code jcc} or {@code call} (no operand: the target is aside). */
        public boolean isDirectBranch() {
            return (op == Op.JMP || op == Op.JCC || op == Op.CALL) && operands.isEmpty();
        }
    }
}

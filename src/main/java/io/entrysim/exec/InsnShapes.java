package io.entrysim.exec;

import io.entrysim.assemble.Insn;
import io.entrysim.assemble.Operand;
import io.entrysim.cpu.Reg;

/**
 * Checks once, before running, that each instruction has an operand form the executor
 * implements (the assembler should only build such forms). A misshapen instruction is not an
 * error until it runs; then it raises #UD with the reason, like an undefined encoding would.
 */
final class InsnShapes {
    private InsnShapes() {}

    /** Why {@code insn} cannot be executed, or null if it can. */
    static String problem(Insn insn, int codeLength) {
        if (usesSize(insn) && insn.size != 1 && insn.size != 2 && insn.size != 4 && insn.size != 8) {
            return "operand size " + insn.size;
        }
        Operand[] ops = insn.operands;
        int n = ops.length;
        return switch (insn.op) {
            case MOV -> n != 2 ? count(2) : mov(ops);
            case MOVZX, MOVSX -> n != 2 ? count(2)
                : !(ops[1] instanceof Operand.Gpr) || !(ops[0] instanceof Operand.Gpr || ops[0] instanceof Operand.Mem)
                    ? "needs r/m source and register destination"
                    : (insn.srcSize != 1 && insn.srcSize != 2 && insn.srcSize != 4) || insn.srcSize >= insn.size
                        ? "source size " + insn.srcSize + " for destination size " + insn.size : null;
            case LEA -> n == 2 && ops[0] instanceof Operand.Mem && ops[1] instanceof Operand.Gpr ? null
                : "needs memory source and register destination";
            case XCHG -> n != 2 ? count(2) : rm(ops[0]) && rm(ops[1]) && !(mem(ops[0]) && mem(ops[1])) ? null
                : "needs register/memory operands, at most one memory";
            case CMOVCC -> insn.cond == null ? "no condition"
                : n == 2 && rm(ops[0]) && ops[1] instanceof Operand.Gpr ? null : "needs r/m source and register destination";
            case SETCC -> insn.cond == null ? "no condition" : n == 1 && rm(ops[0]) ? null : "needs one r/m8 operand";
            case PUSH -> insn.size != 8 && insn.size != 2 ? "push of " + insn.size + " bytes is not encodable in 64-bit mode"
                : n == 1 && !(ops[0] instanceof Operand.Cr) ? null : count(1);
            case POP -> insn.size != 8 && insn.size != 2 ? "pop of " + insn.size + " bytes is not encodable in 64-bit mode"
                : n == 1 && rm(ops[0]) ? null : "needs one register/memory operand";
            case PUSHF, POPF -> insn.size != 8 && insn.size != 2 ? "operand size " + insn.size + " in 64-bit mode" : null;
            case ADD, SUB, ADC, SBB, AND, OR, XOR, CMP, TEST -> n != 2 ? count(2) : binary(ops);
            case INC, DEC, NEG, NOT -> n == 1 && rm(ops[0]) ? null : "needs one register/memory operand";
            case SHL, SHR, SAR, ROL, ROR -> n == 1 ? (rm(ops[0]) ? null : "needs a register/memory destination")
                : n == 2 && rm(ops[1]) && (ops[0] instanceof Operand.Imm || isCl(ops[0])) ? null
                : "count must be an immediate or %cl";
            case BT, BTS, BTR, BTC -> n == 2 && rm(ops[1]) && insn.size != 1
                && (ops[0] instanceof Operand.Imm || ops[0] instanceof Operand.Gpr) ? null
                : "needs an immediate or register offset and a 16/32/64-bit register/memory base";
            case JCC -> insn.cond == null ? "no condition" : target(insn, codeLength);
            case JMP, CALL -> insn.target >= 0 ? target(insn, codeLength)
                : n == 1 && !(ops[0] instanceof Operand.Cr) ? null : "indirect target needs one operand";
            case RET -> n == 0 || (n == 1 && ops[0] instanceof Operand.Imm) ? null : "operand must be an immediate";
            case SYSRET, IRET -> insn.size == 8 || insn.size == 4 ? (n == 0 ? null : count(0))
                : "operand size " + insn.size + " (only the q and l forms exist in 64-bit mode)";
            case RDFSBASE, RDGSBASE, WRFSBASE, WRGSBASE -> n == 1 && ops[0] instanceof Operand.Gpr g
                && (g.size() == 4 || g.size() == 8) ? null : "needs one 32- or 64-bit register";
            default -> null;
        };
    }

    /** Control transfers and operand-less instructions ignore {@link Insn#size}. */
    private static boolean usesSize(Insn insn) {
        return switch (insn.op) {
            case JMP, JCC, CALL, RET, NOP, HLT, UD2, SWAPGS, CLD, STD, CLC, STC, CMC,
                LFENCE, MFENCE, SFENCE, CLAC, STAC, CLI, STI, RDMSR, WRMSR, SYSCALL, STUB -> false;
            default -> true;
        };
    }

    private static String mov(Operand[] ops) {
        boolean fromCr = ops[0] instanceof Operand.Cr;
        if (fromCr || ops[1] instanceof Operand.Cr) {
            return (fromCr ? ops[1] : ops[0]) instanceof Operand.Gpr ? null
                : "control register moves need a general register";
        }
        return binary(ops);
    }

    private static String binary(Operand[] ops) {
        Operand src = ops[0], dst = ops[1];
        if (!rm(dst)) {
            return "destination must be a register or memory";
        }
        if (src instanceof Operand.Cr) {
            return "unsupported source";
        }
        return mem(src) && mem(dst) ? "two memory operands" : null;
    }

    private static String target(Insn insn, int codeLength) {
        return insn.target >= 0 && insn.target <= codeLength ? null : "jump target index " + insn.target;
    }

    private static String count(int n) {
        return "needs " + n + " operand" + (n == 1 ? "" : "s");
    }

    private static boolean rm(Operand o) {
        return o instanceof Operand.Gpr || o instanceof Operand.Mem;
    }

    private static boolean mem(Operand o) {
        return o instanceof Operand.Mem;
    }

    private static boolean isCl(Operand o) {
        return o instanceof Operand.Gpr g && g.reg() == Reg.RCX && g.size() == 1 && !g.highByte();
    }
}

package io.entrysim.exec;

import io.entrysim.assemble.Cond;
import io.entrysim.assemble.Insn;
import io.entrysim.assemble.Op;
import io.entrysim.assemble.Operand;
import io.entrysim.assemble.Program;
import io.entrysim.cpu.Reg;
import io.entrysim.diag.Origin;
import io.entrysim.diag.SourcePos;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds {@link Program}s directly (no parser): instructions laid out from {@link #BASE}, each
 * 4 bytes long unless {@link #at} moves the location counter. Labels resolve to instruction
 * indices for direct jumps and calls.
 */
final class TestAsm {
    static final long BASE = 0x40_1000L;

    private record Pending(Op op, int size, int srcSize, Cond cond, Operand[] ops, String label, long address) {}

    private final List<Pending> pending = new ArrayList<>();
    private final Map<String, Integer> labels = new HashMap<>();
    private long pc = BASE;

    // ---- operands

    static Operand.Gpr r64(int reg) {
        return new Operand.Gpr(reg, 8, false);
    }

    static Operand.Gpr r32(int reg) {
        return new Operand.Gpr(reg, 4, false);
    }

    static Operand.Gpr r16(int reg) {
        return new Operand.Gpr(reg, 2, false);
    }

    static Operand.Gpr r8(int reg) {
        return new Operand.Gpr(reg, 1, false);
    }

    /** %ah, %ch, %dh, %bh for RAX..RBX. */
    static Operand.Gpr high8(int reg) {
        return new Operand.Gpr(reg, 1, true);
    }

    static Operand.Gpr reg(int reg, int size) {
        return new Operand.Gpr(reg, size, false);
    }

    static final Operand.Gpr CL = r8(Reg.RCX);

    static Operand.Imm imm(long value) {
        return new Operand.Imm(value);
    }

    /** disp(%base). */
    static Operand.Mem mem(int base, long disp) {
        return new Operand.Mem(Operand.Mem.SEG_NONE, base, Operand.Mem.NO_REG, 1, disp, false);
    }

    /** disp(%base,%index,scale). */
    static Operand.Mem mem(int base, int index, int scale, long disp) {
        return new Operand.Mem(Operand.Mem.SEG_NONE, base, index, scale, disp, false);
    }

    /** An absolute address. */
    static Operand.Mem abs(long address) {
        return new Operand.Mem(Operand.Mem.SEG_NONE, Operand.Mem.NO_REG, Operand.Mem.NO_REG, 1, address, false);
    }

    static Operand.Mem gs(long disp) {
        return new Operand.Mem(Operand.Mem.SEG_GS, Operand.Mem.NO_REG, Operand.Mem.NO_REG, 1, disp, false);
    }

    static Operand.Mem fs(long disp) {
        return new Operand.Mem(Operand.Mem.SEG_FS, Operand.Mem.NO_REG, Operand.Mem.NO_REG, 1, disp, false);
    }

    static Operand.Cr cr(int n) {
        return new Operand.Cr(n);
    }

    // ---- instructions

    TestAsm op(Op op, int size, Operand... ops) {
        return add(op, size, size, null, ops, null);
    }

    TestAsm ext(Op op, int srcSize, int size, Operand src, Operand dst) {
        return add(op, size, srcSize, null, new Operand[] {src, dst}, null);
    }

    TestAsm cc(Op op, Cond cond, int size, Operand... ops) {
        return add(op, size, size, cond, ops, null);
    }

    TestAsm jmp(String label) {
        return add(Op.JMP, 8, 8, null, new Operand[0], label);
    }

    TestAsm jcc(Cond cond, String label) {
        return add(Op.JCC, 8, 8, cond, new Operand[0], label);
    }

    TestAsm call(String label) {
        return add(Op.CALL, 8, 8, null, new Operand[0], label);
    }

    TestAsm label(String name) {
        labels.put(name, pending.size());
        return this;
    }

    /** Moves the location counter (leaves a gap with no code). */
    TestAsm at(long address) {
        pc = address;
        return this;
    }

    private TestAsm add(Op op, int size, int srcSize, Cond cond, Operand[] ops, String label) {
        pending.add(new Pending(op, size, srcSize, cond, ops, label, pc));
        pc += 4;
        return this;
    }

    /** Address of the instruction at {@code index}. */
    long addressOf(int index) {
        return pending.get(index).address();
    }

    long addressOf(String label) {
        int i = labels.get(label);
        return i < pending.size() ? pending.get(i).address() : pending.get(i - 1).address() + 4;
    }

    Program build() {
        Insn[] code = new Insn[pending.size()];
        for (int i = 0; i < code.length; i++) {
            Pending p = pending.get(i);
            int target = -1;
            if (p.label() != null) {
                Integer t = labels.get(p.label());
                if (t == null) {
                    throw new IllegalArgumentException("no label " + p.label());
                }
                target = t;
            }
            String text = render(p);
            code[i] = new Insn(p.op(), p.size(), p.srcSize(), p.cond(), p.ops(), target, p.address(),
                p.address() + 4, text, Origin.at(new SourcePos("test.S", i + 1, 1)));
        }
        Map<String, Long> symbols = new HashMap<>();
        labels.forEach((name, i) -> symbols.put(name, i < code.length ? code[i].address : pc));
        return new Program(code, List.of(), symbols);
    }

    private static String render(Pending p) {
        StringBuilder sb = new StringBuilder(p.op().name().toLowerCase());
        if (p.cond() != null) {
            sb.append('.').append(p.cond().name().toLowerCase());
        }
        if (p.label() != null) {
            sb.append(' ').append(p.label());
        }
        for (int i = 0; i < p.ops().length; i++) {
            sb.append(i == 0 ? " " : ",").append(p.ops()[i]);
        }
        return sb.toString();
    }
}

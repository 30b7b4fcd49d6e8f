package io.entrysim.assemble;

import io.entrysim.diag.Origin;

/**
 * One pre-decoded instruction. Built once by the assembler; the executor never looks at text.
 *
 * <p>Operands are in AT&amp;T order (source first, destination last), as written. {@code size} is
 * the operand size in bytes; for MOVZX/MOVSX {@code srcSize} is the source size (else equal to
 * {@code size}). Direct jumps/calls carry {@code target}, the index of the destination
 * instruction in {@link Program#code()}; indirect ones have {@code target == -1} and an operand.
 */
public final class Insn {
    public final Op op;
    public final int size;
    public final int srcSize;
    public final Cond cond;
    public final Operand[] operands;
    public final int target;
    /** Address of this instruction and of the next one (return address for CALL). */
    public final long address;
    public final long nextAddress;
    /** The instruction text as expanded (after cpp and macro substitution), for traces. */
    public final String text;
    public final Origin origin;
    /**
     * For a {@link Op#STUB}: the undefined symbol it stands for ({@code do_nmi}); null for every
     * other instruction. Identify stubs by this, not by their display text.
     */
    public final String stubSymbol;

    public Insn(Op op, int size, int srcSize, Cond cond, Operand[] operands, int target,
                long address, long nextAddress, String text, Origin origin) {
        this(op, size, srcSize, cond, operands, target, address, nextAddress, text, origin, null);
    }

    public Insn(Op op, int size, int srcSize, Cond cond, Operand[] operands, int target,
                long address, long nextAddress, String text, Origin origin, String stubSymbol) {
        this.op = op;
        this.size = size;
        this.srcSize = srcSize;
        this.cond = cond;
        this.operands = operands;
        this.target = target;
        this.address = address;
        this.nextAddress = nextAddress;
        this.text = text;
        this.origin = origin;
        this.stubSymbol = stubSymbol;
    }

    /** The stub that stands for the undefined symbol {@code name}: display text {@code <stub NAME>}. */
    public static Insn stub(String name, long address, long nextAddress, Origin firstUse) {
        return new Insn(Op.STUB, 8, 8, null, new Operand[0], -1, address, nextAddress, "<stub " + name + ">",
                firstUse, name);
    }

    /** True when this is the stub of the undefined symbol {@code name}. */
    public boolean isStubFor(String name) {
        return op == Op.STUB && name.equals(stubSymbol);
    }

    /** This instruction with another direct branch target. */
    Insn withTarget(int newTarget) {
        return new Insn(op, size, srcSize, cond, operands, newTarget, address, nextAddress, text, origin, stubSymbol);
    }

    @Override
    public String toString() {
        return text;
    }
}

package io.entrysim.assemble;

import io.entrysim.diag.Origin;

/**
 * One pre-decoded instruction. Built once by the assembler; the executor never looks at text.
 *
 * <p>Operands are in AT&amp;T order (source first, destination last), as written. {@code size} is
 * the operand size in bytes; for MOVZX/MOVSX {@code srcSize} is the source size (else equal to
 * {@code size}). Direct jumps/calls carry {@code target}, the index of the destination
 * instruction in {@link Program#code()}, and {@code targetAddress}, its address; indirect ones
 * have {@code target == -1}, no target address and an operand. An instruction decoded from machine
 * code ({@link MachineCodeDecoder}) knows only the address: {@code target == -1}.
 */
public final class Insn {
    public final Op op;
    public final int size;
    public final int srcSize;
    public final Cond cond;
    public final Operand[] operands;
    public final int target;
    /**
     * A direct jump's or call's destination address; {@link #NO_TARGET_ADDRESS} for every other
     * instruction (indirect branches, instructions built with only a target index).
     */
    public final long targetAddress;
    /** {@link #targetAddress} when there is none: a non-canonical address, never an instruction's. */
    public static final long NO_TARGET_ADDRESS = Long.MIN_VALUE;
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
        this(op, size, srcSize, cond, operands, target, NO_TARGET_ADDRESS, address, nextAddress, text, origin,
                stubSymbol);
    }

    /** With a direct branch's destination address ({@link #NO_TARGET_ADDRESS} when none). */
    public Insn(Op op, int size, int srcSize, Cond cond, Operand[] operands, int target, long targetAddress,
                long address, long nextAddress, String text, Origin origin, String stubSymbol) {
        this.op = op;
        this.size = size;
        this.srcSize = srcSize;
        this.cond = cond;
        this.operands = operands;
        this.target = target;
        this.targetAddress = targetAddress;
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

    /** True for a direct jump or call: its destination is {@link #target} and/or {@link #targetAddress}. */
    public boolean isDirectBranch() {
        return target >= 0 || targetAddress != NO_TARGET_ADDRESS;
    }

    /** This instruction with another direct branch target (index), its address unchanged. */
    Insn withTarget(int newTarget) {
        return new Insn(op, size, srcSize, cond, operands, newTarget, targetAddress, address, nextAddress, text, origin,
                stubSymbol);
    }

    /** This instruction attributed to {@code where} (decoded instructions come without an origin). */
    public Insn withOrigin(Origin where) {
        return new Insn(op, size, srcSize, cond, operands, target, targetAddress, address, nextAddress, text, where,
                stubSymbol);
    }

    @Override
    public String toString() {
        return text;
    }
}

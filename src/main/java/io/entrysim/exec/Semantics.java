package io.entrysim.exec;

import static io.entrysim.cpu.Flags.AC;
import static io.entrysim.cpu.Flags.CF;
import static io.entrysim.cpu.Flags.DF;
import static io.entrysim.cpu.Flags.IF;
import static io.entrysim.cpu.Flags.IOPL;
import static io.entrysim.cpu.Flags.RF;
import static io.entrysim.cpu.Flags.STATUS;
import static io.entrysim.cpu.Flags.VM;

import io.entrysim.assemble.Insn;
import io.entrysim.assemble.Op;
import io.entrysim.assemble.Operand;
import io.entrysim.assemble.Program;
import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.CpuFault;
import io.entrysim.cpu.Flags;
import io.entrysim.cpu.Reg;

/**
 * What each instruction does (SDM Vol. 2 "Operation" sections), one switch over {@link
 * io.entrysim.assemble.Op}. Every instruction does all its reads and checks before its single
 * memory write, and updates registers and flags only after that write, so a fault leaves the
 * state as it was (the SDM's "faulting instruction not committed").
 *
 * <p>{@link #execute} returns the index of the next instruction, or one of the negative codes.
 */
final class Semantics {
    /** {@code hlt}: RIP is after it. */
    static final int HALT = -2;
    /** {@code ret} popped the entry frame; RIP holds the return address. */
    static final int RET_STOP = -3;
    /** Control went to an address where no instruction starts; RIP holds it. */
    static final int NO_CODE = -4;
    /** Fell through past the end of a run of code (no instruction at the next address). */
    static final int FELL_OFF = -5;
    /** sysret/iret committed and set RIP; the executor finds the index at the next boundary. */
    static final int TRANSFERRED = -6;
    /** A stub in {@code StubCalls.STOP} mode: nothing executed. */
    static final int STUB_STOP = -7;
    /**
     * {@code int3}/{@code int $n} committed (a step); the executor delivers vector {@link
     * #softwareVector} through the IDT with the next instruction's address as the saved RIP.
     */
    static final int SOFTWARE_INTERRUPT = -8;
    /** The vector of the last {@link #SOFTWARE_INTERRUPT}. */
    int softwareVector;

    private final Cpu cpu;
    final long[] r;
    final Datapath d;
    final Alu alu;
    private final SystemOps system;
    private final CodeCache cache;
    private final int codeLength;
    private final long endAddress;
    FlagAudit audit;
    /** RSP at run start: a {@code ret} with this RSP returns to the caller and stops the run. */
    long entryRsp;
    ExecOptions.StubCalls stubCalls = ExecOptions.StubCalls.RETURN;
    /** Per instruction index, the model of the C function a stub stands for; null when none has one. */
    StubCallHandler[] stubHandlers;
    /** Per program instruction, its operation bound at first execution ({@link Binder}); null until then. */
    private final BoundStep[] bound;

    Semantics(Cpu cpu, Datapath d, Alu alu, Program program, CodeCache cache) {
        this.cache = cache;
        this.cpu = cpu;
        this.r = cpu.gprs();
        this.d = d;
        this.alu = alu;
        this.system = new SystemOps(cpu, d, alu);
        Insn[] code = program.code();
        this.codeLength = code.length;
        this.endAddress = code.length == 0 ? 0 : code[code.length - 1].nextAddress;
        this.bound = new BoundStep[code.length];
    }

    /** Index reached by falling through instruction {@code index}, or {@link #FELL_OFF}. */
    private int fallThrough(int index) {
        int next = cache.fallThrough(index);
        return next >= 0 ? next : FELL_OFF;
    }

    long endAddress() {
        return endAddress;
    }

    /** The index after {@code index} when it falls through (for bound steps). */
    int next(int index) {
        return fallThrough(index);
    }

    /**
     * Executes instruction {@code index} ({@code insn}); an instruction whose form cannot execute
     * (its problem, see {@link CodeCache#problem}) raises #UD first.
     */
    int execute(Insn insn, int index) {
        if (index < codeLength) {
            BoundStep b = bound[index];
            if (b == null) {
                b = bind(insn, index);
                bound[index] = b;
            }
            return b.run(index);
        }
        String problem = cache.problem(index);
        if (problem != null) {
            throw cannotExecute(insn, problem);
        }
        return generic(insn, index);
    }

    private BoundStep bind(Insn insn, int index) {
        String problem = cache.problem(index);
        if (problem != null) {
            return i -> {
                throw cannotExecute(insn, problem);
            };
        }
        BoundStep b = Binder.bind(this, insn);
        return b != null ? b : i -> generic(insn, i);
    }

    private static CpuFault cannotExecute(Insn insn, String problem) {
        return CpuFault.invalidOpcode("cannot execute '" + insn.text + "': " + problem);
    }

    /** What each instruction does: one switch over the operation and its operand kinds. */
    private int generic(Insn insn, int index) {
        Operand[] ops = insn.operands;
        int size = insn.size;
        switch (insn.op) {
            case MOV -> mov(ops, size);
            case MOVZX -> d.write(ops[1], size, d.read(ops[0], insn.srcSize));
            case MOVSX -> d.write(ops[1], size, Alu.signExtend(d.read(ops[0], insn.srcSize), insn.srcSize));
            case LEA -> d.writeReg((Operand.Gpr) ops[1], d.offset((Operand.Mem) ops[0]));
            case XCHG -> xchg(ops[0], ops[1], size);
            case CMOVCC -> cmov(insn, ops, size);
            case SETCC -> d.write(ops[0], 1, condition(insn) ? 1 : 0);
            case PUSH -> push(size, d.read(ops[0], size));
            case POP -> pop(ops[0], size);
            case PUSHF -> pushf(size);
            case POPF -> popf(size);
            case LEAVE -> leave(size);
            case ADD -> binary(ops, size, alu.add(d.read(ops[1], size), d.read(ops[0], size), 0, size));
            case SUB -> binary(ops, size, alu.sub(d.read(ops[1], size), d.read(ops[0], size), 0, size));
            case ADC -> binary(ops, size, alu.add(d.read(ops[1], size), d.read(ops[0], size), carryIn(), size));
            case SBB -> binary(ops, size, alu.sub(d.read(ops[1], size), d.read(ops[0], size), carryIn(), size));
            case AND -> binary(ops, size, alu.logic(d.read(ops[1], size) & d.read(ops[0], size), size));
            case OR -> binary(ops, size, alu.logic(d.read(ops[1], size) | d.read(ops[0], size), size));
            case XOR -> binary(ops, size, alu.logic(d.read(ops[1], size) ^ d.read(ops[0], size), size));
            case CMP -> {
                alu.sub(d.read(ops[1], size), d.read(ops[0], size), 0, size);
                alu.commit();
            }
            case TEST -> {
                alu.logic(d.read(ops[1], size) & d.read(ops[0], size), size);
                alu.commit();
            }
            case INC -> unary(ops[0], size, alu.inc(d.read(ops[0], size), size));
            case DEC -> unary(ops[0], size, alu.dec(d.read(ops[0], size), size));
            case NEG -> unary(ops[0], size, alu.neg(d.read(ops[0], size), size));
            case NOT -> d.write(ops[0], size, ~d.read(ops[0], size));
            case SHL, SHR, SAR, ROL, ROR -> shiftOrRotate(insn, ops, size);
            case BT, BTS, BTR, BTC -> bitTest(insn, ops, size);
            case JMP -> {
                if (insn.target >= 0) {
                    return insn.target;
                }
                long target = branchTarget(insn, ops);
                requireCanonicalTarget(target, "jmp");
                return transfer(target);
            }
            case JCC -> {
                return !condition(insn) ? fallThrough(index) : insn.target >= 0 ? insn.target : transfer(insn.targetAddress);
            }
            case CALL -> {
                long target = insn.target >= 0 ? 0 : branchTarget(insn, ops);
                if (insn.target < 0) {
                    requireCanonicalTarget(target, "call");
                }
                push(8, insn.nextAddress);
                return insn.target >= 0 ? insn.target : transfer(target);
            }
            case RET -> {
                return ret(ops);
            }
            case HLT -> {
                requireCpl0(insn, "#GP");
                return HALT;
            }
            case UD2 -> throw CpuFault.invalidOpcode("ud2");
            case SWAPGS -> {
                requireCpl0(insn, "#GP");
                long gs = cpu.gsBase();
                cpu.setGsBase(cpu.kernelGsBase());
                cpu.setKernelGsBase(gs);
            }
            case CLD -> cpu.setRflags(cpu.rflags() & ~DF);
            case STD -> cpu.setRflags(cpu.rflags() | DF);
            case CLC -> carry(false);
            case STC -> carry(true);
            case CMC -> {
                if (audit != null) {
                    audit.read(CF);
                }
                carry((cpu.rflags() & CF) == 0);
            }
            case CLAC -> {
                requireCpl0(insn, "#UD");
                cpu.setRflags(cpu.rflags() & ~AC);
            }
            case STAC -> {
                requireCpl0(insn, "#UD");
                cpu.setRflags(cpu.rflags() | AC);
            }
            case CLI -> system.cli();
            case STI -> system.sti();
            case RDMSR -> system.rdmsr();
            case WRMSR -> system.wrmsr();
            case RDFSBASE, RDGSBASE, WRFSBASE, WRGSBASE -> system.segmentBase(insn);
            case VERW -> system.verw(ops[0]);
            // RDPID: the register gets IA32_TSC_AUX (bits 63:32 zero); any CPL
            case RDPID -> d.writeReg((Operand.Gpr) ops[0], cpu.msr(io.entrysim.cpu.Msr.TSC_AUX) & 0xFFFF_FFFFL);
            case LAR, LSL -> system.larLsl(insn, ops);
            case INT -> {
                // SDM INT n in 64-bit mode: #GP(vector * 8 + 2) when the gate's DPL is below the CPL
                // (an absent gate is left to the delivery, which reports it as for any event).
                int vector = (int) (((Operand.Imm) ops[0]).value() & 0xff);
                io.entrysim.cpu.Gate gate = cpu.idt().gate(vector);
                if (gate != null && gate.dpl() < cpu.cpl()) {
                    throw CpuFault.generalProtection(vector * 8 + 2, insn.text + " at CPL " + cpu.cpl()
                        + ": the gate's DPL is " + gate.dpl());
                }
                softwareVector = vector;
                return SOFTWARE_INTERRUPT;
            }
            case INT1 -> {
                // #DB as a trap, delivered like INT n but without the DPL check
                softwareVector = io.entrysim.cpu.Vectors.DB;
                return SOFTWARE_INTERRUPT;
            }
            case SYSCALL -> {
                return transfer(system.syscall(insn));
            }
            case SYSRET -> {
                system.sysret(insn);
                return TRANSFERRED;
            }
            case SYSENTER -> {
                return transfer(system.sysenter());
            }
            case SYSEXIT -> {
                system.sysexit(insn);
                return TRANSFERRED;
            }
            case IRET -> {
                system.iret(insn);
                return TRANSFERRED;
            }
            case STUB -> {
                return stub(insn, index);
            }
            case NOP, LFENCE, MFENCE, SFENCE -> {
                // no architectural effect in a single-CPU model
            }
            // An operation the assembler knows but the executor does not model yet must stop
            // the run loudly, never run as a no-op.
            default -> throw CpuFault.invalidOpcode("`" + insn.text + "': entrysim does not execute "
                + insn.op.name().toLowerCase(java.util.Locale.ROOT) + " yet");
        }
        return fallThrough(index);
    }

    // ---- data movement

    private void mov(Operand[] ops, int size) {
        if (ops[0] instanceof Operand.Sreg s) {
            d.write(ops[1], ops[1] instanceof Operand.Gpr g ? g.size() : 2, system.readSegment(s));
        } else if (ops[1] instanceof Operand.Sreg s) {
            system.loadSegment(s, (int) d.read(ops[0], 2) & 0xFFFF);
        } else if (ops[1] instanceof Operand.Cr cr) {
            cpu.writeCr(cr.n(), d.readReg((Operand.Gpr) ops[0]));
            alu.undefine(UndefinedFlags.MOV_CR);
            alu.commit();
        } else if (ops[0] instanceof Operand.Cr cr) {
            d.writeReg((Operand.Gpr) ops[1], cpu.readCr(cr.n()));
            alu.undefine(UndefinedFlags.MOV_CR);
            alu.commit();
        } else {
            d.write(ops[1], size, d.read(ops[0], size));
        }
    }

    private void xchg(Operand a, Operand b, int size) {
        if (a instanceof Operand.Mem || b instanceof Operand.Mem) {
            Operand.Mem m = (Operand.Mem) (a instanceof Operand.Mem ? a : b);
            Operand.Gpr g = (Operand.Gpr) (a instanceof Operand.Mem ? b : a);
            long address = d.address(m);
            long fromMemory = d.load(address, size);
            d.store(address, size, d.readReg(g));
            d.writeReg(g, fromMemory);
        } else {
            long va = d.read(a, size);
            long vb = d.read(b, size);
            d.write(a, size, vb);
            d.write(b, size, va);
        }
    }

    /** The source is read (and may fault) whatever the condition; a 32-bit destination is zero-extended even if not moved. */
    private void cmov(Insn insn, Operand[] ops, int size) {
        long v = d.read(ops[0], size);
        Operand.Gpr dst = (Operand.Gpr) ops[1];
        if (condition(insn)) {
            d.writeReg(dst, v);
        } else if (size == 4) {
            r[dst.reg()] &= 0xFFFF_FFFFL;
        }
    }

    // ---- stack

    /** PUSH: the value is read (with the old RSP, e.g. {@code push %rsp}) before RSP moves. */
    void push(int size, long value) {
        long sp = r[Reg.RSP] - size;
        d.stackStore(sp, size, value);
        r[Reg.RSP] = sp;
    }

    /** POP: a memory destination's address is computed with the incremented RSP (SDM POP). */
    private void pop(Operand dst, int size) {
        long sp = r[Reg.RSP];
        long v = d.stackLoad(sp, size);
        r[Reg.RSP] = sp + size;
        if (dst instanceof Operand.Mem m) {
            try {
                d.store(d.address(m), size, v);
            } catch (CpuFault f) {
                r[Reg.RSP] = sp;
                throw f;
            }
        } else {
            d.writeReg((Operand.Gpr) dst, v); // pop %rsp: RSP gets the popped value
        }
    }

    /**
     * LEAVE: RSP := RBP, then pop RBP (64 bits; {@code leavew} pops BP's 16 bits, RSP still takes
     * all of RBP). The load from the old RBP comes first, so a fault changes neither register.
     */
    private void leave(int size) {
        long sp = r[Reg.RBP];
        long v = d.stackLoad(sp, size);
        r[Reg.RSP] = sp + size;
        if (size == 2) {
            r[Reg.RBP] = (r[Reg.RBP] & ~0xFFFFL) | (v & 0xFFFF);
        } else {
            r[Reg.RBP] = v;
        }
    }

    /** PUSHF: RFLAGS image with VM and RF cleared (16-bit: the low word). */
    private void pushf(int size) {
        if (audit != null) {
            audit.read(STATUS);
        }
        push(size, cpu.rflags() & ~(RF | VM));
    }

    /**
     * POPF in 64-bit mode (SDM POPF Operation). POPFQ writes CF PF AF ZF SF TF DF OF NT AC ID,
     * IF unless CPL > IOPL, IOPL only at CPL 0; RF is cleared; VM VIF VIP and reserved bits are
     * unaffected (bit 1 stays 1). The 16-bit form writes only bits 15:0 with the same IF/IOPL rules.
     */
    private void popf(int size) {
        long sp = r[Reg.RSP];
        long v = d.stackLoad(sp, size);
        long old = cpu.rflags();
        long writable = STATUS | Flags.TF | IF | DF | IOPL | Flags.NT;
        if (size != 2) {
            writable |= AC | Flags.ID;
        }
        int cpl = cpu.cpl();
        if (cpl > 0) {
            writable &= ~IOPL;
        }
        if (cpl > (int) ((old & IOPL) >>> 12)) {
            writable &= ~IF;
        }
        long flags = (old & ~writable) | (v & writable);
        if (size != 2) {
            flags &= ~RF;
        }
        r[Reg.RSP] = sp + size;
        cpu.updateFlags(flags, STATUS, 0);
    }

    private int ret(Operand[] ops) {
        long sp = r[Reg.RSP];
        long target = d.stackLoad(sp, 8);
        long release = ops.length == 1 ? ((Operand.Imm) ops[0]).value() & 0xFFFF : 0;
        requireCanonicalTarget(target, "ret");
        r[Reg.RSP] = sp + 8 + release;
        if (sp == entryRsp) {
            cpu.setRip(target);
            return RET_STOP;
        }
        return transfer(target);
    }

    /**
     * A near branch to a non-canonical address raises #GP(0) and is not committed (SDM Vol. 2,
     * JMP/CALL/RET "64-bit mode exceptions"): RIP stays at the branch, RSP as it was.
     */
    private static void requireCanonicalTarget(long target, String what) {
        if (!io.entrysim.cpu.Canonical.isCanonical(target)) {
            throw CpuFault.generalProtection(0, what + " to non-canonical address 0x" + Long.toHexString(target));
        }
    }

    /** Where a branch goes that has no instruction index: its operand (indirect) or its address (direct). */
    private long branchTarget(Insn insn, Operand[] ops) {
        return ops.length == 0 ? insn.targetAddress : targetAddress(ops[0]);
    }

    /** A stubbed C function: returns at once (after clobbering, or stops the run first). */
    private int stub(Insn insn, int index) {
        if (stubCalls == ExecOptions.StubCalls.STOP) {
            return STUB_STOP;
        }
        long sp = r[Reg.RSP];
        long target = d.load(sp, 8);
        StubCallHandler model = stubHandlers != null && index < stubHandlers.length ? stubHandlers[index] : null;
        if (model != null) {
            model.called(insn, cpu); // after the last read that can fault
        }
        if (stubCalls == ExecOptions.StubCalls.CLOBBER && (model == null || !model.preservesRegisters())) {
            long result = r[Reg.RAX];
            system.clobberCallerSaved();
            if (model != null && model.returnsValue()) {
                r[Reg.RAX] = result;
            }
        }
        r[Reg.RSP] = sp + 8;
        if (sp == entryRsp) {
            cpu.setRip(target);
            return RET_STOP;
        }
        return transfer(target);
    }

    // ---- arithmetic helpers

    private void binary(Operand[] ops, int size, long result) {
        d.write(ops[1], size, result);
        alu.commit();
    }

    private void unary(Operand dst, int size, long result) {
        d.write(dst, size, result);
        alu.commit();
    }

    long carryIn() {
        if (audit != null) {
            audit.read(CF);
        }
        return cpu.rflags() & CF;
    }

    private void carry(boolean cf) {
        alu.carry(cf);
        alu.commit();
    }

    boolean condition(Insn insn) {
        if (audit != null) {
            audit.read(Conditions.reads(insn.cond));
        }
        return Conditions.holds(insn.cond, cpu.rflags());
    }

    /**
     * Shift/rotate: the count (imm8 or %cl, default 1) is masked to 5 bits, 6 for 64-bit operands.
     * A masked count of 0 changes no flag; a 32-bit register destination is still written
     * (zero-extended), a memory destination is left alone.
     */
    private void shiftOrRotate(Insn insn, Operand[] ops, int size) {
        Operand dst = ops[ops.length - 1];
        int count = ops.length == 1 ? 1 : (int) (d.read(ops[0], 1) & (size == 8 ? 63 : 31));
        long a = d.read(dst, size);
        if (count == 0) {
            if (dst instanceof Operand.Gpr g) {
                d.writeReg(g, a);
            }
            return;
        }
        long result = switch (insn.op) {
            case SHL -> alu.shl(a, count, size);
            case SHR -> alu.shr(a, count, size);
            case SAR -> alu.sar(a, count, size);
            case ROL -> alu.rol(a, count, size);
            default -> alu.ror(a, count, size);
        };
        d.write(dst, size, result);
        alu.commit();
    }

    /**
     * BT/BTS/BTR/BTC. An immediate offset, or any offset into a register, is taken modulo the
     * operand width. A register offset into memory addresses a bit string: the offset is a signed
     * operand-size value, the operand read is at {@code EA + size * floor(offset / bits)}, the bit
     * is {@code offset mod bits}. BTS/BTR/BTC always write the operand back, changed or not.
     */
    private void bitTest(Insn insn, Operand[] ops, int size) {
        int bits = size << 3;
        Operand offsetOp = ops[0];
        Operand base = ops[1];
        long value;
        long address = 0;
        int bit;
        if (base instanceof Operand.Mem m) {
            address = d.address(m);
            if (offsetOp instanceof Operand.Gpr g) {
                long offset = Alu.signExtend(d.readReg(g), size);
                address += size * (offset >> Integer.numberOfTrailingZeros(bits)); // floor division
                bit = (int) (offset & (bits - 1));
            } else {
                bit = (int) (d.read(offsetOp, 1) & (bits - 1));
            }
            value = d.load(address, size);
        } else {
            bit = (int) (d.read(offsetOp, size) & (bits - 1));
            value = d.read(base, size);
        }
        long selected = (value >>> bit) & 1;
        long result = switch (insn.op) {
            case BTS -> value | (1L << bit);
            case BTR -> value & ~(1L << bit);
            case BTC -> value ^ (1L << bit);
            default -> value;
        };
        if (insn.op != Op.BT) {
            if (base instanceof Operand.Mem) {
                d.store(address, size, result);
            } else {
                d.writeReg((Operand.Gpr) base, result);
            }
        }
        alu.bitTest(selected);
        alu.commit();
    }

    // ---- control transfer

    private long targetAddress(Operand o) {
        if (o instanceof Operand.Imm imm) {
            return imm.value();
        }
        return d.read(o, 8);
    }

    /** Index of the instruction at {@code address}; {@link #NO_CODE} (RIP set) if there is none. */
    int transfer(long address) {
        int i = cache.indexOf(address);
        if (i >= 0) {
            return i;
        }
        if (address == endAddress && codeLength > 0) {
            return codeLength;
        }
        cpu.setRip(address);
        return NO_CODE;
    }

    private void requireCpl0(Insn insn, String vector) {
        int cpl = cpu.cpl();
        if (cpl != 0) {
            String why = insn.op.name().toLowerCase() + " at CPL " + cpl;
            throw vector.equals("#GP") ? CpuFault.generalProtection(0, why) : CpuFault.invalidOpcode(why);
        }
    }
}

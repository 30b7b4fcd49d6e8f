package io.entrysim.exec;

import static io.entrysim.cpu.Flags.AC;
import static io.entrysim.cpu.Flags.ID;
import static io.entrysim.cpu.Flags.IF;
import static io.entrysim.cpu.Flags.IOPL;
import static io.entrysim.cpu.Flags.NT;
import static io.entrysim.cpu.Flags.RF;
import static io.entrysim.cpu.Flags.STATUS;
import static io.entrysim.cpu.Flags.TF;
import static io.entrysim.cpu.Flags.DF;
import static io.entrysim.cpu.Flags.VIF;
import static io.entrysim.cpu.Flags.VIP;
import static io.entrysim.cpu.Flags.VM;

import io.entrysim.assemble.Insn;
import io.entrysim.assemble.Op;
import io.entrysim.assemble.Operand;
import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.CpuFault;
import io.entrysim.cpu.Msr;
import io.entrysim.cpu.Reg;
import io.entrysim.cpu.Segments;

/**
 * The privileged and mode-changing instructions (SDM Vol. 2 "Operation" for 64-bit mode): CLI,
 * STI, RDMSR, WRMSR, RD/WR{FS,GS}BASE, SYSCALL, SYSRET, IRET, and the register clobber of a
 * stubbed C call. As everywhere in the executor, every read and check comes before the first
 * state change, so a fault leaves the CPU as it was; the one exception is the SDM's own: IRET
 * unblocks NMIs even when it faults.
 */
final class SystemOps {
    /** Poison for caller-saved registers after a stubbed call: {@code 0xdead00000000 | regnum}. */
    static final long CLOBBER_PATTERN = 0xdead_0000_0000L;
    private static final int[] CALLER_SAVED = {
        Reg.RAX, Reg.RCX, Reg.RDX, Reg.RSI, Reg.RDI, Reg.R8, Reg.R9, Reg.R10, Reg.R11};
    /** SYSRET: "RFLAGS := (R11 & 3C7FD7H) | 2" clears RF, VM and the reserved bits. */
    static final long SYSRET_RFLAGS_MASK = 0x3C_7FD7L;

    private final Cpu cpu;
    private final long[] r;
    private final Datapath d;
    private final Alu alu;

    SystemOps(Cpu cpu, Datapath d, Alu alu) {
        this.cpu = cpu;
        this.r = cpu.gprs();
        this.d = d;
        this.alu = alu;
    }

    // ---- IF

    /** CLI: IF := 0 if CPL <= IOPL; with CR4.PVI at CPL 3, VIF := 0; otherwise #GP(0). */
    void cli() {
        long f = cpu.rflags();
        int cpl = cpu.cpl();
        if (cpl <= iopl(f)) {
            cpu.setRflags(f & ~IF);
        } else if (cpl == 3 && (cpu.cr4() & Cpu.CR4_PVI) != 0) {
            cpu.setRflags(f & ~VIF);
        } else {
            throw CpuFault.generalProtection(0, "cli at CPL " + cpl + " with IOPL " + iopl(f));
        }
    }

    /**
     * STI: IF := 1 if CPL <= IOPL (with CR4.PVI at CPL 3: VIF := 1 unless VIP, else #GP(0)).
     * Setting IF from 0 starts the interrupt shadow: maskable interrupts wait until the next
     * instruction completed (NMIs are not held by it in this model).
     */
    void sti() {
        long f = cpu.rflags();
        int cpl = cpu.cpl();
        if (cpl <= iopl(f)) {
            if ((f & IF) == 0) {
                cpu.events().setInterruptShadow(true);
            }
            cpu.setRflags(f | IF);
        } else if (cpl == 3 && (cpu.cr4() & Cpu.CR4_PVI) != 0 && (f & VIP) == 0) {
            cpu.setRflags(f | VIF);
        } else {
            throw CpuFault.generalProtection(0, "sti at CPL " + cpl + " with IOPL " + iopl(f));
        }
    }

    private static int iopl(long flags) {
        return (int) ((flags & IOPL) >>> 12);
    }

    // ---- segment registers

    /**
     * MOV from a segment register: the selector. entrysim keeps CS and SS as the CPU runs, DS and
     * ES as last loaded (0 at reset, as Linux's 64-bit tasks run); FS and GS read 0 (their
     * selectors are not modelled, only their bases).
     */
    long readSegment(Operand.Sreg s) {
        return switch (s.n()) {
            case Operand.Sreg.CS -> cpu.cs();
            case Operand.Sreg.SS -> cpu.ss();
            case Operand.Sreg.DS -> cpu.ds();
            case Operand.Sreg.ES -> cpu.es();
            default -> 0;
        };
    }

    /**
     * MOV to a segment register (SDM "MOV", 64-bit mode), the selector already read. CS: #UD.
     * SS: a null selector only below CPL 3 with RPL = CPL, else RPL = DPL = CPL and a writable data
     * segment, or #GP(selector); loading SS starts the interrupt shadow (nothing is delivered until
     * the next instruction completed). DS/ES: null is allowed; else a data or readable code segment
     * the CPL and RPL may use, or #GP(selector). FS/GS: refused (#UD "not modelled"), since a load
     * would also replace the base entrysim keeps as MSR state.
     */
    void loadSegment(Operand.Sreg s, int sel) {
        int cpl = cpu.cpl();
        switch (s.n()) {
            case Operand.Sreg.CS -> throw CpuFault.invalidOpcode("mov to %cs is invalid");
            case Operand.Sreg.FS, Operand.Sreg.GS -> throw CpuFault.invalidOpcode("entrysim does not model loading %"
                + s.name() + " (only its base, as MSR state)");
            case Operand.Sreg.SS -> {
                if (Segments.isNull(sel) ? cpl == 3 || (sel & 3) != cpl : !Segments.loadableStack(sel, cpl)) {
                    throw CpuFault.generalProtection(sel & 0xFFFC, "mov 0x" + Integer.toHexString(sel)
                        + " to %ss at CPL " + cpl);
                }
                cpu.setSs(sel);
                cpu.events().setInterruptShadow(true);
            }
            default -> {
                if (!Segments.isNull(sel) && !Segments.loadableData(sel, cpl)) {
                    throw CpuFault.generalProtection(sel & 0xFFFC, "mov 0x" + Integer.toHexString(sel)
                        + " to %" + s.name() + " at CPL " + cpl);
                }
                if (s.n() == Operand.Sreg.DS) {
                    cpu.setDs(sel);
                } else {
                    cpu.setEs(sel);
                }
            }
        }
    }

    // ---- segment checks

    /**
     * VERW: ZF := 1 when the selector (a 16-bit register, or a word read from memory through the
     * datapath, so page and canonical checks apply) names a writable data segment that the CPL
     * and the selector's RPL may use (DPL >= CPL and DPL >= RPL); otherwise ZF := 0. No other flag
     * changes; any CPL. The GDT is entrysim's fixed Linux layout ({@link Segments}): 0x18
     * (__KERNEL_DS, DPL 0) and 0x2b (__USER_DS, DPL 3) are writable data; CPUNODE is read-only;
     * null, code, TLS (empty), TSS/LDT (not modelled), unused and LDT selectors are not.
     */
    void verw(Operand selector) {
        int sel = (int) d.read(selector, 2) & 0xFFFF;
        alu.zero(Segments.writable(sel, cpu.cpl()));
        alu.commit();
    }

    /**
     * LAR/LSL: for a selector {@link Segments#visible} at the CPL, the destination gets the access
     * rights (LAR) or the byte limit (LSL), truncated to the operand size (a 32-bit destination is
     * zero-extended), and ZF := 1; otherwise ZF := 0 and the destination is not written. The
     * selector is the low 16 bits of a register, or a word read from memory through the datapath.
     * CPUNODE's limit is IA32_TSC_AUX, which Linux sets to the same node << 12 | cpu.
     */
    void larLsl(Insn insn, Operand[] ops) {
        int sel = (int) d.read(ops[0], 2) & 0xFFFF;
        boolean ok = Segments.visible(sel, cpu.cpl());
        if (ok) {
            long v = insn.op == Op.LAR ? Segments.accessRights(sel) : Segments.limit(sel, cpu.msr(Msr.TSC_AUX));
            d.writeReg((Operand.Gpr) ops[1], v & Alu.mask(insn.size));
        }
        alu.zero(ok);
        alu.commit();
    }

    // ---- MSRs and segment bases

    /** RDMSR: EDX:EAX := MSR[ECX] (the high halves of RAX and RDX are cleared). */
    void rdmsr() {
        long v = Msr.read(cpu, (int) r[Reg.RCX]);
        r[Reg.RAX] = v & 0xFFFF_FFFFL;
        r[Reg.RDX] = v >>> 32;
    }

    /** WRMSR: MSR[ECX] := EDX:EAX. */
    void wrmsr() {
        Msr.write(cpu, (int) r[Reg.RCX], (r[Reg.RDX] << 32) | (r[Reg.RAX] & 0xFFFF_FFFFL));
    }

    /**
     * RDFSBASE/RDGSBASE/WRFSBASE/WRGSBASE: #UD unless CR4.FSGSBASE; any CPL. The 32-bit forms
     * read the low half (zero-extended into the register) or write a zero-extended base; a
     * non-canonical 64-bit base is #GP(0).
     */
    void segmentBase(Insn insn) {
        String name = insn.op.name().toLowerCase(java.util.Locale.ROOT);
        if ((cpu.cr4() & Cpu.CR4_FSGSBASE) == 0) {
            throw CpuFault.invalidOpcode(name + " with CR4.FSGSBASE=0");
        }
        Operand.Gpr g = (Operand.Gpr) insn.operands[0];
        switch (insn.op) {
            case RDFSBASE -> d.writeReg(g, cpu.fsBase());
            case RDGSBASE -> d.writeReg(g, cpu.gsBase());
            default -> {
                long base = d.readReg(g);
                if (!cpu.isCanonical(base)) {
                    throw CpuFault.generalProtection(0, name + " of non-canonical 0x" + Long.toHexString(base));
                }
                if (insn.op == Op.WRFSBASE) {
                    cpu.setFsBase(base);
                } else {
                    cpu.setGsBase(base);
                }
            }
        }
    }

    // ---- SYSCALL / SYSRET

    /**
     * SYSCALL: #UD if EFER.SCE=0. RCX := next RIP, R11 := RFLAGS (RF clear), RFLAGS &= ~FMASK, CS :=
     * STAR[47:32] & 0xFFFC, SS := STAR[47:32] + 8, CPL 0, 64-bit mode. Returns the new RIP: LSTAR,
     * or CSTAR from compatibility mode (a 32-bit user's SYSCALL).
     */
    long syscall(Insn insn) {
        requireSce("syscall");
        long target = cpu.msr(cpu.compatMode() ? Msr.CSTAR : Msr.LSTAR);
        long flags = cpu.rflags();
        long fmask = cpu.msr(Msr.FMASK);
        int selector = (int) (cpu.msr(Msr.STAR) >>> 32) & 0xFFFF;
        r[Reg.RCX] = insn.nextAddress;
        // RF is cleared as an instruction starts (SDM Vol. 3B 18.3.1.1): R11 never holds it.
        r[Reg.R11] = flags & ~RF;
        cpu.updateFlags(flags & ~fmask & ~RF, fmask | RF, 0);
        cpu.setCs(selector & 0xFFFC);
        cpu.setSs(selector + 8);
        cpu.setCompatMode(false);
        return target;
    }

    /**
     * SYSRET: #UD if EFER.SCE=0; #GP(0) at CPL > 0; sysretq: #GP(0) if RCX is not canonical
     * (checked at CPL 0, before anything changes: the fault is taken on the kernel stack with
     * the user's RSP, the classic SYSRET hazard), RIP := RCX; sysretl: RIP := ECX and CS is the
     * 32-bit user segment. RFLAGS := (R11 & 0x3C7FD7) | 2; CS := (STAR[63:48] + 16) | 3 for
     * sysretq, STAR[63:48] | 3 for sysretl; SS := (STAR[63:48] + 8) | 3; CPL 3.
     */
    void sysret(Insn insn) {
        requireSce(mnemonic(insn));
        if (cpu.cpl() != 0) {
            throw CpuFault.generalProtection(0, mnemonic(insn) + " at CPL " + cpu.cpl());
        }
        boolean to64 = insn.size == 8;
        long rcx = r[Reg.RCX];
        if (to64 && !cpu.isCanonical(rcx)) {
            throw CpuFault.generalProtection(0, "sysretq with non-canonical RCX 0x" + Long.toHexString(rcx));
        }
        int base = (int) (cpu.msr(Msr.STAR) >>> 48) & 0xFFFF;
        cpu.updateFlags((r[Reg.R11] & SYSRET_RFLAGS_MASK) | 2, ~0L, 0);
        cpu.setCs(((to64 ? base + 16 : base) | 3) & 0xFFFF);
        cpu.setSs(((base + 8) | 3) & 0xFFFF);
        cpu.setRip(to64 ? rcx : rcx & 0xFFFF_FFFFL);
        cpu.setCompatMode(!to64);
    }

    /**
     * SYSENTER (IA-32e mode): #GP(0) if IA32_SYSENTER_CS[15:2] is 0. RFLAGS.VM, IF and RF := 0;
     * RSP := IA32_SYSENTER_ESP; CS := SYSENTER_CS & 0xFFFC (64-bit code), SS := CS + 8; CPL 0.
     * Returns the new RIP (IA32_SYSENTER_EIP). Any CPL.
     */
    long sysenter() {
        int cs = (int) cpu.msr(Msr.SYSENTER_CS) & 0xFFFC;
        if (cs == 0) {
            throw CpuFault.generalProtection(0, "sysenter with IA32_SYSENTER_CS 0");
        }
        cpu.updateFlags(cpu.rflags() & ~(VM | IF | RF), VM | IF | RF, 0);
        r[Reg.RSP] = cpu.msr(Msr.SYSENTER_ESP);
        cpu.setCs(cs);
        cpu.setSs(cs + 8);
        cpu.setCompatMode(false);
        return cpu.msr(Msr.SYSENTER_EIP);
    }

    /**
     * SYSEXIT: #GP(0) if IA32_SYSENTER_CS[15:2] is 0 or CPL > 0. sysexitq: RIP := RDX, RSP := RCX
     * (#GP(0) if either is not canonical, before anything changes), CS := (SYSENTER_CS + 32) | 3,
     * SS := (SYSENTER_CS + 40) | 3; sysexitl: RIP := EDX, RSP := ECX, CS := (SYSENTER_CS + 16) |
     * 3, SS := (SYSENTER_CS + 24) | 3, compatibility mode. RFLAGS unchanged; CPL 3.
     */
    void sysexit(Insn insn) {
        boolean to64 = insn.size == 8;
        String name = to64 ? "sysexitq" : "sysexitl";
        int base = (int) cpu.msr(Msr.SYSENTER_CS) & 0xFFFF;
        if ((base & 0xFFFC) == 0) {
            throw CpuFault.generalProtection(0, name + " with IA32_SYSENTER_CS 0");
        }
        if (cpu.cpl() != 0) {
            throw CpuFault.generalProtection(0, name + " at CPL " + cpu.cpl());
        }
        long rip = r[Reg.RDX];
        long rsp = r[Reg.RCX];
        if (to64 && (!cpu.isCanonical(rip) || !cpu.isCanonical(rsp))) {
            throw CpuFault.generalProtection(0, "sysexitq with non-canonical RDX 0x" + Long.toHexString(rip)
                + " or RCX 0x" + Long.toHexString(rsp));
        }
        cpu.setCs(((base + (to64 ? 32 : 16)) | 3) & 0xFFFF);
        cpu.setSs(((base + (to64 ? 40 : 24)) | 3) & 0xFFFF);
        r[Reg.RSP] = to64 ? rsp : rsp & 0xFFFF_FFFFL;
        cpu.setRip(to64 ? rip : rip & 0xFFFF_FFFFL);
        cpu.setCompatMode(!to64);
    }

    private void requireSce(String what) {
        if ((cpu.msr(Msr.EFER) & Msr.EFER_SCE) == 0) {
            throw CpuFault.invalidOpcode(what + " with EFER.SCE=0");
        }
    }

    // ---- IRET

    /**
     * IRET in IA-32e mode (SDM IRET Operation, IA-32e-MODE and RETURN-TO-SAME/OUTER-PRIVILEGE-
     * LEVEL): unblocks NMIs first (even if it then faults); #GP(0) if RFLAGS.NT. Pops RIP, CS,
     * RFLAGS, RSP and SS (iretq: 8 bytes each; iretl: 4) whatever the privilege change, since
     * 64-bit delivery always pushes SS:RSP. Checks, against Linux's GDT ({@link Segments}): CS not
     * null (#GP(0)), a code segment, RPL >= CPL, DPL = RPL (#GP(CS)); SS null only when returning
     * to 64-bit code at CPL < 3 (#GP(0)), else RPL and DPL equal to CS.RPL and a data segment
     * (#GP(SS)); a 64-bit target RIP canonical (#GP(0)). RFLAGS: CF PF AF ZF SF TF DF OF NT RF
     * AC ID always; IF if CPL <= IOPL; IOPL VIF VIP if CPL = 0 (the CPL before the return). A
     * 32-bit code segment as the target enters compatibility mode with RIP := EIP.
     */
    void iret(Insn insn) {
        cpu.events().setNmiBlocked(false);
        String name = mnemonic(insn);
        long flags = cpu.rflags();
        if ((flags & NT) != 0) {
            throw CpuFault.generalProtection(0, name + " with RFLAGS.NT=1 (task return is not supported in IA-32e mode)");
        }
        int size = insn.size;
        long sp = r[Reg.RSP];
        long newRip = d.load(sp, size);
        int newCs = (int) d.load(sp + size, size) & 0xFFFF;
        long newFlags = d.load(sp + 2L * size, size);
        long newRsp = d.load(sp + 3L * size, size);
        int newSs = (int) d.load(sp + 4L * size, size) & 0xFFFF;

        int cpl = cpu.cpl();
        int rpl = newCs & 3;
        if (Segments.isNull(newCs)) {
            throw CpuFault.generalProtection(0, name + " to a null CS selector 0x" + Integer.toHexString(newCs));
        }
        Segments.Kind kind = Segments.kind(newCs);
        if (kind != Segments.Kind.CODE64 && kind != Segments.Kind.CODE32) {
            throw selectorFault(newCs, name + " to CS 0x" + Integer.toHexString(newCs) + ", not a code segment");
        }
        if (rpl < cpl) {
            throw selectorFault(newCs, name + " to CS 0x" + Integer.toHexString(newCs) + " (RPL " + rpl
                + ") from CPL " + cpl + ": return to an inner privilege level");
        }
        if (Segments.dpl(newCs) != rpl) {
            throw selectorFault(newCs, name + " to CS 0x" + Integer.toHexString(newCs) + ": RPL " + rpl
                + " but the segment's DPL is " + Segments.dpl(newCs));
        }
        boolean to64 = kind == Segments.Kind.CODE64;
        if (Segments.isNull(newSs)) {
            if (!to64 || rpl == 3) {
                throw CpuFault.generalProtection(0, name + " to CPL " + rpl + (to64 ? "" : " compatibility mode")
                    + " with a null SS selector 0x" + Integer.toHexString(newSs));
            }
        } else if ((newSs & 3) != rpl || Segments.kind(newSs) != Segments.Kind.DATA || Segments.dpl(newSs) != rpl) {
            throw selectorFault(newSs, name + " with SS 0x" + Integer.toHexString(newSs)
                + ": must be a writable data segment with RPL = DPL = " + rpl);
        }
        if (to64 && !cpu.isCanonical(newRip)) {
            throw CpuFault.generalProtection(0, name + " to non-canonical RIP 0x" + Long.toHexString(newRip));
        }

        long writable = STATUS | TF | DF | NT;
        if (size >= 4) {
            writable |= RF | AC | ID;
        }
        if (cpl <= iopl(flags)) {
            writable |= IF;
        }
        if (cpl == 0) {
            writable |= IOPL;
            if (size >= 4) {
                writable |= VIF | VIP;
            }
        }
        cpu.updateFlags((flags & ~writable) | (newFlags & writable), STATUS, 0);
        r[Reg.RSP] = newRsp;
        cpu.setCs(newCs);
        cpu.setSs(newSs);
        cpu.setRip(to64 ? newRip : newRip & 0xFFFF_FFFFL);
        cpu.setCompatMode(!to64);
    }

    private static CpuFault selectorFault(int selector, String detail) {
        return CpuFault.generalProtection(selector & 0xFFFC, detail);
    }

    static String mnemonic(Insn insn) {
        boolean q = insn.size == 8; // constants: an iret on the sweep path builds no string
        return insn.op == Op.IRET ? (q ? "iretq" : "iretl") : insn.op == Op.SYSEXIT ? (q ? "sysexitq" : "sysexitl")
            : q ? "sysretq" : "sysretl";
    }

    // ---- stubbed C calls

    /** What a C function may do to the caller: caller-saved registers poisoned, status flags undefined. */
    void clobberCallerSaved() {
        for (int reg : CALLER_SAVED) {
            r[reg] = CLOBBER_PATTERN | reg;
        }
        alu.undefine(STATUS);
        alu.commit();
    }

    /** The function a stub stands for ({@link Insn#stubSymbol}); the text of a stub built without one. */
    static String stubSymbol(Insn insn) {
        return insn.stubSymbol != null ? insn.stubSymbol : insn.text;
    }
}

package io.entrysim.cpu;

import java.util.List;

/**
 * Architectural state of one x86-64 CPU in 64-bit mode: general-purpose registers, RIP, RFLAGS,
 * control registers, FS/GS bases (and the KERNEL_GS_BASE MSR that {@code swapgs} exchanges), the
 * CS/SS selectors (CPL = CS.RPL) and memory.
 *
 * <p>Setters such as {@link #setCr3} put the machine in a state (test setup, CLI options); the
 * {@code readCr}/{@code writeCr} methods are what {@code mov} to/from a control register does,
 * with the SDM's checks and, for CR3, the write log.
 *
 * <p>System state beyond registers: the MSRs ({@link #msr}; what RDMSR/WRMSR do is {@link Msr}),
 * the TSS base (the TSS itself is memory, see {@link Tss}), the {@link Idt}, whether CS is a
 * 32-bit segment ({@link #compatMode()}), and NMI blocking / pending interrupts ({@link
 * #events()}); all of it is in snapshots.
 *
 * <p>{@link #undefinedFlags()} is the set of RFLAGS status flags that the instruction that last
 * wrote them left "undefined" in the SDM's words (their values are kept unchanged, see
 * {@code io.entrysim.exec.UndefinedFlags}).
 */
public final class Cpu {
    public static final long CR0_PE = 1L, CR0_MP = 1L << 1, CR0_ET = 1L << 4, CR0_NE = 1L << 5,
        CR0_WP = 1L << 16, CR0_AM = 1L << 18, CR0_NW = 1L << 29, CR0_CD = 1L << 30, CR0_PG = 1L << 31;
    public static final long CR4_PAE = 1L << 5, CR4_PGE = 1L << 7, CR4_FSGSBASE = 1L << 16,
        CR4_PCIDE = 1L << 17, CR4_SMEP = 1L << 20, CR4_SMAP = 1L << 21;
    /** CR4.PVI (protected-mode virtual interrupts) and CR4.LA57 (57-bit linear addresses). */
    public static final long CR4_PVI = 1L << 1, CR4_LA57 = 1L << 12;
    /** MOV to CR3 bit 63 with CR4.PCIDE=1: do not invalidate the PCID's TLB entries. */
    public static final long CR3_NOFLUSH = 1L << 63;
    public static final long CR3_PCID_MASK = 0xFFF;

    /** What Linux runs with: PG AM WP NE ET MP PE. */
    public static final long DEFAULT_CR0 = 0x8005_0033L;
    /** Long mode needs PAE; everything else off (enable PCIDE explicitly). */
    public static final long DEFAULT_CR4 = CR4_PAE;
    /** Linux's selectors (arch/x86/include/asm/segment.h). */
    public static final int KERNEL_CS = 0x10, KERNEL_SS = 0x18, USER_CS = 0x33, USER_SS = 0x2b;

    private final long[] gprs = new long[Reg.COUNT];
    private long rip;
    private long rflags = Flags.FIXED1;
    private long undefinedFlags;
    private long cr0 = DEFAULT_CR0, cr2, cr3, cr4 = DEFAULT_CR4, cr8;
    private long fsBase, gsBase, kernelGsBase;
    private int cs = KERNEL_CS, ss = KERNEL_SS;
    /** DS and ES: 0, as Linux runs 64-bit tasks (their base is 0 in long mode, whatever they hold). */
    private int ds, es;
    private PersistentLog<Cr3Write> cr3Log = PersistentLog.empty();
    private final RecentAppends<Cr3Write> recentCr3Writes = new RecentAppends<>();
    private Tlb tlb = Tlb.EMPTY;
    private PersistentLog<RuleViolation> violations = PersistentLog.empty();
    // System state: MSRs (see Msr), TSS base, IDT, CS.L, interrupt blocking/pending.
    private final long[] msrs = Msr.defaults();
    private long trBase;
    private Idt idt = Idt.EMPTY;
    private boolean compatMode;
    private final EventState events = new EventState();
    private final Memory memory;
    private final CpuModel model;

    public Cpu() {
        this(new Memory(), CpuModel.SDM);
    }

    public Cpu(Memory memory, CpuModel model) {
        this.memory = memory;
        this.model = model;
    }

    public Memory memory() {
        return memory;
    }

    public CpuModel model() {
        return model;
    }

    // ---- general-purpose registers and RIP

    /** The live register file, indexed by {@link Reg} number: writes change the CPU state. */
    public long[] gprs() {
        return gprs;
    }

    public long reg(int reg) {
        return gprs[reg];
    }

    public void setReg(int reg, long value) {
        gprs[reg] = value;
    }

    public long rip() {
        return rip;
    }

    public void setRip(long rip) {
        this.rip = rip;
    }

    // ---- RFLAGS

    public long rflags() {
        return rflags;
    }

    /** Sets RFLAGS; reserved bits are forced (bit 1 reads 1, the others 0). */
    public void setRflags(long value) {
        rflags = (value & Flags.DEFINED) | Flags.FIXED1;
    }

    public boolean flag(long mask) {
        return (rflags & mask) != 0;
    }

    /**
     * An instruction's flag update: {@code affected} are the flags it writes or leaves undefined,
     * {@code undefinedNow} (a subset) those it leaves undefined.
     */
    public void updateFlags(long newRflags, long affected, long undefinedNow) {
        rflags = (newRflags & Flags.DEFINED) | Flags.FIXED1;
        undefinedFlags = (undefinedFlags & ~affected) | undefinedNow;
    }

    public long undefinedFlags() {
        return undefinedFlags;
    }

    public void setUndefinedFlags(long mask) {
        undefinedFlags = mask;
    }

    // ---- privilege and segments

    public int cpl() {
        return cs & 3;
    }

    public int cs() {
        return cs;
    }

    public void setCs(int selector) {
        cs = selector & 0xFFFF;
    }

    public int ss() {
        return ss;
    }

    public void setSs(int selector) {
        ss = selector & 0xFFFF;
    }

    public int ds() {
        return ds;
    }

    public void setDs(int selector) {
        ds = selector & 0xFFFF;
    }

    public int es() {
        return es;
    }

    public void setEs(int selector) {
        es = selector & 0xFFFF;
    }

    public long fsBase() {
        return fsBase;
    }

    public void setFsBase(long base) {
        fsBase = base;
    }

    public long gsBase() {
        return gsBase;
    }

    public void setGsBase(long base) {
        gsBase = base;
    }

    /** The IA32_KERNEL_GS_BASE MSR. */
    public long kernelGsBase() {
        return kernelGsBase;
    }

    public void setKernelGsBase(long base) {
        kernelGsBase = base;
    }

    // ---- MSRs, descriptor tables, modes and interrupt state (logic in Msr, exec's EventDelivery)

    /** Host read of a modeled MSR ({@link Msr#isModeled}); no privilege check. */
    public long msr(int index) {
        return switch (index) {
            case Msr.FS_BASE -> fsBase;
            case Msr.GS_BASE -> gsBase;
            case Msr.KERNEL_GS_BASE -> kernelGsBase;
            default -> msrs[storedSlot(index)];
        };
    }

    /** Host write of a modeled MSR, no checks (what {@code wrmsr} does is {@link Msr#write}). */
    public void setMsr(int index, long value) {
        switch (index) {
            case Msr.FS_BASE -> fsBase = value;
            case Msr.GS_BASE -> gsBase = value;
            case Msr.KERNEL_GS_BASE -> kernelGsBase = value;
            default -> msrs[storedSlot(index)] = value;
        }
    }

    private static int storedSlot(int index) {
        int slot = Msr.slot(index);
        if (slot < 0) {
            throw new IllegalArgumentException("MSR " + Msr.name(index) + " is not modeled");
        }
        return slot;
    }

    /** Base address of the 64-bit TSS (TR's base); 0: no TSS loaded. See {@link Tss}. */
    public long trBase() {
        return trBase;
    }

    public void setTrBase(long base) {
        trBase = base;
    }

    public Idt idt() {
        return idt;
    }

    public void setIdt(Idt idt) {
        this.idt = idt;
    }

    /** True when CS is a 32-bit code segment (after sysretl or an iret to one): entrysim runs no such code. */
    public boolean compatMode() {
        return compatMode;
    }

    public void setCompatMode(boolean compat) {
        compatMode = compat;
    }

    /** NMI blocking, the NMI latch, the STI shadow and pending maskable interrupts (live object). */
    public EventState events() {
        return events;
    }

    /** Canonical for the current paging mode: bits 63:47 equal (63:56 with CR4.LA57). */
    public boolean isCanonical(long address) {
        int shift = (cr4 & CR4_LA57) != 0 ? 7 : 16;
        return (address << shift) >> shift == address;
    }

    // ---- control registers: plain state

    public long cr0() {
        return cr0;
    }

    public void setCr0(long value) {
        cr0 = value;
    }

    public long cr2() {
        return cr2;
    }

    public void setCr2(long value) {
        cr2 = value;
    }

    /** CR3 (bit 63 is never stored, so it reads 0). */
    public long cr3() {
        return cr3;
    }

    /** Puts a value in CR3 without executing a MOV: no checks, no log entry; bit 63 dropped. */
    public void setCr3(long value) {
        cr3 = value & ~CR3_NOFLUSH;
    }

    public long cr4() {
        return cr4;
    }

    public void setCr4(long value) {
        cr4 = value;
    }

    public long cr8() {
        return cr8;
    }

    public void setCr8(long value) {
        cr8 = value;
    }

    // ---- control registers: MOV semantics (SDM Vol. 2, "MOV—Move to/from Control Registers")

    /** {@code mov %crN, reg}. */
    public long readCr(int n) {
        checkCrAccess(n);
        return switch (n) {
            case 0 -> cr0;
            case 2 -> cr2;
            case 3 -> cr3;
            case 4 -> cr4;
            default -> cr8;
        };
    }

    /** {@code mov reg, %crN}. */
    public void writeCr(int n, long value) {
        checkCrAccess(n);
        switch (n) {
            case 0 -> writeCr0(value);
            case 2 -> cr2 = value;
            case 3 -> writeCr3(value);
            case 4 -> writeCr4(value);
            default -> {
                if ((value & ~0xFL) != 0) {
                    throw CpuFault.generalProtection(0, "mov to %cr8 sets reserved bits 63:4");
                }
                cr8 = value;
            }
        }
    }

    /**
     * A MOV to CR3 (privilege already checked). With CR4.PCIDE=1, bit 63 set means "do not flush
     * this PCID" and is not stored; bit 63 clear flushes. With PCIDE=0 bit 63 is reserved: #GP(0),
     * unless the {@link CpuModel} says to ignore it. Bits 62:MAXPHYADDR are reserved (#GP(0)).
     * Every successful write is appended to {@link #cr3Writes()} and updates the {@link #tlb()}.
     */
    public void writeCr3(long value) {
        boolean pcide = (cr4 & CR4_PCIDE) != 0;
        boolean bit63 = value < 0;
        if (bit63 && !pcide && model.noFlushBitWithoutPcideFaults()) {
            throw CpuFault.generalProtection(0,
                "mov to %cr3 of 0x" + Long.toHexString(value) + ": bit 63 is reserved while CR4.PCIDE=0");
        }
        long reserved = value & model.cr3ReservedMask();
        if (reserved != 0) {
            throw CpuFault.generalProtection(0, "mov to %cr3 of 0x" + Long.toHexString(value)
                + ": reserved bits 0x" + Long.toHexString(reserved) + " above MAXPHYADDR ("
                + model.physicalAddressBits() + ")");
        }
        long stored = value & ~CR3_NOFLUSH;
        cr3 = stored;
        cr3Log = appendCr3Write(value, pcide && bit63, stored);
        tlb = tlb.onCr3Write(pcide ? (int) (stored & CR3_PCID_MASK) : 0, !(pcide && bit63));
    }

    /** The CR3 log with this write appended (the log a previous run made, when it made the same one). */
    private PersistentLog<Cr3Write> appendCr3Write(long value, boolean noFlush, long stored) {
        for (int i = recentCr3Writes.find(cr3Log, 0); i >= 0; i = recentCr3Writes.find(cr3Log, i + 1)) {
            PersistentLog<Cr3Write> made = recentCr3Writes.made(i);
            if (made.last().valueWritten() == value && made.last().noFlush() == noFlush) {
                return made;
            }
        }
        PersistentLog<Cr3Write> made = cr3Log.append(new Cr3Write(value, noFlush, stored));
        recentCr3Writes.remember(cr3Log, made);
        return made;
    }

    private void writeCr0(long value) {
        if ((value >>> 32) != 0) {
            throw CpuFault.generalProtection(0, "mov to %cr0 sets reserved bits 63:32");
        }
        if ((value & CR0_PG) == 0) {
            throw CpuFault.generalProtection(0, "mov to %cr0 clears CR0.PG in 64-bit mode");
        }
        if ((value & CR0_PE) == 0) {
            throw CpuFault.generalProtection(0, "mov to %cr0 sets CR0.PG with CR0.PE clear");
        }
        if ((value & CR0_NW) != 0 && (value & CR0_CD) == 0) {
            throw CpuFault.generalProtection(0, "mov to %cr0 sets CR0.NW with CR0.CD clear");
        }
        cr0 = value;
    }

    private void writeCr4(long value) {
        if ((value & CR4_PAE) == 0) {
            throw CpuFault.generalProtection(0, "mov to %cr4 clears CR4.PAE in 64-bit mode");
        }
        if ((value & CR4_PCIDE) != 0 && (cr4 & CR4_PCIDE) == 0 && (cr3 & CR3_PCID_MASK) != 0) {
            throw CpuFault.generalProtection(0, "mov to %cr4 sets CR4.PCIDE while CR3[11:0] = 0x"
                + Long.toHexString(cr3 & CR3_PCID_MASK) + " (must be 0)");
        }
        long old = cr4;
        cr4 = value;
        if (((old ^ value) & CR4_PGE) != 0 || ((old & ~value) & CR4_PCIDE) != 0) {
            tlb = tlb.flushAllThenLoad(activePcid()); // SDM 4.10.4.1, MOV to CR4
        }
    }

    private void checkCrAccess(int n) {
        if (n != 0 && n != 2 && n != 3 && n != 4 && n != 8) {
            throw CpuFault.invalidOpcode("%cr" + n + " does not exist");
        }
        if (cpl() != 0) {
            throw CpuFault.generalProtection(0, "mov to/from %cr" + n + " at CPL " + cpl());
        }
    }

    // ---- CR3 write log

    /** Every successful MOV to CR3 so far, oldest first. */
    public List<Cr3Write> cr3Writes() {
        return cr3Log.toList();
    }

    public PersistentLog<Cr3Write> cr3Log() {
        return cr3Log;
    }

    // ---- TLB and violations

    /** The PCID in use: CR3[11:0] with CR4.PCIDE=1, else 000H. */
    public int activePcid() {
        return (cr4 & CR4_PCIDE) != 0 ? (int) (cr3 & CR3_PCID_MASK) : 0;
    }

    public Tlb tlb() {
        return tlb;
    }

    /** Replaces the TLB state (the kernel side changing page tables; test setup). */
    public void setTlb(Tlb tlb) {
        this.tlb = tlb;
    }

    public PersistentLog<RuleViolation> violationLog() {
        return violations;
    }

    public void addViolation(RuleViolation violation) {
        violations = violations.append(violation);
    }

    // ---- snapshots

    public CpuSnapshot snapshot() {
        return new CpuSnapshot(gprs, rip, rflags, undefinedFlags, cr0, cr2, cr3, cr4, cr8,
            fsBase, gsBase, kernelGsBase, cs, ss, ds, es, cr3Log, memory.snapshot(), tlb, violations,
            new SystemSnapshot(msrs, trBase, idt, compatMode, events.save()));
    }

    public void restore(CpuSnapshot s) {
        for (int i = 0; i < Reg.COUNT; i++) {
            gprs[i] = s.gpr(i);
        }
        rip = s.rip();
        rflags = s.rflags();
        undefinedFlags = s.undefinedFlags();
        cr0 = s.cr0();
        cr2 = s.cr2();
        cr3 = s.cr3();
        cr4 = s.cr4();
        cr8 = s.cr8();
        fsBase = s.fsBase();
        gsBase = s.gsBase();
        kernelGsBase = s.kernelGsBase();
        cs = s.cs();
        ss = s.ss();
        ds = s.ds();
        es = s.es();
        cr3Log = s.cr3Log();
        tlb = s.tlb();
        violations = s.violations();
        memory.restore(s.memory());
        System.arraycopy(s.system().msrsShared(), 0, msrs, 0, msrs.length);
        trBase = s.system().trBase();
        idt = s.system().idt();
        compatMode = s.system().compatMode();
        events.restore(s.system().events());
    }
}

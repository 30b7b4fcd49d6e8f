package io.entrysim.cpu;

/**
 * The model-specific registers entrysim models, and what RDMSR/WRMSR do with them (Intel SDM
 * Vol. 2 "RDMSR", "WRMSR"; Vol. 4 for the MSRs). FS_BASE, GS_BASE and KERNEL_GS_BASE are the
 * {@link Cpu}'s segment-base fields; the others are stored in the CPU's MSR file by
 * {@link #slot}. Any other index is "unimplemented": RDMSR/WRMSR raise #GP(0).
 */
public final class Msr {
    private Msr() {}

    public static final int SPEC_CTRL = 0x48, PRED_CMD = 0x49;
    public static final int SYSENTER_CS = 0x174, SYSENTER_ESP = 0x175, SYSENTER_EIP = 0x176;
    public static final int EFER = 0xc000_0080, STAR = 0xc000_0081, LSTAR = 0xc000_0082,
        CSTAR = 0xc000_0083, FMASK = 0xc000_0084;
    public static final int FS_BASE = 0xc000_0100, GS_BASE = 0xc000_0101, KERNEL_GS_BASE = 0xc000_0102,
        TSC_AUX = 0xc000_0103;

    /** IA32_EFER bits: SYSCALL enable, long mode enable/active, execute-disable enable. */
    public static final long EFER_SCE = 1L, EFER_LME = 1L << 8, EFER_LMA = 1L << 10, EFER_NXE = 1L << 11;
    /** What Linux runs with (0xd01): the CPU is in long mode with SYSCALL and NX enabled. */
    public static final long DEFAULT_EFER = EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE;
    /** Linux's syscall_init(): SYSRET base __USER32_CS (0x23) in 63:48, SYSCALL CS __KERNEL_CS (0x10) in 47:32. */
    public static final long LINUX_STAR = (0x23L << 48) | (0x10L << 32);
    /**
     * Linux's SYSCALL_MASK since v5.x: CF PF AF ZF SF TF IF DF OF IOPL NT RF AC ID (v4.15 masked
     * only TF DF IF IOPL AC NT, 0x47700).
     */
    public static final long LINUX_FMASK = 0x25_7fd5L;

    /** IA32_SPEC_CTRL bits a current Intel CPU implements: IBRS STIBP SSBD IPRED_DIS_U/S RRSBA_DIS_U/S PSFD DDPD_U BHI_DIS_S. */
    public static final long SPEC_CTRL_DEFINED = 0x5ff;
    /** IA32_PRED_CMD: bit 0 IBPB (write-only command register). */
    public static final long PRED_CMD_IBPB = 1;

    /** Number of MSRs stored in the CPU's MSR file (see {@link #slot}). */
    public static final int STORED = 10;
    private static final int[] STORED_INDICES = {
        EFER, STAR, LSTAR, CSTAR, FMASK, SPEC_CTRL, SYSENTER_CS, SYSENTER_ESP, SYSENTER_EIP, TSC_AUX};

    /** The slot of a stored MSR in the CPU's MSR file, or -1 (a base-register MSR or not modeled). */
    static int slot(int index) {
        for (int i = 0; i < STORED; i++) {
            if (STORED_INDICES[i] == index) {
                return i;
            }
        }
        return -1;
    }

    /** The index stored at {@code slot}. */
    public static int indexOfSlot(int slot) {
        return STORED_INDICES[slot];
    }

    /** Values of the MSR file at reset of a Linux-configured CPU. */
    static long[] defaults() {
        long[] v = new long[STORED];
        v[slot(EFER)] = DEFAULT_EFER;
        v[slot(STAR)] = LINUX_STAR;
        v[slot(FMASK)] = LINUX_FMASK;
        return v;
    }

    /** True if the MSR holds state entrysim models (readable with {@link Cpu#msr}; PRED_CMD is a write-only command). */
    public static boolean isModeled(int index) {
        return slot(index) >= 0 || index == FS_BASE || index == GS_BASE || index == KERNEL_GS_BASE;
    }

    /** The MSR's name as Linux's msr-index.h spells it without {@code MSR_}, or its hex index. */
    public static String name(int index) {
        return switch (index) {
            case SPEC_CTRL -> "IA32_SPEC_CTRL";
            case PRED_CMD -> "IA32_PRED_CMD";
            case SYSENTER_CS -> "IA32_SYSENTER_CS";
            case SYSENTER_ESP -> "IA32_SYSENTER_ESP";
            case SYSENTER_EIP -> "IA32_SYSENTER_EIP";
            case EFER -> "EFER";
            case STAR -> "STAR";
            case LSTAR -> "LSTAR";
            case CSTAR -> "CSTAR";
            case FMASK -> "SYSCALL_MASK";
            case FS_BASE -> "FS_BASE";
            case GS_BASE -> "GS_BASE";
            case KERNEL_GS_BASE -> "KERNEL_GS_BASE";
            case TSC_AUX -> "TSC_AUX";
            default -> "0x" + Integer.toHexString(index);
        };
    }

    /** RDMSR: #GP(0) at CPL > 0, for an MSR not modeled, and for the write-only PRED_CMD. */
    public static long read(Cpu cpu, int index) {
        requireCpl0(cpu, "rdmsr");
        if (!isModeled(index)) {
            throw CpuFault.generalProtection(0, "rdmsr of " + unknownOrWriteOnly(index));
        }
        return cpu.msr(index);
    }

    /**
     * WRMSR with the SDM's checks: #GP(0) at CPL > 0, for an MSR not modeled, for reserved bits
     * set, and for a non-canonical address in an address MSR. EFER.LMA is read-only (the written
     * bit is ignored) and EFER.LME cannot change while CR0.PG=1.
     */
    public static void write(Cpu cpu, int index, long value) {
        requireCpl0(cpu, "wrmsr");
        String what = "wrmsr of 0x" + Long.toHexString(value) + " to " + name(index);
        switch (index) {
            case EFER -> {
                long reserved = value & ~(EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE);
                if (reserved != 0) {
                    throw CpuFault.generalProtection(0, what + ": reserved bits 0x" + Long.toHexString(reserved));
                }
                long old = cpu.msr(EFER);
                if (((old ^ value) & EFER_LME) != 0 && (cpu.cr0() & Cpu.CR0_PG) != 0) {
                    throw CpuFault.generalProtection(0, what + ": EFER.LME cannot change while CR0.PG=1");
                }
                cpu.setMsr(EFER, (value & ~EFER_LMA) | (old & EFER_LMA));
            }
            case LSTAR, CSTAR, SYSENTER_ESP, SYSENTER_EIP, FS_BASE, GS_BASE, KERNEL_GS_BASE -> {
                if (!cpu.isCanonical(value)) {
                    throw CpuFault.generalProtection(0, what + ": not a canonical address");
                }
                cpu.setMsr(index, value);
            }
            case FMASK, TSC_AUX -> {
                if ((value >>> 32) != 0) {
                    throw CpuFault.generalProtection(0, what + ": bits 63:32 are reserved");
                }
                cpu.setMsr(index, value);
            }
            case SPEC_CTRL -> {
                if ((value & ~SPEC_CTRL_DEFINED) != 0) {
                    throw CpuFault.generalProtection(0, what + ": reserved bits 0x"
                        + Long.toHexString(value & ~SPEC_CTRL_DEFINED));
                }
                cpu.setMsr(index, value);
            }
            case PRED_CMD -> {
                if ((value & ~PRED_CMD_IBPB) != 0) {
                    throw CpuFault.generalProtection(0, what + ": only bit 0 (IBPB) is defined");
                }
                // A command, not state: an IBPB has no architectural effect in this model.
            }
            case STAR, SYSENTER_CS -> cpu.setMsr(index, value);
            default -> throw CpuFault.generalProtection(0, "wrmsr to " + unknownOrWriteOnly(index));
        }
    }

    private static String unknownOrWriteOnly(int index) {
        return index == PRED_CMD ? "IA32_PRED_CMD (write-only)"
            : "MSR 0x" + Integer.toHexString(index) + " (not implemented by entrysim's CPU)";
    }

    private static void requireCpl0(Cpu cpu, String insn) {
        if (cpu.cpl() != 0) {
            throw CpuFault.generalProtection(0, insn + " at CPL " + cpu.cpl());
        }
    }
}

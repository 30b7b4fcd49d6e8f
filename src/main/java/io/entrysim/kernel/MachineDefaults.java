package io.entrysim.kernel;

/**
 * The default machine a snippet runs on with no setup: a kernel stack, a per-CPU area that
 * GS.base points at, a kernel CR3, and PCID enabled when the PCID feature is on. Addresses are
 * where x86-64 Linux puts these things, so values in traces look familiar.
 */
public final class MachineDefaults {
    private MachineDefaults() {}

    public static final long STACK_TOP = 0xffffc90000004000L;
    public static final long STACK_SIZE = 0x4000;
    public static final long PERCPU_BASE = 0xffff88807fc00000L;
    /** A kernel PGD: 8 KiB aligned (bit 12 clear), so the user copy is at +4 KiB as PTI lays it out. */
    public static final long KERNEL_PGD = 0x1c0a000L;
    /** Kernel PCID for ASID 0: the kernel's kern_pcid() is asid + 1. */
    public static final long KERNEL_PCID = 1;
    public static final long CR0 = 0x80050033L;
    public static final long CR4 = 0x3406f0L; // SMAP SMEP OSXSAVE OSXMMEXCPT OSFXSR PGE MCE PAE PSE
    public static final long CR4_PCIDE = 1L << 17;
    public static final long RFLAGS = 0x2;
    public static final int KERNEL_CS = 0x10;
    public static final int KERNEL_SS = 0x18;

    public static long cr3(boolean pcid) {
        return KERNEL_PGD | (pcid ? KERNEL_PCID : 0);
    }

    public static long cr4(boolean pcid) {
        return CR4 | (pcid ? CR4_PCIDE : 0);
    }
}

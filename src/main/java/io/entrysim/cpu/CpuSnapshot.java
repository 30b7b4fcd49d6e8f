package io.entrysim.cpu;

/**
 * Everything a {@link Cpu} holds, frozen: registers, RFLAGS with its undefined-flag mask,
 * control registers, segment bases and selectors, the CR3 write log, the memory image, the TLB
 * state and the violations found so far (immutable or copy-on-write, so taking a snapshot stays
 * cheap), and the MSRs, TR base, IDT and interrupt state ({@link SystemSnapshot}).
 */
public record CpuSnapshot(long[] gprs, long rip, long rflags, long undefinedFlags,
                          long cr0, long cr2, long cr3, long cr4, long cr8,
                          long fsBase, long gsBase, long kernelGsBase, int cs, int ss, int ds, int es,
                          PersistentLog<Cr3Write> cr3Log, Memory.Snapshot memory,
                          Tlb tlb, PersistentLog<RuleViolation> violations, SystemSnapshot system) {
    public CpuSnapshot {
        gprs = gprs.clone();
    }

    /** A copy: the snapshot stays immutable. */
    @Override
    public long[] gprs() {
        return gprs.clone();
    }

    public long gpr(int reg) {
        return gprs[reg];
    }
}

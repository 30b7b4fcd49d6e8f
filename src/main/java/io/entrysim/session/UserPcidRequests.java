package io.entrysim.session;

import io.entrysim.cpu.Cpu;
import io.entrysim.kernel.KernelDefaults;
import io.entrysim.kernel.PerCpuLayout;
import io.entrysim.kernel.UserPcidInvalidation;
import io.entrysim.kernel.UserPcidInvalidation.FlushMask;
import io.entrysim.diag.AsmError;

/**
 * The C side's "this mm's page tables changed" for kernel PCID N, asked for by
 * {@code --invalidate user-pcid=N} before a run or by the program calling the undefined
 * function {@code invalidate_user_asid(asid)} (v4.15's helper; kernel PCID = asid + 1). The mask
 * is the one the program's macros read: the Nov 2017 patches' 8-byte {@code user_asid_flush_mask}
 * when the program uses it, else v4.15's u16 {@code cpu_tlbstate.user_pcid_flush_mask}, in the
 * machine's per-CPU area (whatever GS holds at the time).
 */
public final class UserPcidRequests {
    /** The stub whose call is the program's own invalidation hook. */
    public static final String HOOK = "invalidate_user_asid";

    private UserPcidRequests() {}

    public static void invalidate(Cpu cpu, Build build, long kernelPcid, String cause) {
        if (kernelPcid < 0 || kernelPcid > 0x7ff) {
            throw new AsmError(null, "invalidation of kernel PCID " + kernelPcid + ": outside 0..0x7ff");
        }
        UserPcidInvalidation.apply(cpu, (int) kernelPcid, mask(build), cause);
    }

    static FlushMask mask(Build build) {
        long percpu = build.options().machine().percpuBase();
        Long kaiser = build.program().symbols().get("user_asid_flush_mask");
        if (kaiser != null) {
            return FlushMask.kaiser2017(percpu + kaiser);
        }
        // The field offset is the program's own asm-offsets value when it has one.
        long offset = build.cpp().macroBody("TLB_STATE_user_pcid_flush_mask").isPresent()
                ? new UserExpressions(build).value("TLB_STATE_user_pcid_flush_mask", "--invalidate")
                : KernelDefaults.TLB_STATE_USER_PCID_FLUSH_MASK;
        return FlushMask.v415(percpu + PerCpuLayout.known().get("cpu_tlbstate") + offset);
    }
}

package io.entrysim.cli;

import io.entrysim.cpu.Cpu;
import io.entrysim.kernel.KernelDefaults;
import io.entrysim.kernel.PerCpuLayout;
import io.entrysim.kernel.UserPcidInvalidation;
import io.entrysim.kernel.UserPcidInvalidation.FlushMask;
import io.entrysim.session.Build;
import io.entrysim.session.UserExpressions;
import io.entrysim.source.AsmError;

/**
 * {@code --invalidate user-pcid=N}: the C side's "this mm's page tables changed" for kernel PCID N.
 * The mask is the one the program's macros read: the Nov 2017 patches' 8-byte
 * {@code user_asid_flush_mask} when the program uses it, else v4.15's u16
 * {@code cpu_tlbstate.user_pcid_flush_mask}.
 */
final class Invalidations {
    private Invalidations() {}

    static void apply(Cpu cpu, Build build, UserExpressions exprs, String spec) {
        String prefix = "user-pcid=";
        if (!spec.startsWith(prefix)) {
            throw new AsmError(null, "--invalidate wants user-pcid=N, not `" + spec + "'");
        }
        long n = exprs.value(spec.substring(prefix.length()), "--invalidate");
        if (n < 0 || n > 0x7ff) {
            throw new AsmError(null, "--invalidate: kernel PCID " + n + " is outside 0..0x7ff");
        }
        Long kaiser = build.program().symbols().get("user_asid_flush_mask");
        // The field offset is the program's own asm-offsets value when it has one.
        String offset = build.cpp().macroBody("TLB_STATE_user_pcid_flush_mask").isPresent()
                ? "TLB_STATE_user_pcid_flush_mask" : Long.toString(KernelDefaults.TLB_STATE_USER_PCID_FLUSH_MASK);
        FlushMask mask = kaiser != null
                ? FlushMask.kaiser2017(cpu.gsBase() + kaiser)
                : FlushMask.v415(cpu.gsBase() + PerCpuLayout.known().get("cpu_tlbstate")
                        + exprs.value(offset, "--invalidate"));
        UserPcidInvalidation.apply(cpu, (int) n, mask, "--invalidate " + spec + " before the run");
    }
}

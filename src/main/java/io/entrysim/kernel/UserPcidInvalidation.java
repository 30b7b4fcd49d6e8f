package io.entrysim.kernel;

import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.Tlb;
import io.entrysim.diag.AsmError;

/**
 * The C side of "the kernel changed this mm's page tables" under PTI with PCID, as v4.15's
 * {@code invalidate_user_asid()} does: the user PCID's TLB entries become stale and the kernel
 * records the pending flush in a per-CPU mask ({@code __set_bit(kern_pcid(asid), mask)}) for the
 * exit path ({@code SWITCH_TO_USER_CR3}) to honour by writing CR3 without NOFLUSH.
 *
 * <p>Which mask is the caller's choice, by address and width: v4.15's
 * {@code cpu_tlbstate.user_pcid_flush_mask} (an {@code unsigned short}, at
 * {@code %gs:cpu_tlbstate + TLB_STATE_user_pcid_flush_mask}) or the Nov 2017 KAISER patches'
 * 8-byte {@code user_asid_flush_mask}.
 */
public final class UserPcidInvalidation {
    private UserPcidInvalidation() {}

    /** The per-CPU pending-flush mask: a linear address (GS base already added) and its width in bytes. */
    public record FlushMask(long address, int width) {
        public FlushMask {
            if (width != 1 && width != 2 && width != 4 && width != 8) {
                throw new IllegalArgumentException("mask width must be 1, 2, 4 or 8 bytes: " + width);
            }
        }

        /** v4.15: {@code unsigned short user_pcid_flush_mask} in struct tlb_state. */
        public static FlushMask v415(long address) {
            return new FlushMask(address, 2);
        }

        /** Nov 2017 patches: {@code DEFINE_PER_CPU(unsigned long, user_asid_flush_mask)}. */
        public static FlushMask kaiser2017(long address) {
            return new FlushMask(address, 8);
        }
    }

    /**
     * Marks user PCID {@code kernelPcid | 0x800} stale and sets bit {@code kernelPcid} of the
     * mask (a host write: not access-checked, not counted as a CPU write). {@code cause} names
     * the event in later reports, e.g. {@code "--invalidate user-pcid=1 before the run"}.
     *
     * @throws AsmError if the PCID is not a kernel PCID or its bit does not fit in the mask
     */
    public static void apply(Cpu cpu, int kernelPcid, FlushMask mask, String cause) {
        if (kernelPcid < 0 || kernelPcid >= Tlb.USER_PCID_BIT) {
            throw new AsmError(null, "kernel PCID 0x" + Integer.toHexString(kernelPcid)
                + " out of range: kernel PCIDs are 0..0x7ff (bit 11 marks the user twin)");
        }
        if (kernelPcid >= mask.width() * 8) {
            throw new AsmError(null, "kernel PCID " + kernelPcid + " has no bit in a " + mask.width()
                + "-byte flush mask (bits 0.." + (mask.width() * 8 - 1) + ")");
        }
        long old = cpu.memory().peek(mask.address(), mask.width());
        cpu.memory().poke(mask.address(), mask.width(), old | (1L << kernelPcid));
        cpu.setTlb(cpu.tlb().invalidateUserPcid(kernelPcid, new Tlb.Staleness(cause, cpu.cr3Log())));
    }
}

package io.entrysim.kernel;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Offsets of per-CPU variables inside the per-CPU area that GS.base points at (x86-64 per-CPU
 * symbols are offsets, so {@code %gs:cpu_tlbstate} reaches this CPU's copy). The variables the
 * entry code is known to use get fixed, documented offsets; any other per-CPU symbol a snippet
 * references is given the next free 64-byte slot and reported, so nothing is silently invented.
 */
public final class PerCpuLayout {
    /** Size of the modeled per-CPU area. */
    public static final long AREA_SIZE = 0x10000;
    private static final long SLOT = 64;
    private static final long AUTO_START = 0x8000;

    private static final Map<String, Long> KNOWN = new LinkedHashMap<>();

    static {
        // struct tlb_state gets a generous 0x100 so every asm-offsets variant fits.
        KNOWN.put("cpu_tlbstate", 0x1000L);
        // Nov 2017 KAISER patches: DEFINE_PER_CPU(unsigned long, user_asid_flush_mask)
        KNOWN.put("user_asid_flush_mask", 0x1100L);
        // 4.9.y KAISER
        KNOWN.put("x86_cr3_pcid_user", 0x1108L);
        KNOWN.put("unsafe_stack_register_backup", 0x1110L);
        KNOWN.put("cpu_current_top_of_stack", 0x1118L);
        KNOWN.put("current_task", 0x1120L);
        KNOWN.put("__preempt_count", 0x1128L);
        KNOWN.put("irq_count", 0x1130L);
        KNOWN.put("irq_stack_ptr", 0x1138L);
        // struct tss_struct (x86_hw_tss + I/O bitmap) is large: give it its own 16 KiB.
        KNOWN.put("cpu_tss_rw", 0x2000L);
        KNOWN.put("cpu_tss", 0x2000L);
    }

    private final Map<String, Long> auto = new LinkedHashMap<>();
    private long next = AUTO_START;

    /** Offset of a per-CPU symbol, allocating one for an unknown name. */
    public long offsetOf(String name) {
        Long known = KNOWN.get(name);
        if (known != null) {
            return known;
        }
        return auto.computeIfAbsent(name, n -> {
            long at = next;
            next += SLOT;
            if (next > AREA_SIZE) {
                throw new io.entrysim.diag.AsmError(null, "per-CPU symbol `" + n + "': the modeled per-CPU area ("
                        + (AREA_SIZE >> 10) + " KiB) has no room for more than " + (AREA_SIZE - AUTO_START) / SLOT
                        + " symbols allocated on use");
            }
            return at;
        });
    }

    /** Symbols allocated because a snippet used them (name -> offset), in first-use order. */
    public Map<String, Long> autoAllocated() {
        return auto;
    }

    public static Map<String, Long> known() {
        return KNOWN;
    }
}

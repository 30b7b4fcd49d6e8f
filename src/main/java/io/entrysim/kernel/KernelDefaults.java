package io.entrysim.kernel;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The kernel build configuration entrysim assumes unless told otherwise (-D/-U override):
 * a 64-bit SMP kernel, which is what {@code calling.h} and {@code PER_CPU_VAR} are written for.
 */
public final class KernelDefaults {
    private KernelDefaults() {}

    public static final Map<String, String> DEFINES;

    /** asm-offsets' TLB_STATE_user_pcid_flush_mask as the shim defines it (a real v6.6 build's value). */
    public static final long TLB_STATE_USER_PCID_FLUSH_MASK = 22;

    /** Where undefined symbols (C functions, tables) get their stubs: the module area, kernel-only. */
    public static final long EXTERN_BASE = 0xffffffffc0000000L;

    static {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("CONFIG_X86_64", "1");
        d.put("CONFIG_SMP", "1");
        DEFINES = java.util.Collections.unmodifiableMap(d);
    }
}

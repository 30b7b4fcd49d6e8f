package io.entrysim.check;

import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.Reg;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The machine state an expectation can name: the 64-bit GPRs, RIP, RFLAGS, the control
 * registers, the segment bases and selectors, and {@code cpl}, by the names {@code --set} uses.
 */
public final class StateValues {
    private StateValues() {}

    /** The non-GPR names, in the order {@link #read} gives them. */
    static final List<String> SYSTEM = List.of("rip", "rflags", "cr0", "cr2", "cr3", "cr4", "gs_base", "kernel_gs_base",
            "fs_base", "cs", "ss", "cpl");

    /** Every name {@link #read} gives, GPRs first. */
    public static final List<String> NAMES;

    static {
        List<String> n = new java.util.ArrayList<>();
        for (int r = 0; r < Reg.COUNT; r++) {
            n.add(Reg.name64(r));
        }
        n.addAll(SYSTEM);
        NAMES = List.copyOf(n);
    }

    /** Every named value of the CPU now. */
    public static Map<String, Long> read(Cpu c) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (int r = 0; r < Reg.COUNT; r++) {
            out.put(Reg.name64(r), c.reg(r));
        }
        out.put("rip", c.rip());
        out.put("rflags", c.rflags());
        out.put("cr0", c.cr0());
        out.put("cr2", c.cr2());
        out.put("cr3", c.cr3());
        out.put("cr4", c.cr4());
        out.put("gs_base", c.gsBase());
        out.put("kernel_gs_base", c.kernelGsBase());
        out.put("fs_base", c.fsBase());
        out.put("cs", (long) c.cs());
        out.put("ss", (long) c.ss());
        out.put("cpl", (long) c.cpl());
        return out;
    }
}

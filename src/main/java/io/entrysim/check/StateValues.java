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
        long[] values = new long[NAMES.size()];
        readInto(c, values);
        Map<String, Long> out = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            out.put(NAMES.get(i), values[i]);
        }
        return out;
    }

    /** The same values into {@code out}, in {@link #NAMES} order: a sweep's allocation-free read. */
    static void readInto(Cpu c, long[] out) {
        for (int r = 0; r < Reg.COUNT; r++) {
            out[r] = c.reg(r);
        }
        int i = Reg.COUNT; // SYSTEM's order
        out[i++] = c.rip();
        out[i++] = c.rflags();
        out[i++] = c.cr0();
        out[i++] = c.cr2();
        out[i++] = c.cr3();
        out[i++] = c.cr4();
        out[i++] = c.gsBase();
        out[i++] = c.kernelGsBase();
        out[i++] = c.fsBase();
        out[i++] = c.cs();
        out[i++] = c.ss();
        out[i] = c.cpl();
    }
}

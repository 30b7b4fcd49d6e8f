package io.entrysim.debug;

import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.Msr;
import io.entrysim.cpu.Reg;
import io.entrysim.isa.RegisterNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

/**
 * The registers a debugger expression names with {@code $}: every general-purpose register at
 * every width, RIP, RFLAGS, control and segment registers, the segment bases and the
 * system-call MSRs, plus {@code $cpl}.
 */
public final class Registers {
    private Registers() {}

    private static final Map<String, ToLongFunction<Cpu>> READERS = new TreeMap<>();

    static {
        for (String name : allGprNames()) {
            RegisterNames.GprName g = RegisterNames.gpr(name);
            int n = g.number();
            long mask = g.size() == 8 ? -1L : (1L << (8 * g.size())) - 1;
            int shift = g.highByte() ? 8 : 0;
            READERS.put(name, c -> (c.reg(n) >>> shift) & mask);
        }
        READERS.put("rip", Cpu::rip);
        READERS.put("pc", Cpu::rip);
        READERS.put("rflags", Cpu::rflags);
        READERS.put("eflags", Cpu::rflags);
        READERS.put("cr0", Cpu::cr0);
        READERS.put("cr2", Cpu::cr2);
        READERS.put("cr3", Cpu::cr3);
        READERS.put("cr4", Cpu::cr4);
        READERS.put("cr8", Cpu::cr8);
        READERS.put("cs", c -> c.cs());
        READERS.put("ss", c -> c.ss());
        READERS.put("ds", c -> c.ds());
        READERS.put("es", c -> c.es());
        READERS.put("cpl", c -> c.cpl());
        READERS.put("fs_base", Cpu::fsBase);
        READERS.put("gs_base", Cpu::gsBase);
        READERS.put("kernel_gs_base", Cpu::kernelGsBase);
        READERS.put("k_gs_base", Cpu::kernelGsBase);
        READERS.put("efer", c -> c.msr(Msr.EFER));
        READERS.put("star", c -> c.msr(Msr.STAR));
        READERS.put("lstar", c -> c.msr(Msr.LSTAR));
        READERS.put("syscall_mask", c -> c.msr(Msr.FMASK));
    }

    private static List<String> allGprNames() {
        List<String> names = new ArrayList<>();
        for (int r = 0; r < Reg.COUNT; r++) {
            for (int size : new int[] {8, 4, 2, 1}) {
                names.add(RegisterNames.gprName(r, size, false));
            }
        }
        for (int r = 0; r < 4; r++) {
            names.add(RegisterNames.gprName(r, 1, true));
        }
        return names;
    }

    /** The register's value, or empty when there is no register of that name (without {@code $}). */
    public static OptionalLong read(Cpu cpu, String name) {
        ToLongFunction<Cpu> r = READERS.get(name);
        return r == null ? OptionalLong.empty() : OptionalLong.of(r.applyAsLong(cpu));
    }

    /** The reader of the register {@code name}, or null. */
    static ToLongFunction<Cpu> reader(String name) {
        return READERS.get(name);
    }

    /** Every name {@link #read} knows, for completion. */
    public static List<String> names() {
        return List.copyOf(READERS.keySet());
    }
}

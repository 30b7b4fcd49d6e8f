package io.entrysim.session;

import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.Gate;
import io.entrysim.cpu.Idt;
import io.entrysim.cpu.Memory;
import io.entrysim.cpu.Tss;
import io.entrysim.kernel.MachineLayout;
import io.entrysim.kernel.PerCpuLayout;
import io.entrysim.diag.AsmError;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The system structures of the machine: memory aliases (cpu_entry_area's read-only view of the
 * per-CPU TSS), the TSS that TR points at, and the IDT, whose handlers are the program's symbols.
 */
public final class SystemSetup {
    private SystemSetup() {}

    static void apply(Cpu cpu, Build build) {
        MachineLayout m = build.options().machine();
        Map<Long, Long> pages = new HashMap<>();
        for (MachineLayout.Alias a : m.aliases()) {
            for (long off = 0; off < a.size(); off += Memory.PAGE_SIZE) {
                pages.put((a.start() + off) >>> Memory.PAGE_SHIFT, (a.target() + off) >>> Memory.PAGE_SHIFT);
            }
        }
        cpu.memory().setPageAliases(pages);
        Map<String, Long> t = m.tss();
        long[] ist = new long[7];
        for (int n = 1; n <= 7; n++) {
            ist[n - 1] = t.getOrDefault("ist" + n, 0L);
        }
        long base = t.getOrDefault("base", m.percpuBase() + PerCpuLayout.known().get("cpu_tss_rw"));
        new Tss(t.getOrDefault("sp0", 0L), t.getOrDefault("sp1", 0L), t.getOrDefault("sp2", 0L), ist).install(cpu, base);
        installIdt(cpu, build, m.idt(), "machine " + m.name());
    }

    /**
     * The vectors user mode may raise with {@code int $n} (gate DPL 3), as Linux's idt.c makes
     * them system gates: #BP ({@code int3}), #OF and IA32_SYSCALL_VECTOR 0x80. Every other gate
     * is DPL 0, so {@code int $n} to it from CPL 3 is #GP(n * 8 + 2).
     */
    static final java.util.Set<Integer> USER_VECTORS = java.util.Set.of(3, 4, 0x80);

    /** Adds gates; a handler the program does not define is an error naming where it was asked for. */
    public static void installIdt(Cpu cpu, Build build, List<MachineLayout.IdtEntry> entries, String askedBy) {
        Idt idt = cpu.idt();
        for (MachineLayout.IdtEntry e : entries) {
            Long handler = build.program().symbols().get(e.handler());
            // code, not necessarily an assembled instruction: bytes such as a kernel ALTERNATIVE's
            // 0x90 padding are decoded when they run
            var section = handler == null ? null : build.program().sectionAt(handler);
            if (section == null || !section.code()) {
                String why = "IDT vector " + e.vector() + " handler `" + e.handler()
                        + "' is not an instruction label of the program";
                throw new AsmError(e.where(), e.where() != null ? why : askedBy + ": " + why);
            }
            Gate gate = Gate.interrupt(handler).withIst(e.ist());
            if (USER_VECTORS.contains(e.vector())) {
                gate = gate.withDpl(3);
            }
            idt = idt.with(e.vector(), gate);
        }
        cpu.setIdt(idt);
    }
}

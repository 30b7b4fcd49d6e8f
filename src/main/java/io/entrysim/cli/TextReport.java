package io.entrysim.cli;

import static io.entrysim.cli.RegisterFormat.line;

import io.entrysim.assemble.Insn;
import io.entrysim.cpu.Cpu;
import io.entrysim.diag.Locations;
import io.entrysim.exec.Cr3WriteSite;
import io.entrysim.cpu.Reg;
import io.entrysim.session.Build;
import io.entrysim.session.RunOutcome;
import io.entrysim.session.Symbolizer;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/** The human-readable result of a run: gdb-style registers, then CR3 history and the stop. */
public final class TextReport {
    private TextReport() {}

    public static void render(PrintWriter out, Build build, Cpu cpu, RunOutcome outcome, List<MemoryDump> dumps) {
        registers(out, build, cpu);
        out.println();
        List<Cr3WriteSite> writes = outcome.cr3Writes();
        out.println("CR3 writes: " + (writes.isEmpty() ? "none" : writes.size()));
        int n = 1;
        for (Cr3WriteSite w : writes) {
            // %s, not %d: a localized %d loads the locale's number symbols, ~10 ms of a cold start
            out.printf("  %s. 0x%016x  %-8s -> cr3 0x%x  at %s%n", n++, w.write().valueWritten(),
                    w.write().noFlush() ? "no-flush" : "flush", w.write().stored(), where(w.insn()));
        }
        if (!build.autoPerCpu().isEmpty()) {
            out.println("per-CPU symbols allocated on use:");
            for (Map.Entry<String, Long> e : build.autoPerCpu().entrySet()) {
                out.printf("  %s = %%gs:0x%x%n", e.getKey(), e.getValue());
            }
        }
        if (!build.externals().isEmpty()) {
            out.println("undefined symbols given stubs (a call returns at once):");
            for (Map.Entry<String, Long> e : build.externals().entrySet()) {
                out.printf("  %s = 0x%x%n", e.getKey(), e.getValue());
            }
        }
        if (!build.bootPatches().isEmpty()) {
            out.println("patched at boot (as the kernel patches itself):");
            build.bootPatches().forEach(p -> out.println("  " + p));
        }
        for (MemoryDump d : dumps) {
            out.printf("memory %s @ 0x%x: %s%n", d.expr(), d.address(), spaced(d.hex()));
        }
        stopLines(out, outcome);
    }

    /** How the run stopped: steps, the stop, the fault, strict-flags reports and violations. */
    static void stopLines(PrintWriter out, RunOutcome outcome) {
        out.println("steps: " + outcome.steps());
        out.println("stop: " + outcome.stop().label() + (outcome.detail() == null ? "" : " (" + outcome.detail() + ")"));
        if (outcome.fault() != null) {
            out.println("fault: " + outcome.fault().summary() + " at " + where(outcome.faultingInsn()));
        }
        for (var v : outcome.flagViolations()) {
            out.println("strict-flags: " + v.message());
        }
        for (var v : outcome.violations()) {
            out.println("violation: " + v.kind() + (v.where() == null ? "" : " at " + v.where()) + ": " + v.message());
        }
    }

    /** The registers as gdb's {@code info registers} lists them (with the control registers decoded). */
    static void registers(PrintWriter out, Build build, Cpu cpu) {
        for (int r : Reg.GDB_ORDER) {
            long v = cpu.reg(r);
            boolean pointer = r == Reg.RSP || r == Reg.RBP;
            out.println(line(Reg.name64(r), v, pointer ? RegisterFormat.pointer(v) : RegisterFormat.signed(v)));
        }
        long rip = cpu.rip();
        String sym = new Symbolizer(build.program()).describe(rip);
        out.println(line("rip", rip, RegisterFormat.pointer(rip) + (sym.isEmpty() ? "" : " " + sym)));
        out.println(line("eflags", cpu.rflags(), RegisterFormat.eflags(cpu.rflags())));
        out.println(line("cs", cpu.cs(), Long.toString(cpu.cs())));
        out.println(line("ss", cpu.ss(), Long.toString(cpu.ss())));
        out.println(line("fs_base", cpu.fsBase(), RegisterFormat.signed(cpu.fsBase())));
        out.println(line("gs_base", cpu.gsBase(), RegisterFormat.signed(cpu.gsBase())));
        out.println(line("k_gs_base", cpu.kernelGsBase(), RegisterFormat.signed(cpu.kernelGsBase())));
        out.println(line("cr0", cpu.cr0(), RegisterFormat.cr0(cpu.cr0())));
        out.println(line("cr2", cpu.cr2(), RegisterFormat.signed(cpu.cr2())));
        out.println(line("cr3", cpu.cr3(), RegisterFormat.cr3(cpu.cr3())));
        out.println(line("cr4", cpu.cr4(), RegisterFormat.cr4(cpu.cr4())));
    }

    /** {@code file:line `insn' (in MACRO at file:line, ...)}. */
    static String where(Insn insn) {
        return insn == null ? "?" : Locations.describe(insn.origin, insn.text);
    }

    private static String spaced(String hex) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < hex.length(); i += 2) {
            sb.append(i == 0 ? "" : " ").append(hex, i, i + 2);
        }
        return sb.toString();
    }
}

package io.entrysim.dap;

import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.Reg;
import io.entrysim.debug.Debugger;
import io.entrysim.debug.Registers;
import io.entrysim.kernel.PerCpuLayout;
import io.entrysim.session.Build;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.lsp4j.debug.Scope;
import org.eclipse.lsp4j.debug.Variable;

/**
 * The machine state as DAP scopes and variables: general registers, flags (decoded), control
 * registers (decoded), segments and MSRs, the per-CPU variables, the stack. Each scope's
 * variables reference is its position in {@link #SCOPES} plus one; values are hex.
 */
final class DapVariables {
    static final String[] SCOPES = {"General registers", "Flags", "Control registers", "Segments and MSRs", "Per-CPU", "Stack"};
    /** Stack words shown. */
    static final int STACK_WORDS = 16;

    private static final String[] FLAGS = {"CF", null, "PF", null, "AF", null, "ZF", "SF", "TF", "IF", "DF", "OF"};

    private DapVariables() {}

    static Scope[] scopes() {
        Scope[] out = new Scope[SCOPES.length];
        for (int i = 0; i < SCOPES.length; i++) {
            Scope s = new Scope();
            s.setName(SCOPES[i]);
            s.setVariablesReference(i + 1);
            s.setPresentationHint(i == 0 ? "registers" : null);
            out[i] = s;
        }
        return out;
    }

    static Variable[] variables(Debugger dbg, Build build, int reference) {
        Cpu c = dbg.machine().cpu();
        List<Variable> out = new ArrayList<>();
        switch (reference) {
            case 1 -> {
                for (int r : Reg.GDB_ORDER) {
                    out.add(variable(Reg.name64(r), c.reg(r), "$" + Reg.name64(r)));
                }
                out.add(variable("rip", c.rip(), "$rip"));
            }
            case 2 -> {
                out.add(variable("rflags", c.rflags(), "$rflags"));
                for (int bit = 0; bit < FLAGS.length; bit++) {
                    if (FLAGS[bit] != null) {
                        out.add(text(FLAGS[bit], (c.rflags() >>> bit & 1) == 1 ? "1" : "0", "($rflags >> " + bit + ") & 1"));
                    }
                }
                out.add(text("IOPL", Long.toString(c.rflags() >>> 12 & 3), "($rflags >> 12) & 3"));
            }
            case 3 -> {
                out.add(variable("cr0", c.cr0(), "$cr0"));
                out.add(variable("cr2", c.cr2(), "$cr2"));
                long cr3 = c.cr3();
                out.add(variable("cr3", cr3, "$cr3"));
                out.add(text("cr3.pcid", "0x" + Long.toHexString(cr3 & Cpu.CR3_PCID_MASK), "$cr3 & 0xfff"));
                out.add(text("cr3.page_tables", (cr3 & 0x1000) != 0 ? "user (bit 12)" : "kernel", "($cr3 >> 12) & 1"));
                out.add(variable("cr4", c.cr4(), "$cr4"));
                out.add(text("cr4.pcide", (c.cr4() >>> 17 & 1) == 1 ? "1" : "0", "($cr4 >> 17) & 1"));
                out.add(variable("cr8", c.cr8(), "$cr8"));
            }
            case 4 -> {
                for (String name : List.of("cs", "ss", "ds", "es", "cpl", "fs_base", "gs_base", "kernel_gs_base", "efer", "star",
                        "lstar", "syscall_mask")) {
                    out.add(variable(name, Registers.read(c, name).orElse(0), "$" + name));
                }
            }
            case 5 -> {
                long base = build.options().machine().percpuBase();
                Map<String, Long> vars = new TreeMap<>(PerCpuLayout.known());
                vars.putAll(build.autoPerCpu());
                for (Map.Entry<String, Long> e : vars.entrySet()) {
                    out.add(variable(e.getKey(), c.memory().peek(base + e.getValue(), 8), "%gs:" + e.getKey()));
                }
            }
            case 6 -> {
                long rsp = c.reg(Reg.RSP);
                for (int i = 0; i < STACK_WORDS; i++) {
                    long a = rsp + 8L * i;
                    out.add(variable(String.format("rsp+0x%x", 8 * i), c.memory().peek(a, 8), String.format("*(long*)0x%x", a)));
                }
            }
            default -> { }
        }
        return out.toArray(Variable[]::new);
    }

    private static Variable variable(String name, long value, String evaluateName) {
        return text(name, "0x" + Long.toHexString(value), evaluateName);
    }

    private static Variable text(String name, String value, String evaluateName) {
        Variable v = new Variable();
        v.setName(name);
        v.setValue(value);
        v.setEvaluateName(evaluateName);
        v.setVariablesReference(0);
        return v;
    }
}

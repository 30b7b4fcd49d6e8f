package io.entrysim.kernel;

import io.entrysim.exec.StopReason;
import io.entrysim.session.RunSpec;
import io.entrysim.session.Machine;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.Reg;
import io.entrysim.session.Build;
import io.entrysim.session.BuildOptions;
import io.entrysim.session.Toolchain;
import io.entrysim.source.SourceFile;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Shim values v4.15's entry_64.S needs: cpu_current_top_of_stack and an overridable SIZEOF_entry_stack. */
class ShimV415Test {
    static Build build(String body, Map<String, String> defines) {
        String text = "#include <asm/asm-offsets.h>\n#include <asm/thread_info.h>\n#include <asm/percpu.h>\n"
                + body + "\n\thlt\n";
        BuildOptions o = new BuildOptions(List.of(), defines, Set.of(), Set.of(), Map.of(), true)
                .withMachine(MachineLayout.pti());
        return Toolchain.build(new SourceFile("shim.S", text), o);
    }

    @Test
    void currentTopOfStackIsTssSp1() {
        // v4.15 x86-64 asm: cpu_current_top_of_stack = cpu_tss_rw + TSS_sp1; the pti machine's
        // TSS.sp1 is kernel_stack_top, which the CPU's TSS (cea alias of cpu_tss_rw) holds.
        Build b = build("\tmovq PER_CPU_VAR(cpu_current_top_of_stack), %rax", Map.of());
        Machine m = Machine.create(b, RunSpec.defaults());
        Cpu cpu = m.cpu();
        assertEquals(StopReason.HLT, m.run().stop());
        assertEquals(0xffffc90000004000L, cpu.reg(Reg.RAX));
        assertEquals(Map.of(), b.autoPerCpu(), "no per-CPU variable of its own any more");
    }

    @Test
    void entryStackSizeIsAPageUnlessOverridden() {
        Build page = build("\tmovq $SIZEOF_entry_stack, %rbx", Map.of());
        Machine ma = Machine.create(page, RunSpec.defaults());
        Cpu a = ma.cpu();
        ma.run();
        assertEquals(4096, a.reg(Reg.RBX));
        Build v415 = build("\tmovq $SIZEOF_entry_stack, %rbx", Map.of("SIZEOF_entry_stack", "512"));
        Machine mb = Machine.create(v415, RunSpec.defaults());
        Cpu b = mb.cpu();
        mb.run();
        assertEquals(512, b.reg(Reg.RBX), "v4.15: struct entry_stack is 64 words");
        assertEquals(List.of(), v415.warnings(), "no redefinition warning");
    }
}

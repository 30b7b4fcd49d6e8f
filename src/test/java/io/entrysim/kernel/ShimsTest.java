package io.entrysim.kernel;

import io.entrysim.exec.StopReason;
import io.entrysim.session.RunSpec;
import io.entrysim.session.Machine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/** The kernel shim headers: ALTERNATIVE(_2) by feature set, static branches by key map, per-CPU addressing. */
class ShimsTest {
    static Cpu run(String body, Set<String> features, Map<String, Boolean> keys) {
        String text = "#include <asm/cpufeatures.h>\n#include <linux/jump_label.h>\n#include <asm/percpu.h>\n"
                + "#include <asm/unwind_hints.h>\n" + body + "\n\thlt\n";
        BuildOptions o = new BuildOptions(List.of(), Map.of(), Set.of(), features, keys, true);
        Build b = Toolchain.build(new SourceFile("shim.S", text), o);
        Machine m = Machine.create(b, RunSpec.defaults().withMaxSteps(1000));
        assertEquals(StopReason.HLT, m.run().stop());
        return m.cpu();
    }

    static final String ALT2 = "\tALTERNATIVE_2 \"mov $1, %eax\", \"mov $2, %eax\", X86_FEATURE_PTI, \"mov $3, %eax\", X86_FEATURE_PCID";

    @Test
    void alternative2PrefersTheSecondFeature() {
        assertEquals(1, run(ALT2, Set.of(), Map.of()).reg(Reg.RAX), "neither: oldinstr");
        assertEquals(2, run(ALT2, Set.of("PTI"), Map.of()).reg(Reg.RAX), "feature1 only: newinstr1");
        assertEquals(3, run(ALT2, Set.of("PCID"), Map.of()).reg(Reg.RAX), "feature2: newinstr2");
        assertEquals(3, run(ALT2, Set.of("PTI", "PCID"), Map.of()).reg(Reg.RAX), "both: newinstr2 wins");
    }

    @Test
    void alternativeStringsMayHoldSeveralInstructionsAndOuterJumps() {
        String body = "\tALTERNATIVE \"jmp 9f\", \"mov $5, %ebx; inc %ebx\", X86_FEATURE_SMAP\n\tmov $7, %ecx\n9:";
        Cpu on = run(body, Set.of("SMAP"), Map.of());
        assertEquals(6, on.reg(Reg.RBX));
        assertEquals(7, on.reg(Reg.RCX));
        Cpu off = run(body, Set.of(), Map.of());
        assertEquals(0, off.reg(Reg.RBX));
        assertEquals(0, off.reg(Reg.RCX), "the jump to 9f skipped the mov");
    }

    static final String STATIC = "\tSTATIC_JUMP_IF_FALSE 1f, some_key, def=%s\n\tmov $1, %%eax\n1:\n"
            + "\tSTATIC_JUMP_IF_TRUE 2f, some_key, def=%s\n\tmov $1, %%ebx\n2:";

    @Test
    void staticBranchesFollowTheKeyMapElseDef() {
        Cpu keyOn = run(String.format(STATIC, 0, 0), Set.of(), Map.of("some_key", true));
        assertEquals(1, keyOn.reg(Reg.RAX), "IF_FALSE falls through when the key is true");
        assertEquals(0, keyOn.reg(Reg.RBX), "IF_TRUE jumps when the key is true");
        Cpu keyOff = run(String.format(STATIC, 1, 1), Set.of(), Map.of("some_key", false));
        assertEquals(0, keyOff.reg(Reg.RAX));
        assertEquals(1, keyOff.reg(Reg.RBX));
        Cpu defOne = run(String.format(STATIC, 1, 1), Set.of(), Map.of());
        assertEquals(1, defOne.reg(Reg.RAX), "no --static-key: def=1 means enabled");
        assertEquals(0, defOne.reg(Reg.RBX));
    }

    @Test
    void perCpuVarIsGsRelativeAndUnwindHintsEmitNothing() {
        Cpu cpu = run("\tUNWIND_HINT_REGS base=%rsp offset=8\n\tmovq $0x1234, PER_CPU_VAR(cpu_tlbstate)\n"
                + "\tmovq PER_CPU_VAR(cpu_tlbstate), %rdx", Set.of(), Map.of());
        assertEquals(0x1234, cpu.reg(Reg.RDX));
        assertEquals(0x1234, cpu.memory().peek(MachineDefaults.PERCPU_BASE + PerCpuLayout.known().get("cpu_tlbstate"), 8));
        assertTrue(PerCpuLayout.known().containsKey("cpu_tss_rw"));
    }
}

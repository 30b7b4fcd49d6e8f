package io.entrysim.session;

import io.entrysim.assemble.DataBlock;
import io.entrysim.assemble.Program;
import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.Reg;
import io.entrysim.kernel.MachineDefaults;
import io.entrysim.assemble.AssemblerConfig;

/** Builds the CPU a program starts on: the default machine with the program's data loaded. */
public final class MachineSetup {
    private MachineSetup() {}

    public static Cpu newCpu(Build build) {
        boolean pcid = build.options().features().contains("PCID");
        Cpu cpu = new Cpu();
        cpu.setCr0(MachineDefaults.CR0);
        cpu.setCr4(MachineDefaults.cr4(pcid));
        cpu.setCr3(MachineDefaults.cr3(pcid));
        cpu.setRflags(MachineDefaults.RFLAGS);
        cpu.setCs(MachineDefaults.KERNEL_CS);
        cpu.setSs(MachineDefaults.KERNEL_SS);
        cpu.setGsBase(MachineDefaults.PERCPU_BASE);
        cpu.setReg(Reg.RSP, MachineDefaults.STACK_TOP);
        load(build.program(), cpu);
        return cpu;
    }

    /** Copies initialised sections into memory; per-CPU sections land in this CPU's area. */
    static void load(Program program, Cpu cpu) {
        for (DataBlock b : program.data()) {
            long at = b.section().startsWith(AssemblerConfig.PERCPU_SECTION_PREFIX)
                    ? cpu.gsBase() + b.address() : b.address();
            cpu.memory().writeBytes(at, b.bytes());
        }
    }
}

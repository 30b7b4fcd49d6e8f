package io.entrysim.session;

import io.entrysim.assemble.DataBlock;
import io.entrysim.assemble.Program;
import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.Reg;
import io.entrysim.kernel.MachineDefaults;
import io.entrysim.kernel.MachineLayout;
import io.entrysim.assemble.AssemblerConfig;

/**
 * Builds the CPU a program starts on: the default registers, the program's data loaded, and the
 * machine's address spaces installed (none on the flat machine).
 */
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
        MachineLayout machine = build.options().machine();
        cpu.setGsBase(machine.percpuBase());
        cpu.setReg(Reg.RSP, machine.kernelStackTop());
        load(build.program(), cpu);
        SystemSetup.apply(cpu, build);
        // after loading: the loader writes as the host, and the checker only sees the CPU's accesses
        machine.install(cpu, build.program());
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

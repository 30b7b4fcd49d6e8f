package io.entrysim.bench;

import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.Vectors;
import io.entrysim.kernel.MachineLayout;
import io.entrysim.session.Build;
import io.entrysim.session.BuildOptions;
import io.entrysim.session.Machine;
import io.entrysim.session.MachineSetup;
import io.entrysim.session.RunSpec;
import io.entrysim.session.SystemSetup;
import io.entrysim.session.Toolchain;
import java.util.List;
import java.util.Set;

/**
 * The machine a sweep runs on: the NMI sweep program built for {@code --machine pti --feature
 * PTI,PCID} with {@code --idt 2=nmi_handler:2}, i.e. page-table checks on every access, PCID
 * CR3 writes and an NMI on its IST stack.
 */
record SweepMachine(Build build, Cpu cpu, Machine machine) {
    static SweepMachine create() {
        BuildOptions options = BuildOptions.defaults()
                .withFeatures(Set.of("PTI", "PCID"))
                .withMachine(MachineLayout.pti());
        Build build = Toolchain.build(Workloads.nmiSweepProgram(), options);
        List<MachineLayout.IdtEntry> idt = List.of(new MachineLayout.IdtEntry(Vectors.NMI, "nmi_handler", 2));
        Cpu cpu = MachineSetup.newCpu(build);
        SystemSetup.installIdt(cpu, build, idt, "bench");
        Machine machine = Machine.create(build, RunSpec.defaults().withIdt(idt).withMaxSteps(NmiSweepBenchmark.MAX_STEPS));
        return new SweepMachine(build, cpu, machine);
    }

    /** The per-CPU variable the NMI handler increments (its address in this CPU's area). */
    long nmiCountAddress() {
        return cpu.gsBase() + build.autoPerCpu().get("bench_nmi_count");
    }
}

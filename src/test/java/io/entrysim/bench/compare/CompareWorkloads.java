package io.entrysim.bench.compare;

import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.Reg;
import io.entrysim.exec.StopReason;
import io.entrysim.kernel.KernelTree;
import io.entrysim.kernel.MachineLayout;
import io.entrysim.session.Build;
import io.entrysim.session.BuildOptions;
import io.entrysim.session.Machine;
import io.entrysim.session.RunOutcome;
import io.entrysim.session.RunSpec;
import io.entrysim.session.Toolchain;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * entrysim's side of {@code bin/bench --compare}: the workloads of {@code bench/compare/*.S} on a
 * {@link Machine}, the session the CLI runs (restore a snapshot, run to hlt). The Unicorn side is
 * {@code bench/compare/ucmachine.py}; {@link #finalState} and its {@code final} command report the
 * same fields so that {@link UnicornDifferentialTest} can check both ran the same workload.
 */
final class CompareWorkloads {
    static final Path DIR = Path.of("bench", "compare");
    /** Flags every workload defines (CF PF ZF SF OF), as ucmachine.DEFINED_FLAGS. */
    static final long DEFINED_FLAGS = 0x8C5;
    static final long LOOP_RDX = 0x5A5A;
    static final Map<String, Integer> LOOPS = Map.of("loop-dec", 2, "loop-bt", 8);

    private CompareWorkloads() {}

    /** cr3-sweep.S on the pti machine with PTI and PCID, on the entry stack with the user tables loaded. */
    static final class Sweep {
        final Machine machine;
        private final Machine.Snapshot start;
        private final long flushMask;
        private final long code;

        Sweep(Path dir) {
            BuildOptions options = BuildOptions.defaults().withFeatures(Set.of("PTI", "PCID"))
                    .withMachine(MachineLayout.pti());
            Build build = Toolchain.build(dir.resolve("cr3-sweep.S"), options);
            machine = Machine.create(build, RunSpec.defaults().withSets(List.of("rsp=entry_stack_top", "cr3=user_pgd+0x801")));
            start = machine.snapshot();
            flushMask = machine.expressions().address("%gs:cpu_tlbstate+22", "bench", 0);
            code = machine.cpu().rip();
        }

        /** The flush mask state k starts with (as ucmachine.Sweep.mask). */
        static long mask(long k) {
            return (k * 0x9E37) & 0xFFFF;
        }

        RunOutcome runState(long k) {
            machine.restore(start);
            machine.cpu().memory().poke(flushMask, 2, mask(k));
            return machine.run();
        }

        Map<String, Long> finalState(long k) {
            RunOutcome out = runState(k);
            Map<String, Long> s = registers(machine, out, code);
            Cpu cpu = machine.cpu();
            long percpu = machine.build().options().machine().percpuBase();
            s.put("flush_mask", cpu.memory().peek(flushMask, 2));
            s.put("entries", cpu.memory().peek(percpu + machine.build().autoPerCpu().get("bench_entries"), 8));
            s.put("flushes", cpu.memory().peek(percpu + machine.build().autoPerCpu().get("bench_flushes"), 8));
            return s;
        }
    }

    /** loop-dec.S or loop-bt.S on the default (flat) machine: RCX iterations from the same registers. */
    static final class Loop {
        final Machine machine;
        final int perIteration;
        private final Machine.Snapshot start;
        private final long code;

        Loop(Path dir, String name) {
            perIteration = LOOPS.get(name);
            Build build = Toolchain.build(dir.resolve(name + ".S"), BuildOptions.defaults());
            machine = Machine.create(build, RunSpec.defaults().withMaxSteps(Long.MAX_VALUE)
                    .withSets(List.of("rdx=" + LOOP_RDX)));
            start = machine.snapshot();
            code = machine.cpu().rip();
        }

        /** Runs the loop; the instructions executed, its final hlt not counted (as Unicorn counts). */
        long run(long iterations) {
            RunOutcome out = runLoop(iterations);
            return out.steps() - 1;
        }

        private RunOutcome runLoop(long iterations) {
            machine.restore(start);
            machine.cpu().setReg(Reg.RCX, iterations);
            RunOutcome out = machine.run();
            if (out.stop() != StopReason.HLT || out.steps() != iterations * perIteration + 1) {
                throw new IllegalStateException("the loop stopped with " + out.stop() + " after " + out.steps() + " steps");
            }
            return out;
        }

        Map<String, Long> finalState(long iterations) {
            return registers(machine, runLoop(iterations), code);
        }
    }

    /** entry_64.S of a kernel tree, as {@code --kernel-tree} builds it (headers, config, -includes). */
    static Build frontEnd(Path tree) {
        KernelTree kernel = KernelTree.open(tree);
        return Toolchain.build(kernel.entryDir().resolve("entry_64.S"), BuildOptions.defaults().withKernelTree(kernel));
    }

    /**
     * The fields ucmachine.state() reports: GPRs, RIP as the hlt's offset from the start (Unicorn
     * stops before the hlt, entrysim after it), the defined flags, CR3.
     */
    static Map<String, Long> registers(Machine machine, RunOutcome out, long start) {
        if (out.stop() != StopReason.HLT) {
            throw new IllegalStateException("stopped with " + out.stop() + ", not at hlt");
        }
        Cpu cpu = machine.cpu();
        Map<String, Long> s = new LinkedHashMap<>();
        for (String r : List.of("rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi")) {
            s.put(r, cpu.reg(Reg.byName64(r)));
        }
        s.put("rip", cpu.rip() - 1 - start);
        s.put("rflags", cpu.rflags() & DEFINED_FLAGS);
        s.put("cr3", cpu.cr3());
        return s;
    }
}

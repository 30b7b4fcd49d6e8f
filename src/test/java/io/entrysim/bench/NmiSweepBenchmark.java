package io.entrysim.bench;

import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.CpuSnapshot;
import io.entrysim.exec.Executor;
import io.entrysim.exec.RunResult;
import io.entrysim.session.Build;
import io.entrysim.session.RunOutcome;
import io.entrysim.session.Machine;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * An NMI sweep: runs per second of "restore the start state, deliver an NMI before step k, run
 * to hlt", k cycling through every step of the main path (15 main + 13 handler steps, CR3
 * writes, per-CPU accesses, the IST2 stack, all page-table checked). {@code runs} reuses one bare
 * {@link Executor}; {@code runsViaMachine} goes through the {@link Machine} session every front
 * door uses (restore a snapshot, inject, run, with CR3-write sites and the program's hooks).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class NmiSweepBenchmark {
    static final long MAX_STEPS = 1000;

    private Build build;
    private Cpu cpu;
    private CpuSnapshot start;
    private Executor executor;
    private int k;
    private Machine machine;
    private Machine.Snapshot machineStart;

    @Setup
    public void setUp() {
        SweepMachine m = SweepMachine.create();
        build = m.build();
        cpu = m.cpu();
        start = cpu.snapshot();
        executor = new Executor(build.program(), cpu);
        machine = m.machine();
        machineStart = machine.snapshot();
        k = 0;
    }

    @Benchmark
    public RunResult runs() {
        return runAt(nextStep());
    }

    @Benchmark
    public RunOutcome runsViaMachine() {
        machine.restore(machineStart);
        machine.injectNmiAt(nextStep());
        return machine.run();
    }

    /** One sweep point: the NMI arrives before step {@code step} (1-based). */
    RunResult runAt(int step) {
        cpu.restore(start);
        executor.clearInjections();
        executor.injectNmiAt(step);
        return executor.run(0, MAX_STEPS);
    }

    private int nextStep() {
        k = k % Workloads.SWEEP_MAIN_STEPS + 1;
        return k;
    }

    Cpu cpu() {
        return cpu;
    }

    Cpu machineCpu() {
        return machine.cpu();
    }
}

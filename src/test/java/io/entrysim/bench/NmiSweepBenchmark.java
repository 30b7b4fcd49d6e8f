package io.entrysim.bench;

import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.CpuSnapshot;
import io.entrysim.exec.ExecOptions;
import io.entrysim.exec.Executor;
import io.entrysim.exec.RunResult;
import io.entrysim.session.Build;
import io.entrysim.session.RunOutcome;
import io.entrysim.session.RunRequest;
import io.entrysim.session.Runner;
import java.util.List;
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
 * writes, per-CPU accesses, the IST2 stack, all page-table checked). {@code runs} reuses one
 * {@link Executor}, as a sweep driver would; {@code runsViaRunner} goes through {@link Runner}
 * as {@code entrysim run --nmi-at K} does (a new executor and a CR3-recording listener per run).
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

    @Setup
    public void setUp() {
        SweepMachine m = SweepMachine.create();
        build = m.build();
        cpu = m.cpu();
        start = cpu.snapshot();
        executor = new Executor(build.program(), cpu);
        k = 0;
    }

    @Benchmark
    public RunResult runs() {
        return runAt(nextStep());
    }

    @Benchmark
    public RunOutcome runsViaRunner() {
        cpu.restore(start);
        return Runner.run(build, cpu, new RunRequest(null, MAX_STEPS, null, ExecOptions.DEFAULT, false,
                List.of((long) nextStep())));
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
}

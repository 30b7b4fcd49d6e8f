package io.entrysim.bench;

import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.CpuSnapshot;
import io.entrysim.exec.Executor;
import io.entrysim.exec.RunResult;
import io.entrysim.session.Build;
import io.entrysim.session.BuildOptions;
import io.entrysim.session.MachineSetup;
import io.entrysim.session.Toolchain;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The executor: instructions per second in a tight loop of ALU, bt/btr/bts, push/pop and
 * conditional-branch instructions on the default (flat) machine, no listener (the executor's
 * allocation-free path). Each run starts from the same snapshot.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class ExecuteBenchmark {
    private Cpu cpu;
    private CpuSnapshot start;
    private Executor executor;

    @Setup
    public void setUp() {
        Build build = Toolchain.build(Workloads.executeLoop(), BuildOptions.defaults());
        cpu = MachineSetup.newCpu(build);
        start = cpu.snapshot();
        executor = new Executor(build.program(), cpu);
        RunResult r = instructions();
        if (r.steps() != Workloads.EXECUTE_STEPS) {
            throw new IllegalStateException("the loop ran " + r + ", not " + Workloads.EXECUTE_STEPS + " steps to hlt");
        }
    }

    @Benchmark
    @OperationsPerInvocation(Workloads.EXECUTE_STEPS)
    public RunResult instructions() {
        cpu.restore(start);
        return executor.run(0, Workloads.EXECUTE_STEPS);
    }
}

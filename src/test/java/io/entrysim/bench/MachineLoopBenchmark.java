package io.entrysim.bench;

import io.entrysim.session.Build;
import io.entrysim.session.BuildOptions;
import io.entrysim.session.Machine;
import io.entrysim.session.RunOutcome;
import io.entrysim.session.RunSpec;
import io.entrysim.session.Toolchain;
import io.entrysim.source.SourceFile;
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
 * Instructions per second on the path {@code entrysim run} takes (no {@code --trace}): a {@link
 * Machine} session on the default machine, restarted and run to hlt. {@code decJnz} is a
 * two-instruction {@code dec}/{@code jnz} loop; {@code bitStack} a {@code bt}/{@code adc}/{@code
 * btr}/{@code push}/{@code pop} loop.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class MachineLoopBenchmark {
    private Machine decLoop;
    private Machine bitLoop;

    @Setup
    public void setUp() {
        decLoop = machineFor(Workloads.decLoop());
        bitLoop = machineFor(Workloads.bitLoop());
    }

    private static Machine machineFor(SourceFile source) {
        Build build = Toolchain.build(source, BuildOptions.defaults());
        return Machine.create(build, RunSpec.defaults());
    }

    @Benchmark
    @OperationsPerInvocation(Workloads.DEC_LOOP_STEPS)
    public RunOutcome decJnz() {
        decLoop.restart();
        return decLoop.run();
    }

    @Benchmark
    @OperationsPerInvocation(Workloads.BIT_LOOP_STEPS)
    public RunOutcome bitStack() {
        bitLoop.restart();
        return bitLoop.run();
    }
}

package io.entrysim.bench;

import io.entrysim.cpu.Reg;
import io.entrysim.exec.StopReason;
import io.entrysim.kernel.MachineLayout;
import io.entrysim.session.Build;
import io.entrysim.session.BuildOptions;
import io.entrysim.session.Machine;
import io.entrysim.session.RunOutcome;
import io.entrysim.session.RunSpec;
import io.entrysim.session.Toolchain;
import java.util.Set;
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
 * A per-state sweep through the public sweep API: states per second of "restore the machine's
 * snapshot, set the state's input (%rdx), run the 27-instruction CR3 snippet to hlt" on the pti
 * machine with PCID (two CR3 writes, per-CPU and stack accesses, all page-table checked).
 * {@code states} takes each run's {@link RunOutcome}; {@code statesToStop} only its stop. Run
 * with {@code -prof gc} for the allocation per state.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class Cr3SweepBenchmark {
    private Machine machine;
    private Machine.Snapshot start;
    private long input;

    @Setup
    public void setUp() {
        BuildOptions options = BuildOptions.defaults()
                .withFeatures(Set.of("PTI", "PCID"))
                .withMachine(MachineLayout.pti());
        Build build = Toolchain.build(Workloads.cr3Snippet(), options);
        machine = Machine.create(build, RunSpec.defaults().withMaxSteps(100));
        start = machine.snapshot();
        input = 0;
    }

    @Benchmark
    public RunOutcome states() {
        machine.restore(start);
        machine.cpu().setReg(Reg.RDX, input++);
        return machine.run();
    }

    /** The same through {@link Machine#runToStop()}: a sweep that looks only at why each run stopped. */
    @Benchmark
    public StopReason statesToStop() {
        machine.restore(start);
        machine.cpu().setReg(Reg.RDX, input++);
        return machine.runToStop();
    }

    Machine machine() {
        return machine;
    }
}

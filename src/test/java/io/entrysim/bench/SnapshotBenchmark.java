package io.entrysim.bench;

import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.CpuSnapshot;
import io.entrysim.cpu.Reg;
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
 * Machine states per second, the currency of sweeps (the goal: millions per second per core).
 * {@code states}: take a snapshot, write the stack (a CPU write, page-table checked and
 * copy-on-write), restore. {@code restores}: the sweep's per-run reset alone, a write then a
 * restore of one fixed snapshot. On the pti machine of {@link SweepMachine}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class SnapshotBenchmark {
    private Cpu cpu;
    private CpuSnapshot base;
    private long stackSlot;
    private long value;

    @Setup
    public void setUp() {
        cpu = SweepMachine.create().cpu();
        base = cpu.snapshot();
        stackSlot = cpu.reg(Reg.RSP) - 8;
    }

    @Benchmark
    public CpuSnapshot states() {
        CpuSnapshot s = cpu.snapshot();
        cpu.memory().write(stackSlot, 8, ++value);
        cpu.restore(s);
        return s;
    }

    @Benchmark
    public Cpu restores() {
        cpu.memory().write(stackSlot, 8, ++value);
        cpu.restore(base);
        return cpu;
    }

    Cpu cpu() {
        return cpu;
    }

    long stackSlot() {
        return stackSlot;
    }
}

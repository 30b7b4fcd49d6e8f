package io.entrysim.bench;

import io.entrysim.debug.Debugger;
import io.entrysim.debug.Stop;
import io.entrysim.session.BuildOptions;
import io.entrysim.session.Machine;
import io.entrysim.session.RunSpec;
import io.entrysim.session.Toolchain;
import io.entrysim.source.SourceFile;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The debugger's interactive latencies (issue 10's targets: a {@code step} within 5 ms, a
 * {@code reverse-continue} over 10^5 executed instructions within 50 ms). {@code step}: one
 * {@code step} command in a loop with a CR3-writing macro. {@code reverseContinue}: back over
 * {@link #SPAN} instructions to the breakpoint before the loop (found in the history log);
 * {@code reverseContinueWatch}: the same span with a watchpoint that never changes, so every
 * instruction is re-executed and the watch evaluated.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class DebuggerBenchmark {
    /** Instructions between the breakpoint at {@code start} and the state reverse-continue starts from. */
    static final int SPAN = 100_000;

    /** 4 instructions a round, 30000 rounds: more than {@link #SPAN} instructions after the setup line. */
    static final String LOOP = String.join("\n",
            ".macro bump reg:req",
            "\taddq\t$0x1000, \\reg",
            "\tmovq\t\\reg, %cr3",
            ".endm",
            "\t.text",
            "start:",
            "\tmovq\t$0x1c0a000, %rax",
            "1:\tbump %rax",
            "\tdecq\t%rcx",
            "\tjnz\t1b",
            "\thlt",
            "");

    private Debugger dbg;
    private Debugger watched;

    static Debugger debugger() {
        Machine m = Machine.create(Toolchain.build(new SourceFile("loop.S", LOOP), BuildOptions.defaults()),
                RunSpec.defaults().withSets(java.util.List.of("rcx=30000")));
        return new Debugger(m);
    }

    @Setup(Level.Trial)
    public void setUp() {
        dbg = debugger();
        dbg.breakAt("start", false);
        watched = debugger();
        watched.watch("$rbx");
    }

    /** Puts both debuggers {@link #SPAN} instructions into the run (not measured). */
    @Setup(Level.Invocation)
    public void forward() {
        for (Debugger d : new Debugger[] {dbg, watched}) {
            if (d.step() != SPAN) {
                d.restart();
                d.stepi(SPAN);
            }
        }
    }

    @Benchmark
    public Stop step() {
        Stop s = dbg.step(1);
        dbg.reverseStepi(1); // stay mid-loop (not a step of its own: at most one replay of the interval)
        return s;
    }

    @Benchmark
    public Stop reverseContinue() {
        return dbg.reverseContinue();
    }

    @Benchmark
    public Stop reverseContinueWatch() {
        return watched.reverseContinue();
    }

    Debugger dbg() {
        return dbg;
    }

    Debugger watched() {
        return watched;
    }
}

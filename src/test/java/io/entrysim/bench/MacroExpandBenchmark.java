package io.entrysim.bench;

import io.entrysim.macro.ExpanderConfig;
import io.entrysim.macro.GasMacroExpander;
import io.entrysim.parse.GasConditionEvaluator;
import io.entrysim.source.SourceLine;
import java.util.List;
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
 * GNU as macro expansion: output statements per second for 3000 nested macro calls with
 * defaults, keyword arguments, {@code \@} and {@code .if}, plain lines and a {@code .rept}
 * (the workload of macro/ExpansionVolumeTest), with the parse stage's real evaluator.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class MacroExpandBenchmark {
    private List<SourceLine> input;

    @Setup
    public void setUp() {
        input = Workloads.macroSource();
    }

    @Benchmark
    @OperationsPerInvocation(Workloads.EXPANDED_STATEMENTS)
    public List<SourceLine> statements() {
        return new GasMacroExpander(new GasConditionEvaluator(), ExpanderConfig.defaults()).expand(input);
    }
}

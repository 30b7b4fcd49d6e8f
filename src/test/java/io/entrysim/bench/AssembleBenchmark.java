package io.entrysim.bench;

import io.entrysim.assemble.Assembler;
import io.entrysim.assemble.AssemblerConfig;
import io.entrysim.assemble.Program;
import io.entrysim.kernel.KernelDefaults;
import io.entrysim.kernel.MachineLayout;
import io.entrysim.kernel.PerCpuLayout;
import io.entrysim.parse.Statement;
import io.entrysim.parse.StatementParser;
import io.entrysim.session.BuildOptions;
import io.entrysim.session.Toolchain;
import io.entrysim.source.SourceLine;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * The assembler: parsed statements per second turned into a decoded program (symbols, local
 * labels, per-CPU references, data sections, stubs for undefined calls), configured as
 * {@link Toolchain} configures it for the flat machine.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class AssembleBenchmark {
    /** ".text", then 21 statements per function (labels count as statements). */
    static final int STATEMENTS = 1 + Workloads.ASSEMBLE_FUNCTIONS * 21;

    private List<Statement> statements;

    @Setup
    public void setUp() {
        // The front end proper (and a check that the source assembles) before the timed part.
        List<SourceLine> expanded = Toolchain.build(Workloads.assembleSource(), BuildOptions.defaults()).statements();
        StatementParser parser = new StatementParser();
        statements = new ArrayList<>();
        for (SourceLine line : expanded) {
            statements.addAll(parser.parse(line));
        }
    }

    @Benchmark
    @OperationsPerInvocation(STATEMENTS)
    public Program statements() {
        return assembler().assemble(statements);
    }

    /** A fresh assembler as Toolchain.build makes one: per-CPU offsets, machine symbols, stubs. */
    static Assembler assembler() {
        PerCpuLayout percpu = new PerCpuLayout();
        MachineLayout machine = MachineLayout.flat();
        Map<String, Long> linkerSymbols = machine.symbols();
        AssemblerConfig config = AssemblerConfig.defaults((name, perCpu) ->
                        perCpu || PerCpuLayout.known().containsKey(name)
                                ? Long.valueOf(percpu.offsetOf(name)) : linkerSymbols.get(name))
                .withSectionBases(machine.placements())
                .withExternBase(KernelDefaults.EXTERN_BASE);
        return new Assembler(config);
    }

    List<Statement> parsedStatements() {
        return statements;
    }
}

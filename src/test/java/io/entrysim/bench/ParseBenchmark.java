package io.entrysim.bench;

import io.entrysim.parse.StatementParser;
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
 * The ANTLR statement parser: expanded statement lines per second (entry-code-like shapes:
 * per-CPU operands, expressions, local labels, section directives, assignments), with one parser
 * reused as a build does.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class ParseBenchmark {
    private List<SourceLine> lines;
    private StatementParser parser;

    @Setup
    public void setUp() {
        lines = Workloads.parseLines();
        parser = new StatementParser();
    }

    @Benchmark
    @OperationsPerInvocation(Workloads.PARSE_LINES)
    public int statements() {
        return parseAll(parser, lines);
    }

    static int parseAll(StatementParser parser, List<SourceLine> lines) {
        int n = 0;
        for (SourceLine line : lines) {
            n += parser.parse(line).size();
        }
        return n;
    }
}

package io.entrysim.bench;

import io.entrysim.kernel.KernelDefaults;
import io.entrysim.source.IncludeRoot;
import io.entrysim.source.Preprocessor;
import io.entrysim.source.PreprocessorConfig;
import io.entrysim.source.SourceFile;
import io.entrysim.source.SourceLine;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * cpp: input lines per second over a generated .S with two include-guarded headers, object- and
 * function-like macros, stringification and #if/#elif chains. A fresh {@link Preprocessor} per
 * run, as each build makes one (so lexing is measured too).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class PreprocessBenchmark {
    private PreprocessorConfig config;
    private SourceFile main;

    @Setup
    public void setUp() {
        Map<String, String> defines = new LinkedHashMap<>(KernelDefaults.DEFINES);
        defines.put("CONFIG_PAGE_TABLE_ISOLATION", "1");
        defines.put("CONFIG_RETPOLINE", "1");
        IncludeRoot headers = Workloads.headers();
        config = new PreprocessorConfig(List.of(headers), defines, Set.of());
        main = Workloads.preprocessMain();
    }

    @Benchmark
    @OperationsPerInvocation(Workloads.PREPROCESS_INPUT_LINES)
    public List<SourceLine> lines() {
        return new Preprocessor(config).preprocess(main);
    }
}

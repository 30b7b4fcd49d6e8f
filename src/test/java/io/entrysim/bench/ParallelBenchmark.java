package io.entrysim.bench;

import io.entrysim.check.SpecRunner;
import io.entrysim.check.TestPoint;
import io.entrysim.check.TestResult;
import io.entrysim.equiv.Dimension;
import io.entrysim.equiv.Equivalence;
import io.entrysim.equiv.OverClauses;
import io.entrysim.options.MachineOptions;
import io.entrysim.parallel.Workers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import picocli.CommandLine;

/**
 * The {@code -j} scaling of the three parallel front doors, with {@code jobs} workers (compare
 * the scores for 1 and 2; run from the project directory, which holds asm-samples/):
 * {@code equiv}: states per second of {@code entrysim equiv} over 65,536 states (bt-vs-btr.S's
 * two entries, every 16-bit flush mask); {@code nmiSweep}: boundaries per second of an
 * {@code ENTRYSIM-NMI: each} sweep of 1,002 boundaries (a countdown loop on the pti machine, the
 * handler saving and putting back the CR3), warm build; {@code equivNmiEach}: states per second
 * of {@code equiv --nmi each} over nmi-in-exit-window.S; {@code testSamples}: whole
 * {@code entrysim test asm-samples/} runs per second, in this JVM (builds included, no JVM start).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@State(Scope.Benchmark)
public class ParallelBenchmark {
    static final int EQUIV_STATES = 65_536;
    static final String FLUSH_MASK = "mem %gs:cpu_tlbstate+TLB_STATE_user_pcid_flush_mask:2";
    static final int NMI_EACH_STATES = 8;
    static final int SWEEP_LOOPS = 500;
    /** movq, SWEEP_LOOPS times decq and jnz, hlt. */
    static final int SWEEP_BOUNDARIES = 2 * SWEEP_LOOPS + 2;
    static final String SWEEP_SPEC = """
            # ENTRYSIM-RUN: --machine pti
            # ENTRYSIM-NMI: each
            # ENTRYSIM-EXPECT: rcx == 0
            # ENTRYSIM-EXPECT: no violation
            	.section .entry.text, "ax"
            	movq	$%d, %%rcx
            1:	decq	%%rcx
            	jnz	1b
            	hlt
            	.globl	nmi
            nmi:
            	pushq	%%rax
            	movq	%%cr3, %%rax
            	movq	%%rax, %%cr3
            	popq	%%rax
            	iretq
            """.formatted(SWEEP_LOOPS);

    @Param({"1", "2"})
    public int jobs;

    private Workers workers;
    private Equivalence.Settings equiv;
    private Equivalence.Settings equivNmiEach;
    private SpecRunner warm;
    private TestPoint sweep;

    @Setup
    public void setUp() throws IOException {
        workers = Workers.of(jobs);
        equiv = settings(Path.of("asm-samples/bt-vs-btr.S"), "bt_then_btr", "single_btr", false,
                List.of("cr3 in {0x1c0a001}", "mem %gs:FLUSH_MASK:2 in *"), "--feature", "PTI,PCID");
        equivNmiEach = settings(Path.of("asm-samples/nmi-in-exit-window.S"), null, null, true,
                List.of("cr3 in {0x1c0a001,0x1c0a003}", FLUSH_MASK + " in 0..3"), "--machine", "pti", "--feature", "PTI,PCID",
                "--idt", "2=nmi:2");
        Path dir = Files.createTempDirectory("entrysim-bench");
        dir.toFile().deleteOnExit();
        Path file = dir.resolve("sweep.S");
        Files.writeString(file, SWEEP_SPEC);
        file.toFile().deleteOnExit();
        sweep = SpecRunner.points(file).get(1);
        warm = new SpecRunner();
        TestResult r = warm.run(sweep, workers);
        if (r.status() != TestResult.Status.PASS) {
            throw new IllegalStateException("the benchmark's sweep must pass: " + r);
        }
    }

    /** What {@code entrysim equiv A B OPTIONS... --over ...} compares, the options read as the command reads them. */
    static Equivalence.Settings settings(Path file, String entryA, String entryB, boolean nmiEach, List<String> over,
                                         String... options) {
        MachineOptions m = CommandLine.populateCommand(new MachineOptions(), options);
        Random rng = new Random(1);
        List<Dimension> dims = over.stream().map(c -> OverClauses.parse(c, 1000, rng)).toList();
        var run = m.runSpec();
        return new Equivalence.Settings(file, file, m.buildOptions(), entryA == null ? run : run.withEntry(entryA),
                entryB == null ? run : run.withEntry(entryB), dims, Set.of(), false, false, 1_000_000, 1, nmiEach);
    }

    @TearDown
    public void tearDown() {
        workers.close();
    }

    @Benchmark
    @OperationsPerInvocation(EQUIV_STATES)
    public Equivalence.Verdict equiv() {
        return new Equivalence(equiv, workers).run();
    }

    @Benchmark
    @OperationsPerInvocation(NMI_EACH_STATES)
    public Equivalence.Verdict equivNmiEach() {
        return new Equivalence(equivNmiEach, workers).run();
    }

    @Benchmark
    @OperationsPerInvocation(SWEEP_BOUNDARIES)
    public TestResult nmiSweep() {
        return warm.run(sweep, workers);
    }

    @Benchmark
    public List<TestResult> testSamples() {
        return new SpecRunner().run(SpecRunner.points(List.of(Path.of("asm-samples")), workers), workers);
    }

    Workers workers() {
        return workers;
    }
}

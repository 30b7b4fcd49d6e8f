package io.entrysim.bench;

import io.entrysim.check.SpecRunner;
import io.entrysim.check.TestPoint;
import io.entrysim.check.TestResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
 * What {@code entrysim test} pays per test, on a spec written here: a SYSRET-style exit to the
 * user CR3 on the pti machine with PTI,PCID, five expectations, and an NMI handler that saves,
 * switches and restores the CR3. {@code configuration}: one run configuration on a warm build
 * (machine set up, run, expectations checked). {@code nmiSweep}: its NMI-at-each-boundary sweep
 * (all 13 boundaries, a restore and a run each). {@code specFile}: the whole file from scratch
 * (read the spec, build it, run its 2 configurations and their 2 sweeps).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class SpecRunBenchmark {
    static final String SPEC = """
            # ENTRYSIM-RUN: --machine pti --feature PTI+PCID --invalidate user-pcid=1 --set rbx={0,1}
            # ENTRYSIM-EXPECT: stop == return-to-user
            # ENTRYSIM-EXPECT: no violation
            # ENTRYSIM-EXPECT: rip == 0x400000
            # ENTRYSIM-EXPECT: (cr3 & 0x1000) != 0
            # ENTRYSIM-EXPECT: mem16 %gs:cpu_tlbstate+22 == 0
            # ENTRYSIM-NMI: each
            	.section .entry.text, "ax"
            	movq	$0x400000, %rcx
            	movq	$0x202, %r11
            	movabsq	$entry_stack_top, %rsp
            	movq	%cr3, %rdi
            	movq	%rdi, %rsi
            	andq	$0x7ff, %rsi
            	btr	%rsi, %gs:cpu_tlbstate+22
            	jc	1f
            	bts	$63, %rdi
            1:	orq	$0x1800, %rdi
            	movq	%rdi, %cr3
            	swapgs
            	sysretq
            nmi:
            	pushq	%rax
            	pushq	%rdi
            	movq	%cr3, %rax
            	movq	%rax, %rdi
            	andq	$~0x1800, %rax
            	movq	%rax, %cr3
            	movq	%rdi, %cr3
            	popq	%rdi
            	popq	%rax
            	iretq
            """;

    private Path file;
    private SpecRunner warm;
    private TestPoint configuration;
    private TestPoint sweep;

    @Setup
    public void setUp() throws IOException {
        Path dir = Files.createTempDirectory("entrysim-bench");
        dir.toFile().deleteOnExit();
        file = dir.resolve("spec.S");
        Files.writeString(file, SPEC);
        file.toFile().deleteOnExit();
        List<TestPoint> points = SpecRunner.points(file);
        configuration = points.get(0);
        sweep = points.get(1);
        warm = new SpecRunner();
        for (TestPoint p : points) {
            TestResult r = warm.run(p);
            if (r.status() != TestResult.Status.PASS) {
                throw new IllegalStateException("the benchmark's spec must pass: " + r);
            }
        }
    }

    @Benchmark
    public TestResult configuration() {
        return warm.run(configuration);
    }

    @Benchmark
    public TestResult nmiSweep() {
        return warm.run(sweep);
    }

    @Benchmark
    public List<TestResult> specFile() {
        return new SpecRunner().run(SpecRunner.points(file), 1);
    }
}

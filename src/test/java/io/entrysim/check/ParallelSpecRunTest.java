package io.entrysim.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrysim.parallel.Workers;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code entrysim test -j N}: the points and the boundaries of each NMI sweep are shared out
 * among the workers, yet the results (order, verdicts, diagnostics, the failing boundaries shown)
 * are the sequential run's, and two jobs really use two threads.
 */
class ParallelSpecRunTest {
    @TempDir
    Path dir;

    /**
     * 200 loop iterations with RDX zero, then RDX set and 40 more: a handler that zeroes RDX
     * breaks the NMI invariants only at the boundaries after that, none of the first ones.
     */
    static final String LATE_FAILURES = """
            # ENTRYSIM-RUN: --machine pti
            # ENTRYSIM-NMI: each
            # ENTRYSIM-EXPECT: rdx == 5
            	.section .entry.text, "ax"
            	movq	$200, %rcx
            1:	decq	%rcx
            	jnz	1b
            	movq	$5, %rdx
            	movq	$20, %rcx
            2:	decq	%rcx
            	jnz	2b
            	hlt
            	.globl	nmi
            nmi:
            	xorl	%edx, %edx
            	iretq
            """;

    /** What a test reports, without the wall time. */
    static List<String> report(List<TestResult> results) {
        return results.stream().map(r -> r.name() + " " + r.status() + " " + r.diagnostic() + " " + r.notes()).toList();
    }

    static List<TestResult> run(List<TestPoint> points, int jobs) {
        try (Workers w = Workers.of(jobs)) {
            return new SpecRunner().run(points, w);
        }
    }

    @Test
    void aSweepsFailingBoundariesAreTheSequentialOnesInOrder() {
        List<TestPoint> points = SpecRunner.points(List.of(Specs.write(dir, "late.S", LATE_FAILURES)));
        List<String> one = report(run(points, 1));
        assertEquals(one, report(run(points, 2)));
        assertEquals(one, report(run(points, 3)));
        String sweep = one.get(1);
        // the movq $5 is step 1 + 2 * 200 + 1: an NMI before any of steps 403 to 444 (hlt) finds RDX 5
        assertTrue(sweep.contains("FAIL [42 of 444 boundaries fail the NMI invariants or the expectations, NMI before step 403 "),
                sweep);
        assertTrue(sweep.indexOf("NMI before step 403 ") < sweep.indexOf("NMI before step 404 ")
                && sweep.indexOf("NMI before step 404 ") < sweep.indexOf("NMI before step 405 "), sweep);
        assertTrue(!sweep.contains("NMI before step 406 "), "3 shown, the rest counted: " + sweep);
    }

    @Test
    void oneSweepRunsOnTwoThreads() {
        TestPoint sweep = SpecRunner.points(Specs.write(dir, "late.S", LATE_FAILURES)).get(1);
        try (Workers w = Workers.of(2)) {
            TestResult r = new SpecRunner().run(sweep, w);
            assertEquals(report(List.of(new SpecRunner().run(sweep))), report(List.of(r)));
            assertEquals(2, w.threadsUsed(), "444 boundaries, two jobs: two threads");
        }
    }

    @Test
    void theSamplesGiveTheSameResultsOnTwoThreads() {
        List<TestPoint> points = SpecRunner.points(List.of(Path.of("asm-samples")));
        try (Workers w = Workers.of(2)) {
            List<TestResult> two = new SpecRunner().run(points, w);
            assertEquals(report(run(points, 1)), report(two));
            assertEquals(2, w.threadsUsed());
        }
    }

    @Test
    void theKtapOfAFailingSweepIsByteForByteTheSameOnAnyNumberOfJobs() {
        Specs.write(dir, "late.S", LATE_FAILURES);
        TestCommandTest.Result one = TestCommandTest.test("-j", "1", dir.toString());
        TestCommandTest.Result two = TestCommandTest.test("-j", "2", dir.toString());
        assertEquals(1, one.status());
        assertEquals(one.out(), two.out());
        assertEquals(one.status(), two.status());
        TestCommandTest.Result bad = TestCommandTest.test("-j", "0", dir.toString());
        assertEquals(1, bad.status());
        assertTrue(bad.err().contains("--jobs must be at least 1, not 0") && !bad.err().contains("Exception"), bad.err());
    }
}

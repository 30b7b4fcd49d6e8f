package io.entrysim.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrysim.check.TestResult;
import io.entrysim.equiv.Dimension;
import io.entrysim.equiv.Equivalence;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link ParallelBenchmark}'s workloads are what its scores count: the sizes behind
 * {@code @OperationsPerInvocation}, verdicts that hold (a failing run would measure an early
 * exit), and two jobs running on two threads. (The 65,536-state equiv itself is only sized here:
 * running it is the benchmark's job.)
 */
class ParallelBenchmarkWorkloadsTest {
    @Test
    void theWorkloadsHaveTheCountedSizesAndPass() throws Exception {
        ParallelBenchmark b = new ParallelBenchmark();
        b.jobs = 2;
        b.setUp();
        try {
            Equivalence.Settings equiv = ParallelBenchmark.settings(java.nio.file.Path.of("asm-samples/bt-vs-btr.S"),
                    "bt_then_btr", "single_btr", false, List.of("cr3 in {0x1c0a001}", "mem %gs:FLUSH_MASK:2 in *"),
                    "--feature", "PTI,PCID");
            assertEquals(ParallelBenchmark.EQUIV_STATES, equiv.over().stream().mapToInt(d -> d.values().size())
                    .reduce(1, (x, y) -> x * y));
            assertEquals(List.of(Dimension.Kind.REGISTER, Dimension.Kind.MEMORY), equiv.over().stream().map(Dimension::kind).toList());

            TestResult sweep = b.nmiSweep();
            assertEquals(TestResult.Status.PASS, sweep.status(), sweep.toString());
            assertEquals(List.of("NMI before each of " + ParallelBenchmark.SWEEP_BOUNDARIES
                    + " boundaries: invariants and expectations hold"), sweep.notes());

            Equivalence.Verdict nmi = b.equivNmiEach();
            assertNull(nmi.difference());
            assertEquals(ParallelBenchmark.NMI_EACH_STATES, nmi.states());

            List<TestResult> samples = b.testSamples();
            assertTrue(samples.size() >= 10, "the samples carry specs: " + samples.size());
            assertEquals(List.of(), samples.stream().filter(r -> r.status() == TestResult.Status.FAIL).toList());
            assertEquals(2, b.workers().threadsUsed());
        } finally {
            b.tearDown();
        }
    }
}

package io.entrysim.equiv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrysim.parallel.Workers;
import io.entrysim.session.BuildOptions;
import io.entrysim.session.RunSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code entrysim equiv -j N}: the output is byte for byte the sequential run's for any N (the
 * lowest-numbered differing state, shrunk the same way; the same NMI boundary), and two jobs
 * really compare states on two threads.
 */
class ParallelEquivTest {
    static final String MASK = EquivCommandTest.MASK;

    @TempDir
    Path dir;

    /** The same status and output with 1, 2 and 3 jobs; returns it. */
    static EquivCommandTest.Result sameOnAnyJobs(String... args) {
        EquivCommandTest.Result one = withJobs(1, args);
        for (int jobs : new int[] {2, 3}) {
            EquivCommandTest.Result many = withJobs(jobs, args);
            assertEquals(one.out(), many.out(), "-j " + jobs + " vs -j 1: " + String.join(" ", args));
            assertEquals(one.err(), many.err());
            assertEquals(one.status(), many.status());
        }
        return one;
    }

    static EquivCommandTest.Result withJobs(int jobs, String... args) {
        List<String> all = new ArrayList<>(List.of("-j", Integer.toString(jobs)));
        all.addAll(List.of(args));
        return EquivCommandTest.equiv(all.toArray(new String[0]));
    }

    @Test
    void theSamplesCounterexampleIsTheSameOnAnyNumberOfJobs() {
        String[] args = {"asm-samples/equiv/to-user.S", "asm-samples/equiv/to-user-planted.S", "--feature", "PTI,PCID",
            "--over", "cr3 in {0x1c0a001,0x1c0a002,0x1c0a006}", "--over", MASK + " in 0..255"};
        EquivCommandTest.Result r = sameOnAnyJobs(args);
        assertEquals(3, r.status(), r.err());
        assertTrue(r.out().startsWith("different, after 3 states; smallest counterexample:\n"), r.out());
        List<String> json = new ArrayList<>(List.of(args));
        json.addAll(List.of("--json", "--seed", "5"));   // the seed is printed: not the clock's
        assertEquals(3, sameOnAnyJobs(json.toArray(new String[0])).status());
    }

    @Test
    void equivalentSamplesAndTheirNmiInterleavingsAreTheSameOnAnyNumberOfJobs() {
        EquivCommandTest.Result r = sameOnAnyJobs("asm-samples/bt-vs-btr.S", "asm-samples/bt-vs-btr.S", "--entry-a",
                "bt_then_btr", "--entry-b", "single_btr", "--feature", "PTI,PCID", "--over", "cr3 in {0x1c0a001,0x1c0a005}",
                "--over", "mem %gs:FLUSH_MASK:2 in 0..255");
        assertEquals("equivalent over 512 states\n", r.out());
        EquivCommandTest.Result nmi = sameOnAnyJobs("asm-samples/nmi-in-exit-window.S", "asm-samples/nmi-in-exit-window.S",
                "--machine", "pti", "--feature", "PTI,PCID", "--nmi", "each", "--over", "cr3 in {0x1c0a001,0x1c0a003}",
                "--over", MASK + " in 0..3");
        assertEquals("equivalent over 8 states\n", nmi.out());
    }

    /** B zeroes RBX only when AL is 0x37 and RCX at least 0x10: few states differ, none of the first. */
    Path[] sparse() throws Exception {
        Path a = dir.resolve("a.S");
        Path b = dir.resolve("b.S");
        Files.writeString(a, "\t.text\n\tmovq %rax, %rbx\n\thlt\n");
        Files.writeString(b, "\t.text\n\tmovq %rax, %rbx\n\tcmpb $0x37, %al\n\tjne 1f\n\tcmpq $0x10, %rcx\n\tjb 1f\n"
                + "\txorl %ebx, %ebx\n1:\thlt\n");
        return new Path[] {a, b};
    }

    @Test
    void theSampledCounterexampleIsTheFirstDrawnThenShrunkWhateverTheJobs() throws Exception {
        Path[] v = sparse();
        // 1,007 RAX values (boundaries and 1,000 random) x 256 RCX values: more than --max-states, so sampled
        EquivCommandTest.Result r = sameOnAnyJobs(v[0].toString(), v[1].toString(), "--over", "rax in *",
                "--over", "rcx in 0..255", "--max-states", "100000", "--seed", "11");
        assertEquals(3, r.status(), r.out() + r.err());
        Matcher m = Pattern.compile("different \\(sampled, seed 11\\), after (\\d+) states").matcher(r.out());
        assertTrue(m.lookingAt(), r.out());
        assertTrue(Long.parseLong(m.group(1)) > 20, "the first difference is not among the first states: " + r.out());
        // shrunk: RCX to its smallest differing value; RAX to the earliest listed value with AL 0x37
        assertTrue(r.out().contains(" rcx=0x10\n"), r.out());
        assertTrue(r.out().lines().skip(1).findFirst().orElseThrow().matches("  state: rax=0x[0-9a-f]*37 rcx=0x10"), r.out());
        assertTrue(r.out().contains("  rbx: A 0x"), r.out());
    }

    @Test
    void theExhaustiveCounterexampleIsTheLowestNumberedState() throws Exception {
        Path[] v = sparse();
        EquivCommandTest.Result r = sameOnAnyJobs(v[0].toString(), v[1].toString(), "--over", "rax in 0..1023",
                "--over", "rcx in 0..31");
        // (rax 0x37, rcx 0x10): state 0x37 * 32 + 0x10, counting from 0
        assertTrue(r.out().startsWith("different, after " + (0x37 * 32 + 0x10 + 1) + " states; smallest counterexample:\n"
                + "  state: rax=0x37 rcx=0x10\n"), r.out());
    }

    @Test
    void anNmiInterleavingCounterexampleIsTheSameOnAnyNumberOfJobs() throws Exception {
        Path a = dir.resolve("na.S");
        Path b = dir.resolve("nb.S");
        Files.writeString(a, EquivCommandTest.withHandler("\tpushq %rdx\n\tmovq $9, %rdx\n\tpopq %rdx\n"));
        Files.writeString(b, EquivCommandTest.withHandler("\tmovq $9, %rdx\n"));
        EquivCommandTest.Result r = sameOnAnyJobs(a.toString(), b.toString(), "--machine", "pti", "--nmi", "each",
                "--over", "rcx in 0..15");
        assertEquals(3, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("  state: rcx=0x0 NMI before step 1 of B\n"), r.out());
    }

    @Test
    void badInputInAWorkerIsTheUsualErrorWithoutAStackTrace() {
        // every state fails to set up, in the workers: the error is the first state's, as -j 1 says it
        EquivCommandTest.Result r = sameOnAnyJobs("asm-samples/equiv/to-user.S", "asm-samples/equiv/to-user.S",
                "--over", "rax in 0..63", "--over", "mem nosuchsym:2 in 0..63");
        assertEquals(1, r.status(), r.out());
        assertTrue(r.err().contains("nosuchsym"), r.err());
        EquivCommandTest.Result bad = withJobs(0, "asm-samples/equiv/to-user.S", "asm-samples/equiv/to-user.S");
        assertEquals(1, bad.status());
        assertTrue(bad.err().contains("--jobs must be at least 1, not 0"), bad.err());
        assertTrue(!r.err().contains("Exception") && !r.err().contains("\tat "), r.err());
    }

    @Test
    void twoJobsCompareStatesOnTwoThreads() throws Exception {
        Path a = dir.resolve("same.S");
        Files.writeString(a, "\t.text\n\tmovq %rax, %rbx\n\thlt\n");
        List<Dimension> over = List.of(OverClauses.parse("rax in 0..4095", 0, new Random(1)));
        Equivalence.Settings s = new Equivalence.Settings(a, a, BuildOptions.defaults(), RunSpec.defaults(), RunSpec.defaults(),
                over, Set.of(), false, false, 1_000_000, 1, false);
        try (Workers w = Workers.of(2)) {
            Equivalence.Verdict v = new Equivalence(s, w).run();
            assertNull(v.difference());
            assertEquals(4096, v.states());
            assertEquals(2, w.threadsUsed(), "two jobs, two threads");
        }
    }
}

package io.entrysim.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ENTRYSIM-NMI: each} on the pti machine, with code in .entry.text (mapped in both page-table
 * halves) so a handler can run whatever CR3 it finds: each invariant holding, and broken.
 * The program is 4 steps: 4 boundaries.
 */
class NmiSweepTest {
    @TempDir
    Path dir;

    static String program(String specs, String handler) {
        return specs + """
                	.section .entry.text, "ax"
                	.globl	start
                start:
                	movq	$1, %rax
                	movq	$2, %rbx
                	movq	$3, %rcx
                	hlt
                	.globl	nmi
                nmi:
                """ + handler + """
                	iretq
                	.data
                flag:	.quad	0
                """;
    }

    static final String SPECS = "# ENTRYSIM-RUN: --machine pti\n# ENTRYSIM-NMI: each\n# ENTRYSIM-EXPECT: rbx == 2\n";

    List<TestResult> run(String specs, String handler) {
        return Specs.run(dir, program(specs, handler));
    }

    static String diag(TestResult r) {
        return String.join("\n", r.diagnostic());
    }

    @Test
    void aHandlerThatPreservesEverythingPassesEveryBoundary() {
        List<TestResult> r = run(SPECS, "\tpushq %rax\n\tmovq %cr3, %rax\n\tmovq %rax, %cr3\n\tpopq %rax\n");
        assertEquals(2, r.size(), "the run, then its sweep");
        assertTrue(r.get(1).name().endsWith("--machine pti + NMI at each boundary"), r.get(1).name());
        assertEquals(TestResult.Status.PASS, r.get(0).status(), diag(r.get(0)));
        assertEquals(TestResult.Status.PASS, r.get(1).status(), diag(r.get(1)));
    }

    @Test
    void theHandlersCr3WritesAreNotTheProgramsCr3Writes() {
        List<TestResult> r = run(SPECS + "# ENTRYSIM-EXPECT: cr3-writes == []\n",
                "\tpushq %rax\n\tmovq %cr3, %rax\n\tmovq %rax, %cr3\n\tpopq %rax\n");
        assertEquals(TestResult.Status.PASS, r.get(1).status(), diag(r.get(1)));
    }

    @Test
    void aClobberedRegisterIsReportedAtEveryBoundaryWithAReproducer() {
        TestResult r = run(SPECS, "\tmovq $7, %rdx\n").get(1);
        assertEquals(TestResult.Status.FAIL, r.status());
        String d = diag(r);
        assertTrue(d.startsWith("4 of 4 boundaries fail"), d);
        assertTrue(d.contains("NMI before step 1 (" + dir.resolve("spec.S") + ":7 `movq $1,%rax'):"), d);
        assertTrue(d.contains("with rdx 0x7 (interrupted with 0x0)"), d);
        assertTrue(d.contains("reproduce: entrysim run " + dir.resolve("spec.S") + " --machine pti --idt 2=nmi:2 --nmi-at 1 --trace"), d);
        assertEquals(NmiSweep.SHOWN, d.lines().filter(l -> l.startsWith("NMI before step")).count(), "the rest are counted");
    }

    @Test
    void aHandlerThatDoesNotPutBackTheCr3Fails() {
        TestResult r = run(SPECS, "\tmovq %cr3, %rdx\n\torq $0x1000, %rdx\n\tmovq %rdx, %cr3\n\txorl %edx, %edx\n").get(1);
        assertEquals(TestResult.Status.FAIL, r.status());
        assertTrue(diag(r).contains("with cr3 0x1c0b000 (interrupted with 0x1c0a000)"), diag(r));
    }

    @Test
    void anExpectationBrokenOnlyUnderAnNmiFailsTheSweep() {
        List<TestResult> r = run(SPECS + "# ENTRYSIM-EXPECT: mem64 flag == 0\n", "\tmovq $1, flag\n");
        assertEquals(TestResult.Status.PASS, r.get(0).status(), diag(r.get(0)));
        assertEquals(TestResult.Status.FAIL, r.get(1).status());
        assertTrue(diag(r.get(1)).contains("actual:   mem64 flag is 0x1"), diag(r.get(1)));
    }

    @Test
    void aHandlerInterruptingTheUserCr3MustMoveToTheKernelCr3() {
        // the program is on the user CR3 after step 3: NMIs before steps 4 and 5 find it there
        String specs = "# ENTRYSIM-RUN: --machine pti\n# ENTRYSIM-NMI: each\n";
        String text = specs + """
                	.section .entry.text, "ax"
                	movq	%cr3, %rdi
                	orq	$0x1000, %rdi
                	movq	%rdi, %cr3
                	xorl	%edi, %edi
                	hlt
                	.globl	nmi
                nmi:
                	iretq
                """;
        TestResult r = Specs.run(dir, text).get(1);
        assertEquals(TestResult.Status.FAIL, r.status());
        String d = diag(r);
        assertTrue(d.startsWith("2 of 5 boundaries fail"), d);
        assertTrue(d.contains("NMI before step 4") && d.contains("NMI before step 5") && d.contains("the handler never ran on a kernel CR3"), d);
    }

    @Test
    void aRunThatNeverEndsIsNotSweptForever() {
        String text = "# ENTRYSIM-RUN: --machine pti --max-steps 50\n# ENTRYSIM-NMI: each\n# ENTRYSIM-EXPECT: stop == max-steps\n"
                + "\t.section .entry.text, \"ax\"\n1:\tjmp 1b\nnmi:\n\tiretq\n";
        List<TestResult> r = Specs.run(dir, text);
        assertEquals(TestResult.Status.PASS, r.get(0).status(), diag(r.get(0)));
        assertEquals(TestResult.Status.FAIL, r.get(1).status());
        assertTrue(diag(r.get(1)).startsWith("no NMI sweep: the run without an NMI hit the step limit (50)"), diag(r.get(1)));
    }

    @Test
    void aRunWithItsOwnNmiIsNotSweptAndAMissingHandlerIsAnError() {
        assertEquals(1, run("# ENTRYSIM-RUN: --machine pti --idt 2=nmi:2 --nmi-at 2\n# ENTRYSIM-NMI: each\n", "").size());
        TestResult r = run("# ENTRYSIM-RUN: --machine pti\n# ENTRYSIM-NMI: each handler=nope\n", "").get(1);
        assertEquals(TestResult.Status.FAIL, r.status());
        assertTrue(r.diagnostic().get(0).contains("spec.S:2:") && r.diagnostic().get(0).contains("nope"), diag(r));
    }
}

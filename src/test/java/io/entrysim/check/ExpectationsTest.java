package io.entrysim.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each expectation kind, holding and not holding, on small programs whose final state is worked
 * out by hand. The flat machine starts with CR3 0x1c0a000 (no PCID), RSP 0xffffc90000004000.
 */
class ExpectationsTest {
    @TempDir
    Path dir;

    /** rax = 5; CR3 -> its user twin 0x1c0b000 (flushing: no PCID); rbx pushed and popped; data at `word`. */
    static final String PROGRAM = """
            	.text
            	.globl	start
            start:
            	movq	$5, %rax
            	movq	%cr3, %rdi
            	orq	$0x1000, %rdi
            	movq	%rdi, %cr3
            	pushq	%rbx
            	popq	%rbx
            	movw	$0x1234, word
            	hlt
            	.data
            word:	.quad	0xffff000000000000
            """;

    static String spec(String expect) {
        return "# ENTRYSIM-EXPECT: " + expect + "\n" + PROGRAM;
    }

    @ParameterizedTest(name = "holds: {0}")
    @CsvSource(delimiter = '|', value = {
        "stop == hlt",
        "stop != ret",
        "no fault",
        "no violation",
        "rax == 5",
        "%rax == 5",
        "rax + 1 == 6",
        "(cr3 & 0x1000) != 0",
        "cr3 == 0x1c0b000",
        "rax < 6",
        "rax >= 5",
        "rax << 1 == 10",
        "mem16 word == 0x1234",
        "mem64 word == 0xffff000000001234",
        "mem8 word+1 == 0x12",
        "(mem16[word] & 0x1200) == 0x1200",
        "mem16[word] + mem8[word+1] == 0x1246",
        "cr3-writes == [flush 0x1c0b000]",
        "unchanged rbx,rbp,r12-r15",
        "unchanged rsp",
        "stack balanced"})
    void holds(String expect) {
        TestResult r = Specs.one(dir, spec(expect));
        assertEquals(TestResult.Status.PASS, r.status(), () -> String.join("\n", r.diagnostic()));
    }

    @ParameterizedTest(name = "fails: {0}")
    @CsvSource(delimiter = '|', value = {
        "stop == ret            | stop: hlt",
        "stop != hlt            | stop: hlt",
        "fault #PF              | no fault (stop: hlt)",
        "violation lost-flush   | no violation",
        "rax == 6               | rax is 0x5",
        "rax > 5                | rax is 0x5",
        "(cr3 & 0x800) != 0     | (cr3 & 0x800) is 0x0",
        "mem16 word == 0        | mem16 word is 0x1234",
        "cr3-writes == [noflush 0x1c0b000] | cr3-writes == [flush 0x1c0b000]",
        "cr3-writes == []       | cr3-writes == [flush 0x1c0b000]",
        "unchanged rax,rbx      | changed: rax 0x0 -> 0x5",
        "unchanged r8-r15,rdi   | changed: rdi 0x0 -> 0x1c0b000"})
    void fails(String expect, String actual) {
        TestResult r = Specs.one(dir, spec(expect));
        assertEquals(TestResult.Status.FAIL, r.status());
        String diag = String.join("\n", r.diagnostic());
        assertTrue(diag.contains("actual:   " + actual), diag);
        assertTrue(diag.contains("spec.S:1: ENTRYSIM-EXPECT: " + expect), diag);
        assertTrue(diag.contains("reproduce: entrysim run "), diag);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "stack balanced | PASS | ",
        "stack balanced | FAIL | pushq %rax",
        "stack balanced | FAIL | popq %rax"})
    void stackBalanced(String expect, TestResult.Status status, String extra) {
        String program = "# ENTRYSIM-EXPECT: " + expect + "\n\t.text\n\tpushq %rbx\n\tpopq %rbx\n\t" + (extra == null ? "" : extra)
                + "\n\thlt\n";
        TestResult r = Specs.one(dir, program);
        assertEquals(status, r.status(), () -> String.join("\n", r.diagnostic()));
        if (status == TestResult.Status.FAIL) {
            assertTrue(String.join("\n", r.diagnostic()).contains(extra.startsWith("push") ? "8 bytes left pushed"
                    : "8 bytes popped too many"), r::toString);
        }
    }

    @ParameterizedTest(name = "a ret from the entry frame: {0}")
    @CsvSource({"stack balanced, PASS", "stop == ret, PASS", "stop == hlt, FAIL"})
    void retFromTheEntryFrame(String expect, TestResult.Status status) {
        TestResult r = Specs.one(dir, "# ENTRYSIM-EXPECT: " + expect + "\n\t.text\n\tpushq %rax\n\tpopq %rax\n\tret\n");
        assertEquals(status, r.status(), () -> String.join("\n", r.diagnostic()));
    }

    /** ud2 raises #UD at its own line (3 of the file). */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "fault #UD, PASS",
        "fault UD, PASS",
        "fault #UD at spec.S:3, PASS",
        "fault #UD at spec.S:2, FAIL",
        "fault #GP, FAIL",
        "no fault, FAIL",
        "stop == fault, PASS"})
    void faults(String expect, TestResult.Status status) {
        TestResult r = Specs.one(dir, "# ENTRYSIM-EXPECT: " + expect + "\n\t.text\n\tud2\n");
        assertEquals(status, r.status(), () -> String.join("\n", r.diagnostic()));
        if (status == TestResult.Status.FAIL) {
            assertTrue(String.join("\n", r.diagnostic()).contains("spec.S:3 `ud2'"), r::toString);
        }
    }

    /** A NOFLUSH write of the user CR3 after the C side asked for a flush: lost-flush at the exit. */
    static final String LOST_FLUSH = """
            # ENTRYSIM-RUN: --machine pti --feature PTI,PCID --invalidate user-pcid=1 --exit-to-user
            	.section .entry.text, "ax"
            	movq	%cr3, %rdi
            	bts	$63, %rdi
            	orq	$0x1800, %rdi
            	movq	%rdi, %cr3
            	hlt
            """;

    @ParameterizedTest(name = "{0}")
    @CsvSource({"violation lost-flush, PASS", "no violation, FAIL", "violation pcid-bits-without-pcid, FAIL",
        "cr3-writes == [noflush 0x1c0b801], PASS"})
    void violations(String expect, TestResult.Status status) {
        TestResult r = Specs.one(dir, "# ENTRYSIM-EXPECT: " + expect + "\n" + LOST_FLUSH);
        assertEquals(status, r.status(), () -> String.join("\n", r.diagnostic()));
        if (expect.equals("no violation")) {
            assertTrue(String.join("\n", r.diagnostic()).contains("actual:   lost-flush: "), r::toString);
        }
    }

    @ParameterizedTest(name = "no expectation: {1}")
    @CsvSource(delimiter = '|', value = {"hlt | PASS", "ud2 | FAIL", "jmp . | FAIL"})
    void withoutExpectationsARunMustBeClean(String insn, TestResult.Status status) {
        TestResult r = Specs.one(dir, "# ENTRYSIM-RUN: --max-steps 100\n\t.text\n\t" + insn + "\n");
        assertEquals(status, r.status(), () -> String.join("\n", r.diagnostic()));
    }

    @ParameterizedTest(name = "unreadable: {0}")
    @CsvSource(delimiter = '|', value = {
        "stop == halted          | no stop `halted'",
        "the stack is fine       | cannot read the expectation",
        "unchanged rbx,xmm0      | unknown register `xmm0'",
        "unchanged r3-r5         | register range `r3-r5' is not within r8-r15",
        "cr3-writes == [0x1000]  | a CR3 write is `flush VALUE' or `noflush VALUE'"})
    void anUnreadableExpectationFailsTheFileAtItsLine(String expect, String message) {
        TestResult r = Specs.one(dir, spec(expect));
        assertEquals(TestResult.Status.FAIL, r.status());
        assertTrue(r.diagnostic().get(0).startsWith(dir.resolve("spec.S") + ":1:"), r::toString);
        assertTrue(r.diagnostic().get(0).contains("error: " + message), r::toString);
    }

    @ParameterizedTest(name = "bad symbol: {0}")
    @CsvSource({"no_such_symbol == 1", "mem8 no_such_symbol == 0"})
    void anUnknownSymbolFailsTheRunWithALocatedError(String expect) {
        TestResult r = Specs.one(dir, spec(expect));
        assertEquals(TestResult.Status.FAIL, r.status());
        assertTrue(r.diagnostic().get(0).contains("spec.S:1:") && r.diagnostic().get(0).contains("unknown symbol `no_such_symbol'"),
                r::toString);
    }
}

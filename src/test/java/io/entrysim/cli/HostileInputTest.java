package io.entrysim.cli;

import static io.entrysim.cli.RunCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile-input review: each input gets gas's result or a located error (exit 1), never a
 * stack trace, a hang or a heap full.
 */
class HostileInputTest {
    @TempDir
    Path dir;

    private RunCommandTest.Result runSource(String source, String... options) throws IOException {
        Path f = dir.resolve("t.S");
        Files.writeString(f, source);
        String[] args = new String[options.length + 2];
        args[0] = f.toString();
        System.arraycopy(options, 0, args, 1, options.length);
        args[args.length - 1] = "--json";
        return run(args);
    }

    private static void assertLocatedError(RunCommandTest.Result r, String where, String message) {
        assertEquals(1, r.status(), r.err());
        assertTrue(r.err().contains(where + ": error: " + message), r.err());
        assertNoStackTrace(r);
    }

    private static void assertNoStackTrace(RunCommandTest.Result r) {
        assertFalse(r.err().contains("\tat "), r.err());
        assertFalse(r.err().contains("internal error"), r.err());
    }

    private static String chain(int n) {
        return "1" + "+1".repeat(n - 1);
    }

    @Test
    void longExpressionsAreEvaluated() throws IOException {
        RunCommandTest.Result r = runSource("\t.if " + chain(3000) + " == 3000\n\tmovq $" + chain(5000)
                + ", %rax\n\t.endif\n\thlt\n", "--set", "rbx=" + chain(20_000));
        assertEquals(0, r.status(), r.err());
        assertEquals("0x1388", r.json().getAsJsonObject("regs").get("rax").getAsString());
        assertEquals("0x4e20", r.json().getAsJsonObject("regs").get("rbx").getAsString());
    }

    @Test
    void deepExpressionsAreALocatedError() throws IOException {
        String deep = "(".repeat(2000) + "1" + ")".repeat(2000);
        String bound = "expression too deep: more than 256 levels";
        assertLocatedError(runSource("\t.quad " + deep + "\n"), "t.S:1:264", bound);
        // (the macro stage gives .if conditions the column of the directive, not of the expression)
        assertLocatedError(runSource("\t.if " + "-".repeat(3000) + "1\n\t.endif\n"), "t.S:1:258", bound);
        assertLocatedError(runSource("\tmovq $" + deep + ", %rax\n"), "t.S:1:264", bound);
        assertLocatedError(runSource("\thlt\n", "--set", "rax=" + deep), "<--set rax>:1:257", bound);
    }

    /** gas warns "division by zero" and divides by 1; entrysim makes it an error, where it is. */
    @Test
    void divisionByZeroIsALocatedError() throws IOException {
        assertLocatedError(runSource("\tmovq $(1/0), %rax\n"), "t.S:1:7", "division by zero");
        assertLocatedError(runSource("\t.data\n\t.quad 1/0\n"), "t.S:2:2", "division by zero");
        assertLocatedError(runSource("\t.data\n\t.fill 1%0\n"), "t.S:2:2", "division by zero");
        assertLocatedError(runSource("\t.equ x, 1/0\n\thlt\n"), "t.S:1:2", "division by zero");
        assertLocatedError(runSource("\tjmp 1/0\n"), "t.S:1:2", "division by zero");
        assertLocatedError(runSource("\t.balign 1/0\n"), "t.S:1:2", "division by zero");
        assertLocatedError(runSource("\tmovq 8/0(%rax), %rax\n"), "t.S:1:7", "division by zero");
        assertLocatedError(runSource("\thlt\n", "--set", "rax=5%0"), "<--set rax>:1:1", "division by zero");
    }

    /** gas numbers local labels up to 2^31-1: "local label too large" past it. */
    @Test
    void localLabelsUpToTwoToTheThirtyFirst() throws IOException {
        RunCommandTest.Result ok = runSource("\tjmp 2147483647f\n\thlt\n2147483647:\tmovq $7, %rax\n\thlt\n");
        assertEquals(0, ok.status(), ok.err());
        assertEquals("0x7", ok.json().getAsJsonObject("regs").get("rax").getAsString());
        assertLocatedError(runSource("\t.text\n4294967296:\n\thlt\n"), "t.S:2:1", "local label too large");
        assertLocatedError(runSource("\tnop\n  2147483648: nop\n"), "t.S:2:3", "local label too large");
        assertLocatedError(runSource("\tjmp 4294967296b\n"), "t.S:1:6", "local label `4294967296' is out of range");
    }

    @Test
    void orgAfterALabelOrAnInstructionIsAnOffsetOrAnAddress() throws IOException {
        RunCommandTest.Result label = runSource("\t.text\nx: .org 0x10\n\tmovq $x, %rax\n\thlt\n");
        assertEquals(0, label.status(), label.err());
        assertEquals("0xffffffff81000000", label.json().getAsJsonObject("regs").get("rax").getAsString());
        assertEquals("0xffffffff81000018", label.json().getAsJsonObject("regs").get("rip").getAsString());
        RunCommandTest.Result relative = runSource("\tmovq $z-y, %rax\n\thlt\ny:\tnop\n\t.org y+0x10\nz:\tnop\n");
        assertEquals(0, relative.status(), relative.err());
        assertEquals("0x10", relative.json().getAsJsonObject("regs").get("rax").getAsString());
        assertLocatedError(runSource("\tnop\nx:\tnop\n\t.org x\n"), "t.S:3:2", "attempt to move .org backwards");
        assertLocatedError(runSource("\t.data\nd: .byte 1\n\t.text\n\t.org d\n"), "t.S:4:2", "invalid segment \".data\"");
        RunCommandTest.Result iretq = runSource("\tiretq\n");
        assertEquals(2, iretq.status(), iretq.err());
        assertTrue(iretq.err().contains("t.S:1:2: error: fault #GP(0)"), iretq.err());
        assertNoStackTrace(iretq);
    }

    @Test
    void hugeSizesAreALocatedError() throws IOException {
        String room = "more than the 0x100000 entrysim places it in";
        assertLocatedError(runSource("\t.skip 0xfffffffffffff\n"), "t.S:1:2",
                "section .text would grow to 0xfffffffffffff bytes, " + room);
        assertLocatedError(runSource("\tnop\n\t.skip 0x7ffffffffffffffe\n\t.skip 0x7fffffffffffffff\n"), "t.S:2:2",
                "section .text would grow to 0x7fffffffffffffff bytes, " + room);
        assertLocatedError(runSource("\t.data\n\t.fill 0x7fffffff,8,0\n"), "t.S:2:2",
                "section .data would grow to 0x3fffffff8 bytes, " + room);
        assertLocatedError(runSource("\t.data\n\t.fill 0x4000000000000000,8,1\n"), "t.S:2:2",
                "section .data would grow to past 2^64 bytes, " + room);
        assertLocatedError(runSource("\t.data\n\t.byte 1\n\t.balign 0x40000000\n"), "t.S:3:2",
                "section .data would grow to 0x3e000000 bytes, " + room);
        assertLocatedError(runSource("\t.org 0x7fffffffffffffff\n"), "t.S:1:2",
                "section .text would grow to 0x7fffffffffffffff bytes, " + room);
        assertLocatedError(runSource("\t.skip 0xfffff\n\tnop\n\tnop\n"), "t.S:3:2",
                "section .text would grow to 0x100001 bytes, " + room);
    }

    @Test
    void negativeAndZeroSizesAreGasWarnings() throws IOException {
        RunCommandTest.Result r = runSource("\t.data\n\t.skip -1\n\t.fill -1, 2, 3\n\t.skip 0\n1:\t.byte 0\n\t.skip 1b-2f\n2:\n\t.text\n\thlt\n");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.err().contains("t.S:2:2: warning: .space, .nops or .fill with negative value, ignored"), r.err());
        assertTrue(r.err().contains("t.S:3:2: warning: repeat < 0; .fill ignored"), r.err());
        assertTrue(r.err().contains("t.S:4:2: warning: .space repeat count is zero, ignored"), r.err());
        assertTrue(r.err().contains("t.S:6:2: warning: .space, .nops or .fill with negative value, ignored"), r.err());
        assertNoStackTrace(r);
    }

    @Test
    void aSymbolDefinedThroughItselfIsGasDefinitionLoop() throws IOException {
        String loop = "symbol definition loop encountered at `a'";
        assertLocatedError(runSource("\t.set a, b+1\n\t.set b, a+1\n\tmovq $b, %rax\n\thlt\n"), "t.S:1:2", loop);
        assertLocatedError(runSource("\t.set a, b+1\n\t.set b, c+1\n\t.set c, a+1\n"), "t.S:1:2", loop);
        assertLocatedError(runSource("\tmovq $x, %rax\n\t.set x, x+1\n"), "t.S:1:7",
                "symbol definition loop encountered at `x'");
    }

    /** Forward .set chains resolve through each other, as in gas, and are never stubbed halfway. */
    @Test
    void forwardAssignmentChainsResolve() throws IOException {
        RunCommandTest.Result r = runSource("\tmovq $a, %rax\n\tmovq $f, %rbx\n\thlt\n\t.set a, b+1\n\t.set b, c+1\n"
                + "\t.set c, 5\n\t.set f, g\n\t.set g, some_c_function\n");
        assertEquals(0, r.status(), r.err());
        assertEquals("0x7", r.json().getAsJsonObject("regs").get("rax").getAsString());
        assertEquals(java.util.Set.of("some_c_function"), r.json().getAsJsonObject("stubs").keySet());
        assertEquals(r.json().getAsJsonObject("stubs").get("some_c_function").getAsString(),
                r.json().getAsJsonObject("regs").get("rbx").getAsString());
        StringBuilder longChain = new StringBuilder("\tmovq $s0, %rax\n\thlt\n");
        for (int k = 0; k < 5000; k++) {
            longChain.append("\t.set s").append(k).append(", s").append(k + 1).append("+1\n");
        }
        longChain.append("\t.set s5000, 0\n");
        RunCommandTest.Result chain = runSource(longChain.toString());
        assertEquals(0, chain.status(), chain.err());
        assertEquals("0x1388", chain.json().getAsJsonObject("regs").get("rax").getAsString());
    }

    @Test
    void machineFilesOutOfBoundsAreFileLineErrors() throws IOException {
        Path m = dir.resolve("m.machine");
        Files.writeString(m, "section * both\nidt 2 nosuch\n");
        assertLocatedError(runSource("\thlt\n", "--machine", m.toString()), m + ":2:7",
                "IDT vector 2 handler `nosuch' is not an instruction label of the program");
        Files.writeString(m, "alias big 0 0x7ffffffff000 0x1000\n");
        assertLocatedError(runSource("\thlt\n", "--machine", m.toString()), m + ":1:13", "alias big: SIZE");
        Files.writeString(m, "section " + "*".repeat(40) + "Z both\n");
        RunCommandTest.Result glob = runSource("\t.section ." + "x".repeat(200) + ",\"ax\"\n\thlt\n", "--machine", m.toString());
        assertEquals(2, glob.status(), glob.err()); // no rule matches: the fetch faults, at once
        assertNoStackTrace(glob);
    }

    /**
     * Sections sit 1 MiB apart: 16 code sections fit below the data sections, 992 data sections
     * below the stubs. The next one would overlap its neighbour, so it is an error naming it.
     */
    @Test
    void tooManySectionsAreAnErrorNamingTheSection() throws IOException {
        StringBuilder code = new StringBuilder();
        for (int k = 1; k < 16; k++) {
            code.append("\t.section .text.s").append(k).append(",\"ax\"\n\tnop\n");
        }
        RunCommandTest.Result sixteen = runSource(code + "\t.data\n\t.quad 1\n\t.text\n\thlt\n");
        assertEquals(0, sixteen.status(), sixteen.err());
        assertLocatedError(runSource(code + "\t.section .text.s16,\"ax\"\n\tnop\n"), "t.S:31:2",
                "too many code sections: `.text.s16' would be number 17, and entrysim places at most 16 (0x100000"
                        + " apart from 0xffffffff81000000, below the data sections at 0xffffffff82000000)");
        StringBuilder data = new StringBuilder();
        for (int k = 0; k < 993; k++) {
            data.append("\t.section .d").append(k).append(",\"aw\"\n");
        }
        assertLocatedError(runSource(data.toString()), "t.S:993:2", "too many data sections: `.d992' would be number"
                + " 993, and entrysim places at most 992 (0x100000 apart from 0xffffffff82000000, below the stubs at"
                + " 0xffffffffc0000000)");
    }

    @Test
    void otherBoundsAreLocatedToo() throws IOException {
        assertLocatedError(runSource("x:\t.skip 1 - (z - y)\ny:\t.skip y - x\nz:\tnop\n"), "t.S:2:1",
                "the layout does not settle after 64 passes");
        StringBuilder chain = new StringBuilder();
        for (int k = 0; k < 5000; k++) {
            chain.append("#define M").append(k).append(" M").append(k + 1).append('\n');
        }
        chain.append("#define M5000 1\n\thlt\n");
        assertLocatedError(runSource(chain.toString(), "--set", "rax=M0"), "<--set rax>:1:1",
                "cpp macros nest more than 256 deep in the expression");
        StringBuilder doubling = new StringBuilder();
        for (int k = 0; k < 40; k++) {
            doubling.append("#define D").append(k).append(" (D").append(k + 1).append("+D").append(k + 1).append(")\n");
        }
        doubling.append("#define D40 1\n\thlt\n");
        assertLocatedError(runSource(doubling.toString(), "--set", "rax=D0"), "<--set rax>:1:1",
                "the expression grows past 1048576 characters");
    }
}

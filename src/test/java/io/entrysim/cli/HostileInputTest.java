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
}

package io.entrysim.macro;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrysim.diag.AsmError;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Bad input must end in an AsmError (a diagnostic), never in another exception. */
class RobustnessTest {
    private static final String[] PIECES = {
        ".macro m a b=1 c:req", ".macro", ".macro m, a:vararg", ".endm", ".endr", ".exitm", ".purgem m",
        "m", "m 1", "m a=1 c=2", "m \"x", "m (", "m ) ]", "\\a", "\\(", "\\@", "&a&", "&&", ".rept 2", ".rept",
        ".rept -3", ".irp x", ".irp x, 1 2", ".irpc x, \"a b", ".if 1", ".if", ".if (", ".else", ".elseif 0",
        ".endif", ".ifc a", ".ifc a,b", ".ifb", ".ifdef", ".ifdef 9", ".ifeqs \"a", ".ifeqs \"a\",", ".error",
        ".error \"\\x\"", ".warning 1", ".print", ".set", ".set x", ".set x,", ".equiv x, 1", "x =", "x ==", "1:",
        "a: b:", "'", "'\\", "\"", "/*", "#", ";", ":", "\t", " ", ".ifcpufeature", ".ifstatickey",
        ".ifstatickey k,", ".ifstatickey k, 1", ".end", "nop", "%rax", "$'", ".mri 1"
    };

    @Test
    void randomStatementSoupOnlyEverFailsWithDiagnostics() {
        Random random = new Random(20240601);
        int errors = 0;
        for (int program = 0; program < 3000; program++) {
            StringBuilder src = new StringBuilder();
            int lines = 1 + random.nextInt(12);
            for (int l = 0; l < lines; l++) {
                int parts = 1 + random.nextInt(3);
                for (int p = 0; p < parts; p++) {
                    src.append(PIECES[random.nextInt(PIECES.length)]).append(random.nextBoolean() ? " " : "");
                }
                src.append('\n');
            }
            try {
                ExpanderTestSupport.expander().expand(ExpanderTestSupport.lines(src.toString()));
            } catch (AsmError expected) {
                errors++;
            } catch (RuntimeException e) {
                throw new AssertionError("non-diagnostic failure for:\n" + src, e);
            }
        }
        assertTrue(errors > 500, "the soup should mostly be rejected, got " + errors);
    }
}

package io.entrysim.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrysim.diag.AsmError;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Long and deep expressions: flat chains of any length, nesting up to a bound, a located error past it. */
class ExpressionDepthTest {
    private static final MapResolver R = new MapResolver(Map.of());

    private static String chain(String term, String op, int n) {
        return (term + op).repeat(n - 1) + term;
    }

    private static long quad(String expr) {
        DirectiveStmt d = Lines.directive(".quad " + expr);
        return ExprEvaluator.eval(((Arg.ExprArg) d.args().get(0)).e(), R);
    }

    @Test
    void longFlatChainsNeedNoDeepRecursion() {
        assertEquals(100_000, quad(chain("1", "+", 100_000)));
        assertEquals(1, quad(chain("1", "*", 50_000)));
        assertEquals(-50_000, quad(chain("-1", "+", 50_000)));
        assertEquals(1, ExprEvaluator.eval(Lines.expr(chain("1", " && ", 20_000)), R));
        InstructionStmt i = Lines.insn("movq $" + chain("2", "-1+", 30_000) + ", %rax");
        assertEquals(30_000 + 1, ExprEvaluator.eval(((OperandAst.ImmAst) i.operands().get(0)).value(), R));
    }

    @Test
    void nestingUpToTheBoundIsFine() {
        int n = ExpressionDepth.MAX_DEPTH;
        assertEquals(1, quad("(".repeat(n) + "1" + ")".repeat(n)));
        assertEquals(n % 2 == 0 ? 1 : -1, quad("-".repeat(n) + "1"));
        assertEquals(0, ExprEvaluator.eval(Lines.expr("(".repeat(n) + "0" + ")".repeat(n)), R));
    }

    @Test
    void deeperIsALocatedError() {
        int n = ExpressionDepth.MAX_DEPTH + 1;
        AsmError parens = assertThrows(AsmError.class, () -> Lines.parse("\t.quad " + "(".repeat(2000) + "1" + ")".repeat(2000)));
        // line 7 of t.S; the tab is column 1, ".quad " 2..7, the 257th '(' at column 8 + 256
        assertEquals("t.S:7:" + (8 + ExpressionDepth.MAX_DEPTH) + ": error: expression too deep: more than "
                + ExpressionDepth.MAX_DEPTH + " levels of parentheses and operators waiting for an operand",
                parens.format());
        assertThrows(AsmError.class, () -> Lines.parse("\t.quad " + "-".repeat(3000) + "1"));
        assertThrows(AsmError.class, () -> Lines.expr("~".repeat(n) + "1"));
        assertThrows(AsmError.class, () -> Lines.parse("\tmovq $" + "(".repeat(n) + "1" + ")".repeat(n) + ", %rax"));
        assertThrows(AsmError.class, () -> Lines.parse("\tmovq " + "(".repeat(n) + "1" + ")".repeat(n) + "(%rax), %rax"));
        // operators of rising precedence each wait for their right operand: they nest too
        String rising = "(1||2&&3==4+5|6*";
        assertThrows(AsmError.class, () -> Lines.parse(".quad " + rising.repeat(40) + "1" + ")".repeat(40)));
    }

    /** The bound must hold on a small thread stack, or it is no bound. */
    @Test
    void theWorstNestingAtTheBoundFitsInAHalfMegabyteStack() throws InterruptedException {
        int n = ExpressionDepth.MAX_DEPTH;
        String rising = "(1||2&&3==4+5|6*-~!"; // 10 levels per repetition
        String[] worst = {
            ".quad " + "(".repeat(n) + "1" + ")".repeat(n),
            ".quad " + "-(".repeat(n / 2) + "1" + ")".repeat(n / 2),
            ".quad " + rising.repeat(n / 10) + "1" + ")".repeat(n / 10),
            ".quad " + "(".repeat(n - 1) + "1+" + ")".repeat(n - 1), // a syntax error: the slow LL path
        };
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            StatementParser parser = new StatementParser();
            for (String line : worst) {
                try {
                    for (Statement s : parser.parse(new io.entrysim.source.SourceLine(line, Lines.ORIGIN))) {
                        ExprEvaluator.eval(((Arg.ExprArg) ((DirectiveStmt) s).args().get(0)).e(), R);
                    }
                } catch (AsmError expected) {
                    assertTrue(line.endsWith("1+" + ")".repeat(n - 1)), expected.format());
                } catch (Throwable e) {
                    failure.set(e);
                }
            }
        }, "small-stack", 512 * 1024);
        t.start();
        t.join();
        if (failure.get() != null) {
            throw new AssertionError("nesting at the bound failed on a 512 KiB stack", failure.get());
        }
    }
}

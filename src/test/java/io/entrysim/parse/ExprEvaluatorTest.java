package io.entrysim.parse;

import static io.entrysim.parse.Lines.expr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.entrysim.diag.AsmError;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExprEvaluatorTest {
    private static final MapResolver R = new MapResolver(Map.of(
            "foo", 0x40L, ".Lx", 3L, "1f", 0x2000L, "1b", 0x0ff0L, "sym$1", 9L));

    private static long eval(String text) {
        return ExprEvaluator.eval(expr(text), R);
    }

    @Test
    void symbolsLocalLabelsAndDot() {
        assertEquals(0x48, eval("foo + 8"));
        assertEquals(6, eval(".Lx * 2"));
        assertEquals(9, eval("sym$1"));
        assertEquals(0x10, eval("1f - 1b - 0x1000"));
        assertEquals(0x1000 - 0x0ff0, eval(". - 1b"));
    }

    @Test
    void unresolvedNamesTheSymbol() {
        UnresolvedSymbolException e = assertThrows(UnresolvedSymbolException.class, () -> eval("foo + bar"));
        assertEquals("bar", e.name());
        assertEquals("2f", assertThrows(UnresolvedSymbolException.class, () -> eval("2f - 1b")).name());
        assertEquals("3b", assertThrows(UnresolvedSymbolException.class, () -> eval("3b")).name());
        assertEquals(0, e.getStackTrace().length, "no stack trace");
    }

    @Test
    void divisionByZeroIsAnError() {
        BadExpressionException e = assertThrows(BadExpressionException.class, () -> eval("5 / (foo - 0x40)"));
        assertEquals("division by zero", e.getMessage());
        assertThrows(BadExpressionException.class, () -> eval("5 % 0"));
        AsmError located = assertThrows(AsmError.class,
                () -> ExprEvaluator.eval(expr("1/0"), R, Lines.ORIGIN.atColumn(12)));
        assertEquals("t.S:7:12: error: division by zero", located.format());
    }

    @Test
    void registersCompareByName() {
        assertEquals(-1, eval("%rsp == %rsp"));
        assertEquals(0, eval("%rsp == %rax"));
        assertEquals(-1, eval("%rsp != %rax"));
        assertEquals(-1, eval("%RSP <> %rdi"));
        // as 2.40: `.rept (%rsp == %rsp) + 2` repeats once, so the comparison is -1
        assertEquals(1, eval("(%rsp == %rsp) + 2"));
        assertThrows(BadExpressionException.class, () -> eval("%rsp + 1"));
        assertThrows(BadExpressionException.class, () -> eval("%rsp < %rax"));
    }

    @Test
    void wrapAround() {
        assertEquals(Long.MIN_VALUE, eval("0x7fffffffffffffff + 1"));
        assertEquals(Long.MIN_VALUE, eval("-0x8000000000000000"));
        assertEquals(Long.MIN_VALUE, eval("0x8000000000000000 / -1")); // gas 2.40 crashes here (SIGFPE)
    }

    @Test
    void evaluationIsLazyAboutUnusedSymbols() {
        // The parse does not need the symbols; evaluation is repeatable with other values.
        Expr e = expr("foo * 2");
        assertEquals(0x80, ExprEvaluator.eval(e, R));
        assertEquals(10, ExprEvaluator.eval(e, new MapResolver(Map.of("foo", 5L))));
    }
}

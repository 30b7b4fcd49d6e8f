package io.entrysim.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.entrysim.macro.ConditionEvaluator;
import io.entrysim.diag.AsmError;
import io.entrysim.diag.Origin;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class GasConditionEvaluatorTest {
    private final ConditionEvaluator ev = new GasConditionEvaluator();
    private static final Origin WHERE = Lines.ORIGIN.atColumn(5);
    private static final Function<String, Long> SYMBOLS =
            Map.of("X86_FEATURE_PTI", 7L * 32 + 11, "def", 1L, "PTI_USER_PGTABLE_BIT", 12L)::get;

    private long eval(String text) {
        return ev.evaluate(text, WHERE, SYMBOLS, ConditionEvaluator.nonConstantIn("if"));
    }

    @Test
    void constantsAndKnownSymbols() {
        assertEquals(1, eval("1"));
        assertEquals(235, eval("( 7*32+11)"));
        assertEquals(-1, eval("X86_FEATURE_PTI == 235"));
        assertEquals(0, eval("def == 0"));
        assertEquals(4096, eval("1 << PTI_USER_PGTABLE_BIT"));
        assertEquals(1, eval("!0"));
    }

    @Test
    void registerComparisons() {
        assertEquals(-1, eval("%rsp == %rsp"));
        assertEquals(0, eval("%rdi == %rsp"));
        assertEquals(-1, eval("%rax != %rsp"));
    }

    @Test
    void percentAfterAnOperandIsModulo() {
        assertEquals(1, eval("7 % 3"));
        assertEquals(1, eval("def%3"));
        assertEquals(1, eval("(7)%3"));
    }

    @Test
    void unknownSymbolIsNonConstant() {
        AsmError e = assertThrows(AsmError.class, () -> eval("undefined_thing + 1"));
        // as 2.40: `.if foo` with foo undefined -> Error: non-constant expression in ".if" statement
        assertEquals("non-constant expression in \".if\" statement", e.getMessage());
        assertEquals(WHERE, e.origin());
        assertEquals("non-constant expression in \".if\" statement",
                assertThrows(AsmError.class, () -> eval("%rsp + 0")).getMessage());
        assertEquals("non-constant expression in \".if\" statement",
                assertThrows(AsmError.class, () -> eval(". - 4")).getMessage());
        assertEquals("non-constant expression in \".if\" statement",
                assertThrows(AsmError.class, () -> eval("1f")).getMessage());
    }

    @Test
    void syntaxAndOtherErrors() {
        AsmError junk = assertThrows(AsmError.class, () -> eval("1 2"));
        assertEquals("junk at end of line, first unrecognized character is `2'", junk.getMessage());
        assertEquals(5 + 2, junk.origin().pos().column());
        assertEquals("bad register name `%rzz'", assertThrows(AsmError.class, () -> eval("%rzz == %rax")).getMessage());
        assertEquals("division by zero", assertThrows(AsmError.class, () -> eval("def / 0")).getMessage());
        assertEquals("missing expression", assertThrows(AsmError.class, () -> eval("")).getMessage());
    }
}

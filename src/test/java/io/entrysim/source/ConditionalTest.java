package io.entrysim.source;

import static io.entrysim.source.PpFixture.lines;
import static io.entrysim.source.PpFixture.out;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** #if/#ifdef/#ifndef/#elif/#else/#endif and the integer expression semantics of #if. */
class ConditionalTest {
    /** 1 when the #if expression is true, 0 otherwise. */
    private static String eval(String expr) {
        return out("#define ONE 1\n#define ZERO 0\n#define F(x) x\n#if " + expr + "\n1\n#else\n0\n#endif\n");
    }

    @ParameterizedTest(name = "#if {0}  ->  {1}")
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', value = {
        "1 => 1",
        "0 => 0",
        "UNDEFINED_NAME => 0",
        "defined ONE && defined(ZERO) => 1",
        "defined NOPE || !defined(__x86_64__) => 0",
        "0x10 == 16 && 010 == 8 && 0b101 == 5 => 1",
        "10u == 10 && 1L == 1 && 1ull == 1 => 1",
        "'A' == 65 && '\\n' == 10 && '\\x41' == 65 && '\\101' == 65 => 1",
        "'\\377' < 0 => 1",
        "'ab' == 24930 => 1",
        "-1 < 0 => 1",
        "-1 > 0u => 1",
        "(-1 >> 1) == -1 && (-1 >> 63) == -1 => 1",
        "(1u << 63) > 0 => 1",
        "~0u == 18446744073709551615 => 1",
        "18446744073709551615u == -1 && 0xffffffffffffffff == -1 => 1",
        "9223372036854775807 > 0 => 1",
        "5 / 2 == 2 && -5 / 2 == -2 && -5 % 2 == -1 && 5 % -2 == 1 => 1",
        "(2 > 1 ? 0u : -1) > 0 => 0",
        "(0 ? 1u : -1) > 0 => 1",
        "1 ? 2 : (1/0) => 1",
        "0 && (1/0) => 0",
        "1 || (1/0) => 1",
        "(1, 0) => 0",
        "F(ONE) + F((ZERO)) == 1 => 1",
        "1 << 2 + 1 == 8 => 1",
        "(3 & 5) == 1 && (3 | 5) == 7 && (3 ^ 5) == 6 => 1",
        "2 * 3 - 4 / 2 % 3 == 4 => 1",
        "1 < 2 == 1 => 1",
        "-ONE == -1 && +ONE == 1 && !ZERO == 1 && ~ZERO == -1 => 1",
        "1 >> -1 == 2 => 1",
        "L'a' == 97 && L'\\377' == 255 => 1",
        "(-9223372036854775807 - 1) / -1 < 0 => 1",
    })
    void expressions(String expr, String expected) {
        assertEquals(expected, eval(expr));
    }

    @Test
    void definedProducedByAMacroIsHonoured() {
        assertEquals("yes", out("#define X\n#define D defined(X)\n#if D\nyes\n#else\nno\n#endif\n"));
    }

    @Test
    void ifdefIfndefElifElse() {
        assertEquals(List.of("a", "c", "e", "g"),
                lines("#define ON\n#ifdef ON\na\n#else\nb\n#endif\n#ifndef ON\nb\n#elif 1\nc\n#else\nd\n#endif\n"
                        + "#if 0\nb\n#elif 0\nb\n#else\ne\n#endif\n#ifndef OFF\ng\n#endif\n"));
    }

    @Test
    void onlyTheFirstTrueBranchIsTaken() {
        assertEquals(List.of("one"), lines("#if 1\none\n#elif 1\ntwo\n#else\nthree\n#endif\n"));
    }

    @Test
    void elifAfterATakenBranchIsNotEvaluated() {
        assertEquals("ok", out("#if 1\nok\n#elif garbage (\n#endif\n"));
    }

    @Test
    void skippedGroupsIgnoreEverythingButConditionals() {
        assertEquals("ok", out("#if 0\n#error no\n#include \"missing.h\"\n#if garbage (\n#elif also garbage\n"
                + "#else\n#define X 1\n#endif\n#bogus\n 'unterminated\n#else\nok\n#endif\n"));
    }

    @Test
    void commentsHideDirectivesInSkippedGroups() {
        assertEquals("after", out("#if 0\n/*\n#else\n*/\n#endif\nafter\n"));
    }

    @Test
    void elifdefAndElifndef() {
        assertEquals(List.of("b", "d"),
                lines("#define X\n#if 0\n#elifdef X\nb\n#endif\n#if 0\n#elifndef X\nc\n#elifndef Y\nd\n#endif\n"));
    }

    @Test
    void includeGuardIdiom() {
        PpFixture.MapRoot root = new PpFixture.MapRoot("inc",
                PpFixture.files("g.h", "#ifndef _G_H\n#define _G_H\nguarded\n#endif /* _G_H */\n"));
        assertEquals(List.of("guarded"), lines("#include <g.h>\n#include <g.h>\n#include \"g.h\"\n", root));
    }
}

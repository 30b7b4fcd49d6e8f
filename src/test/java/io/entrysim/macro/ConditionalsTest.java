package io.entrysim.macro;

import static io.entrysim.macro.ExpanderTestSupport.error;
import static io.entrysim.macro.ExpanderTestSupport.expand;
import static io.entrysim.macro.ExpanderTestSupport.expander;
import static io.entrysim.macro.ExpanderTestSupport.lines;
import static io.entrysim.macro.ExpanderTestSupport.prints;
import static io.entrysim.macro.ExpanderTestSupport.texts;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Conditional assembly; gas behaviour checked against GNU as 2.40. */
class ConditionalsTest {
    @Test
    void expressionFamily() {
        String src = "x = 3\n.if x == 3\n.print \"if\"\n.endif\n.ifne 1\n.print \"ne\"\n.endif\n"
                + ".ifeq 0\n.print \"eq\"\n.endif\n.iflt -1\n.print \"lt\"\n.endif\n.ifgt 1\n.print \"gt\"\n.endif\n"
                + ".ifge 0\n.print \"ge\"\n.endif\n.ifle 0\n.print \"le\"\n.endif\n.ifle 1\n.print \"no\"\n.endif";
        assertEquals(List.of("if", "ne", "eq", "lt", "gt", "ge", "le"), prints(src));
    }

    @Test
    void elseifChainsTakeTheFirstTrueBranch() {
        String src = ".if 0\n.elseif 1\n.print \"a\"\n.elseif 1\n.print \"b\"\n.else\n.print \"c\"\n.endif\n"
                + ".if 0\n.elseif 0\n.else\n.print \"d\"\n.endif\n"
                + ".if 1\n.print \"e\"\n.elseif 1\n.print \"f\"\n.else\n.print \"g\"\n.endif";
        assertEquals(List.of("a", "d", "e"), prints(src));
    }

    @Test
    void skippedBranchesStillTrackNestingButEvaluateNothing() {
        String src = ".if 0\n.if undefined_symbol\n.print \"a\"\n.else\n.print \"b\"\n.endif\n.elseif 1\n"
                + ".print \"c\"\n.endif";
        assertEquals(List.of("c"), prints(src));
        assertEquals(List.of("x"), prints(".if 0\n  .macro m\n  .print \"in\"\n  .endm\n.endif\n.print \"x\""));
    }

    @Test
    void labelledEndifIsNotSeenInASkippedBranch() {
        // gas skips any statement not starting with '.' while ignoring, label and all.
        assertEquals(List.of("after"), prints(".if 0\nfoo: .endif\n.print \"no\"\n.endif\n.print \"after\""));
        assertEquals(List.of("foo:", "nop"), expand(".if 1\nfoo: .endif\nnop"));
    }

    @Test
    void ifcComparesTrimmedTextUpToTheFirstComma() {
        String src = ".ifc a,a\n.print \"1\"\n.endif\n.ifc \"a\",a\n.print \"2\"\n.endif\n"
                + ".ifc  a , a\n.print \"3\"\n.endif\n.ifc a+b, a + b\n.print \"4\"\n.endif\n"
                + ".ifc a,b,c\n.print \"5\"\n.endif\n.ifc b,c,b,c\n.print \"6\"\n.endif\n.ifnc a,A\n.print \"7\"\n.endif\n"
                + ".ifc ,\n.print \"8\"\n.endif";
        assertEquals(List.of("1", "3", "4", "7", "8"), prints(src));
        assertEquals("t.S:1:1: error: bad format for ifc or ifnc", error(".ifc a\n.endif"));
    }

    @Test
    void ifcInsideMacroComparesSubstitutedArguments() {
        String src = ".macro t a, b\n.ifc \\a,\\b\n.print \"eq\"\n.else\n.print \"ne\"\n.endif\n.endm\n"
                + "t x, x\nt %rsp, %rsp\nt x, y\nt \"a,b\", \"a,b\"";
        assertEquals(List.of("eq", "eq", "ne", "ne"), prints(src));
    }

    @Test
    void ifbAndIfeqs() {
        String src = ".ifb\n.print \"1\"\n.endif\n.ifb \"\"\n.print \"2\"\n.endif\n.ifnb a\n.print \"3\"\n.endif\n"
                + ".ifeqs \"a\\x62\",\"ab\"\n.print \"4\"\n.endif\n.ifnes \"a\",\"b\"\n.print \"5\"\n.endif";
        assertEquals(List.of("1", "3", "4", "5"), prints(src));
    }

    /** .print, .ifeqs and .ascii decode escapes alike (gas 2.40: \\8 is 8, \\18 is 16, \\x41b is 0x1b). */
    @Test
    void printAndIfeqsDecodeDigitEscapesAsAscii() {
        assertEquals(List.of("a\bb", "a\u0010b", "a\u001b"), prints(".print \"a\\8b\"\n.print \"a\\18b\"\n.print \"a\\x41b\""));
        assertEquals(List.of("eq"), prints(".ifeqs \"\\9\", \"\\t\"\n.print \"eq\"\n.endif"));
        assertEquals("t.S:1:1: error: this string may not contain '\\0'", error(".print \"a\\08\\0\""));
    }

    @Test
    void ifdefSeesSetSymbolsAndEarlierLabelsOnly() {
        String src = ".ifdef lbl\n.print \"early\"\n.endif\nlbl:\n.ifdef lbl\n.print \"label\"\n.endif\n"
                + ".set s, lbl\n.ifdef s\n.print \"set\"\n.endif\n.ifndef z\n.print \"ndef\"\n.endif\n"
                + ".ifnotdef z\n.print \"notdef\"\n.endif\n1:\n";
        assertEquals(List.of("label", "set", "ndef", "notdef"), prints(src));
        assertEquals("t.S:1:1: error: invalid identifier for \".ifdef\"", error(".ifdef 1b\n.endif"));
        assertEquals("t.S:1:1: error: junk at end of line, first unrecognized character is `b'",
                error(".ifdef a b\n.endif"));
    }

    @Test
    void setTracksAbsoluteValuesOnly() {
        String src = ".set a, 5\n.set b, a*2\n.equ c, b+1\nd = c << 1\ne == 4\n.if d == 22 && e == 4\n"
                + ".print \"ok\"\n.endif";
        assertEquals(List.of("ok"), prints(src));
        assertEquals(List.of(".set a,5", ".set b,a*2", ".equ c,b+1", "d =c<<1", "e ==4"),
                expand(".set a, 5\n.set b, a*2\n.equ c, b+1\nd = c << 1\ne == 4"));
        assertEquals("t.S:3:1: error: non-constant expression in \".if\" statement",
                error("lbl:\n.set y, lbl\n.if y\n.endif"));
        assertEquals("t.S:2:1: error: symbol `f' is already defined", error(".equiv f, 1\n.equiv f, 2"));
    }

    @Test
    void unbalancedConditionalsAreReportedWhereGasDoes() {
        assertEquals("t.S:1:1: error: \".endif\" without \".if\"", error(".endif"));
        assertEquals("t.S:1:1: error: \".else\" without matching \".if\"", error(".else"));
        assertEquals("t.S:1:1: error: \".elseif\" without matching \".if\"", error(".elseif 1"));
        assertEquals("t.S:3:1: error: duplicate \".else\"", error(".if 1\n.else\n.else\n.endif"));
        assertEquals("t.S:3:1: error: \".elseif\" after \".else\"", error(".if 1\n.else\n.elseif 0\n.endif"));
        assertEquals("t.S:2:1: error: end of file inside conditional", error("nop\n.if 1\nnop"));
        assertEquals("t.S:2:1: error: end of macro inside conditional", error(".macro m\n.if 1\n.endm\nm"));
    }

    @Test
    void endifInAMacroMayCloseAnOuterConditional() {
        assertEquals(List.of("after"), prints(".macro m\n.endif\n.endm\n.if 1\nm\n.print \"after\""));
    }

    @Test
    void cpuFeatureConditional() {
        String src = ".set X86_FEATURE_PTI, ( 7*32+11)\n.ifcpufeature X86_FEATURE_PTI\npti\n.else\nnopti\n.endif\n"
                + ".ifcpufeature ( 4*32+17)\npcid\n.elseif 1\nnopcid\n.endif";
        List<String> both = texts(expander(Set.of(235L, 145L), Map.of()).expand(lines(src)));
        assertEquals(List.of(".set X86_FEATURE_PTI,( 7*32+11)", "pti", "pcid"), both);
        List<String> none = texts(expander(Set.of(), Map.of()).expand(lines(src)));
        assertEquals(List.of(".set X86_FEATURE_PTI,( 7*32+11)", "nopti", "nopcid"), none);
    }

    @Test
    void staticKeyConditionalRecordsTheKeysItConsults() {
        String src = ".ifstatickey ctx_enabled, 0\non\n.else\noff\n.endif\n"
                + ".ifstatickey other_key, 1\nother_on\n.endif\n.if 0\n.ifstatickey dead_key, 1\n.endif\n.endif";
        GasMacroExpander forced = expander(Set.of(), Map.of("ctx_enabled", true));
        assertEquals(List.of("on", "other_on"), texts(forced.expand(lines(src))));
        assertEquals(List.of("ctx_enabled", "other_key"), List.copyOf(forced.staticKeysConsulted()));
        GasMacroExpander defaults = expander(Set.of(), Map.of("other_key", false));
        assertEquals(List.of("off"), texts(defaults.expand(lines(src))));
        assertEquals("t.S:1:1: error: expected `, default' after static key `k'", error(".ifstatickey k\n.endif"));
    }
}

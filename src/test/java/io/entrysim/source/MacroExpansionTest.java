package io.entrysim.source;
import io.entrysim.diag.AsmWarning;

import static io.entrysim.source.PpFixture.lines;
import static io.entrysim.source.PpFixture.out;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** #define/#undef and the C99 expansion algorithm, checked against what gcc 12 prints. */
class MacroExpansionTest {
    @Test
    void objectLikeMacroInOperands() {
        assertEquals("\tmovq %rsp, %gs:var",
                out("#define __percpu_seg gs\n\tmovq %rsp, %__percpu_seg:var\n"));
    }

    @Test
    void functionLikeMacroStaysGluedToSurroundingTokens() {
        assertEquals("\tbt \\scratch_reg, %gs:cpu_tlbstate + TLB_STATE_user_pcid_flush_mask",
                out("#define __percpu_seg gs\n#define PER_CPU_VAR(var) %__percpu_seg:var\n"
                        + "#define THIS_CPU_mask PER_CPU_VAR(cpu_tlbstate)  +  TLB_STATE_user_pcid_flush_mask\n"
                        + "\tbt \\scratch_reg, THIS_CPU_mask\n"));
    }

    @Test
    void nestedObjectLikeMacrosInParentheses() {
        assertEquals("\tandq $(~((1 << 11) | (1 << 12))), \\reg",
                out("#define A (1 << 11)\n#define B (1 << 12)\n#define AB (A | B)\n\tandq $(~AB), \\reg\n"));
    }

    @Test
    void functionLikeNameWithoutParenIsNotExpanded() {
        assertEquals(List.of("PER_CPU_VAR", "%gs:x", "a F", "b"),
                lines("#define PER_CPU_VAR(v) %gs:v\nPER_CPU_VAR\nPER_CPU_VAR (x)\n#define F(x) [x]\na F\nb\n"));
    }

    @Test
    void parenOnAFollowingLineStillInvokes() {
        assertEquals(List.of("[1] c", "[2] d"), lines("#define F(x) [x]\nF\n(1) c\nF\n\n(2) d\n"));
    }

    @Test
    void argumentsMaySpanLines() {
        assertEquals(List.of("d [2 3] e", "z"), lines("#define F(x) [x]\nd F(2\n 3) e\nz\n"));
    }

    @Test
    void directiveInsideArgumentsIsProcessed() {
        assertEquals("[a 9]", out("#define F(x) [x]\nF(a\n#define Q 9\nQ)\n"));
    }

    @Test
    void selfReferenceDoesNotLoop() {
        assertEquals(List.of("foo", "AA BB", "rec(rec(0 + 1) + 1)"),
                lines("#define foo foo\nfoo\n#define AA BB\n#define BB AA\nAA BB\n#define rec(x) rec(x + 1)\nrec(rec(0))\n"));
    }

    @Test
    void argumentsArePreExpandedButNotWhenStringifiedOrPasted() {
        assertEquals("\"FOO\" FOO2 1 .LFOO",
                out("#define FOO 1\n#define S(x) #x\n#define CAT(a,b) a##b\n#define ID(x) x\nS(FOO) CAT(FOO,2) ID(FOO) CAT(.L, FOO)\n"));
    }

    @Test
    void stringification() {
        assertEquals("\"a \\\"b\\\\n\\\" 'c' d\" \"\" \"x y\"",
                out("#define S(x) #x\nS( a  \"b\\n\" 'c'   d ) S() S(  x   y  )\n"));
    }

    @Test
    void stringifyThroughHelperExpandsFirst() {
        assertEquals("\" \" \".quad\" \" \" \"a, b c, d\"",
                out("#define __ASM_FORM(x) \" \" #x \" \"\n#define _ASM_PTR __ASM_FORM(.quad)\n"
                        + "#define __stringify_1(x...) #x\n#define __stringify(x...) __stringify_1(x)\n"
                        + "_ASM_PTR __stringify(a, b  c,  d)\n"));
    }

    @Test
    void stringifyWarnsAboutATrailingBackslash() {
        Preprocessor pp = PpFixture.preprocessor();
        List<SourceLine> out = pp.preprocess(new SourceFile("t.S", "#define S(x) #x\nS(a\\)\n"));
        assertEquals("\"a\"", out.get(0).text());
        assertEquals(List.of("t.S:2:1: warning: invalid string literal, ignoring final '\\'"),
                pp.warnings().stream().map(AsmWarning::format).toList());
    }

    @Test
    void tokenPasting() {
        assertEquals("%gs .Lend 1f -> a+ 1",
                out("#define FOO 1\n#define CAT(a,b) a##b\nCAT(%,gs) CAT(.L,end) CAT(1,f) CAT(-,>) CAT(a,+) CAT(FO,O)\n"));
    }

    @Test
    void pastingWithEmptyArguments() {
        assertEquals(List.of("int j[] = { 123, 45, 67, 89,", " 10, 11, 12, };"),
                lines("#define t(x,y,z) x ## y ## z\nint j[] = { t(1,2,3), t(,4,5), t(6,,7), t(8,9,),\n"
                        + " t(10,,), t(,11,), t(,,12), t(,,) };\n"));
    }

    @Test
    void hashHashInsideObjectLikeMacro() {
        assertEquals("char p[] = \"x ## y\";",
                out("#define hash_hash # ## #\n#define mkstr(a) # a\n#define in_between(a) mkstr(a)\n"
                        + "#define join(c, d) in_between(c hash_hash d)\nchar p[] = join(x, y);\n"));
    }

    @Test
    void hashNotFollowedByParameterIsKeptInAssemblerMode() {
        assertEquals("#y 1", out("#define F(x) #y x\nF(1)\n"));
    }

    @Test
    void variadicMacros() {
        assertEquals("<> <a> <a,b> <a , b> l() l(1,2)",
                out("#define I(...) <__VA_ARGS__>\n#define L(args...) l(args)\nI() I(a) I(a,b) I( a , b ) L() L(1,2)\n"));
    }

    @Test
    void gnuCommaPasteDropsTheCommaOnlyWhenArgumentsAreAbsent() {
        assertEquals("j(1) j(1,) j(1,2) j(1, 2, 3) k(x) k(x,1) m(a) m(a,b,c)",
                out("#define J(a, ...) j(a, ## __VA_ARGS__)\n#define K(...) k(x, ## __VA_ARGS__)\n"
                        + "#define M(fmt, args...) m(fmt, ## args)\nJ(1) J(1,) J(1,2) J(1, 2, 3) K() K(1) M(a) M(a,b,c)\n"));
    }

    @Test
    void c99StandardExample3() {
        String defs = "#define x 3\n#define f(a) f(x * (a))\n#undef x\n#define x 2\n#define g f\n#define z z[0]\n"
                + "#define h g(~\n#define m(a) a(w)\n#define w 0,1\n#define t(a) a\n#define p() int\n"
                + "#define q(x) x\n#define r(x,y) x ## y\n#define str(x) # x\n";
        assertEquals(List.of("f(2 * (y+1)) + f(2 * (f(2 * (z[0])))) % f(2 * (0)) + t(1);",
                "f(2 * (2 +(3,4)-0,1)) | f(2 * (~ 5)) & f(2 * (0,1))^m(0,1);",
                "int i[] = { 1, 23, 4, 5, };",
                "char c[2][6] = { \"hello\", \"\" };"),
                lines(defs + "f(y+1) + f(f(z)) % t(t(g)(0) + t)(1);\ng(x+(3,4)-w) | h 5) & m\n(f)^m(m);\n"
                        + "p() i[q()] = { q(1), r(2,3), r(4,), r(,5), r(,) };\nchar c[2][6] = { str(hello), str() };\n"));
    }

    @Test
    void c99StandardExample4() {
        String defs = "#define str(s) # s\n#define xstr(s) str(s)\n"
                + "#define debug(s, t) printf(\"x\" # s \"= %d, x\" # t \"= %s\", \\\n x ## s, x ## t)\n"
                + "#define INCFILE(n) vers ## n\n#define glue(a, b) a ## b\n#define xglue(a, b) glue(a, b)\n"
                + "#define HIGHLOW \"hello\"\n#define LOW LOW \", world\"\n";
        assertEquals(List.of("printf(\"x\" \"1\" \"= %d, x\" \"2\" \"= %s\", x1, x2);",
                "fputs(\"strncmp(\\\"abc\\\\0d\\\", \\\"abc\\\", '\\\\4') == 0\" \": @\\n\", s);",
                "\"vers2.h\"", "\"hello\";", "\"hello\" \", world\""),
                lines(defs + "debug(1, 2);\nfputs(str(strncmp(\"abc\\0d\", \"abc\", '\\4') // this goes away\n"
                        + " == 0) str(: @\\n), s);\nxstr(INCFILE(2).h)\nglue(HIGH, LOW);\nxglue(HIGH, LOW)\n"));
    }

    @Test
    void rescanPicksUpFollowingTokens() {
        assertEquals(List.of("2*9*g", "1 f(2)(3)", "g2(1)"),
                lines("#define f(a) a*g\n#define g(a) f(a)\nf(2)(9)\n#undef f\n#undef g\n"
                        + "#define f(x) x f\nf(1)(2)(3)\n#define g2(x) x\ng2(g2)(1)\n"));
    }

    @Test
    void macroEndingInUnfinishedCallTakesArgumentsFromText() {
        assertEquals("1", out("#define F(a) a\n#define G F(\nG 1)\n"));
    }

    @Test
    void spacingAvoidsAccidentalPastes() {
        assertEquals(List.of("- -1 + + 1 x- -1", "+ + + + a + = b", "x y z", "a + + b - - c"),
                lines("#define NEG -1\n#define PLUS +\n#define EMPTY\n-NEG +PLUS 1 x-NEG\n+PLUS PLUS+ a PLUS= b\n"
                        + "x EMPTY y EMPTY EMPTY z\na EMPTY+EMPTY+ b -EMPTY- c\n"));
    }

    @Test
    void backslashBeforeAnExpandedNameGetsASpaceLikeGcc() {
        assertEquals("\\ reg \\1 \\ reg", out("#define FOO 1\n#define R(x) \\x\n#define E\nR(reg) R(FOO) \\E reg\n"));
    }

    @Test
    void undefAndRedefinition() {
        Preprocessor pp = PpFixture.preprocessor();
        List<SourceLine> out = pp.preprocess(new SourceFile("t.S", "#define X 1\nX\n#undef X\nX\n#define X 2\n#define X 2\n#define X 3\nX\n"));
        assertEquals(List.of("1", "X", "3"), out.stream().map(SourceLine::text).toList());
        assertEquals(List.of("t.S:7:9: warning: \"X\" redefined"), pp.warnings().stream().map(AsmWarning::format).toList());
        assertEquals("3", pp.macroBody("X").orElseThrow());
    }

    @Test
    void macroBodyReportsObjectLikeMacrosOnly() {
        Preprocessor pp = PpFixture.preprocessor();
        pp.preprocess(new SourceFile("t.S", "#define MASK  (1 << 11) |  X\n#define F(x) x\n"));
        assertEquals("(1 << 11) | X", pp.macroBody("MASK").orElseThrow());
        assertEquals("1", pp.macroBody("__x86_64__").orElseThrow());
        assertEquals(java.util.Optional.empty(), pp.macroBody("F"));
        assertEquals(java.util.Optional.empty(), pp.macroBody("NOPE"));
        assertEquals(java.util.Optional.empty(), pp.macroBody("__LINE__"));
    }

    @Test
    void builtinMacros() {
        assertEquals(List.of("1 1 1 1 1 1 1", "3 \"t.S\" 0 0 1 \"t.S\""),
                lines("__ASSEMBLY__ __ASSEMBLER__ __x86_64__ __x86_64 __LP64__ __linux__ __KERNEL__\n\n"
                        + "__LINE__ __FILE__ __INCLUDE_LEVEL__ __COUNTER__ __COUNTER__ __BASE_FILE__\n"));
    }

    @Test
    void lineOfAMacroIsItsExpansionPoint() {
        assertEquals(List.of("2 3", "4", "6 a"), lines("#define L __LINE__\nL \\\nL\nL\n#define F(x) __LINE__ x\nF(\na\n)\n"));
    }

    @Test
    void nameFollowedByNumberAfterAnExpansionGetsASpace() {
        // libcpp's name_p: "Cy" then "1" would read as one identifier.
        assertEquals("Cy 1 Cy+ Cy a q 1", out("#define X(...) Cy\n#define Z(p) p\nX(b)1 X(b)+ X(b)a Z(q)1\n"));
    }

    @Test
    void wideStringPrefixIsOneToken() {
        assertEquals(List.of("L\"x\" L'a' 2\"x\" 1 \"x\"", "L\"s\" 2\"s\""),
                lines("#define L 1\n#define u 2\n#define CAT(a,b) a##b\nL\"x\" L'a' u\"x\" L \"x\"\nCAT(L,\"s\") CAT(u,\"s\")\n"));
    }
}

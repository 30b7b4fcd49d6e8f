package io.entrysim.source;
import io.entrysim.diag.AsmWarning;
import io.entrysim.diag.AsmError;

import static io.entrysim.source.PpFixture.error;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Error and warning messages with their positions; "@" stands for a newline in the inputs.
 * Messages and columns are those gcc 12 prints for the same input.
 */
class DiagnosticsTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        // #if expressions
        "#if                      | t.S:1:4: error: #if with no expression",
        "#define EMPTY@#if EMPTY  | t.S:2:10: error: #if with no expression",
        "#if 1 +                  | t.S:1:8: error: operator '+' has no right operand",
        "#if -                    | t.S:1:6: error: operator '-' has no right operand",
        "#if (1                   | t.S:1:5: error: missing ')' in expression",
        "#if )                    | t.S:1:5: error: missing '(' in expression",
        "#if 1 )                  | t.S:1:7: error: missing '(' in expression",
        "#if ()                   | t.S:1:6: error: missing expression between '(' and ')'",
        "#if 1/0                  | t.S:1:6: error: division by zero in #if",
        "#if 3 % 0                | t.S:1:7: error: division by zero in #if",
        "#if x y                  | t.S:1:7: error: missing binary operator before token \"y\"",
        "#if (1) 2                | t.S:1:9: error: missing binary operator before token \"2\"",
        "#if 1 ? 2                | t.S:1:10: error: '?' without following ':'",
        "#if 1 ? : 2              | t.S:1:9: error: operator '?' has no right operand",
        "#if 1 : 2                | t.S:1:7: error: ':' without preceding '?'",
        "#if : 1                  | t.S:1:5: error: operator ':' has no left operand",
        "#if * 1                  | t.S:1:5: error: operator '*' has no left operand",
        "#if defined              | t.S:1:12: error: operator \"defined\" requires an identifier",
        "#if defined(             | t.S:1:13: error: operator \"defined\" requires an identifier",
        "#if defined(X            | t.S:1:14: error: missing ')' after \"defined\"",
        "#if 1.0                  | t.S:1:5: error: floating constant in preprocessor expression",
        "#if 0x                   | t.S:1:5: error: invalid suffix \"x\" on integer constant",
        "#if 08                   | t.S:1:5: error: invalid digit \"8\" in octal constant",
        "#if \"s\"                | t.S:1:5: error: token \"\"s\"\" is not valid in preprocessor expressions",
        "#if 1 = 2                | t.S:1:7: error: token \"=\" is not valid in preprocessor expressions",
        "#if 'a                   | t.S:1:5: error: token \"'a\" is not valid in preprocessor expressions",
        "#if ''                   | t.S:1:5: error: empty character constant",
        // conditional structure
        "#else                    | t.S:1:2: error: #else without #if",
        "#endif                   | t.S:1:2: error: #endif without #if",
        "#elif 1                  | t.S:1:2: error: #elif without #if",
        "#if 1@#else@#else@#endif | t.S:3:2: error: #else after #else",
        "#if 0@#if x@#else@#elif@#endif@#endif | t.S:4:2: error: #elif after #else",
        "#if 1                    | t.S:1:2: error: unterminated #if",
        "x@#ifdef A@y             | t.S:2:2: error: unterminated #ifdef",
        "#if 0@#else@x            | t.S:1:2: error: unterminated #else",
        "#if 1@#elif 1@x          | t.S:1:2: error: unterminated #elif",
        "a@#ifdef X@#endif@#endif | t.S:4:2: error: #endif without #if",
        "#ifdef                   | t.S:1:7: error: no macro name given in #ifdef directive",
        "#ifdef 3                 | t.S:1:8: error: macro names must be identifiers",
        // #define / #undef
        "#define                  | t.S:1:8: error: no macro name given in #define directive",
        "#define 3                | t.S:1:9: error: macro names must be identifiers",
        "#define defined          | t.S:1:9: error: \"defined\" cannot be used as a macro name",
        "#undef                   | t.S:1:7: error: no macro name given in #undef directive",
        "#define F(x,x)           | t.S:1:13: error: duplicate macro parameter \"x\"",
        "#define F(x              | t.S:1:12: error: expected ')' before end of line",
        "#define X(               | t.S:1:11: error: expected parameter name before end of line",
        "#define F(3)             | t.S:1:11: error: expected parameter name, found \"3\"",
        "#define F(x y)           | t.S:1:13: error: expected ',' or ')', found \"y\"",
        "#define F(x,)            | t.S:1:13: error: expected parameter name, found \")\"",
        "#define F(x... y)        | t.S:1:16: error: expected ')' after \"...\"",
        "#define F(x) ## x        | t.S:1:14: error: '##' cannot appear at either end of a macro expansion",
        "#define F(x) x ##        | t.S:1:16: error: '##' cannot appear at either end of a macro expansion",
        // invocations
        "#define F(x) x@F(1,2)    | t.S:2:6: error: macro \"F\" passed 2 arguments, but takes just 1",
        "#define F(x,y) x@F(1)    | t.S:2:4: error: macro \"F\" requires 2 arguments, but only 1 given",
        "#define F() x@F(1)       | t.S:2:4: error: macro \"F\" passed 1 arguments, but takes just 0",
        "#define F(x) x@F(1       | t.S:2:4: error: unterminated argument list invoking macro \"F\"",
        "#define F(x) x@#if F(    | t.S:2:7: error: unterminated argument list invoking macro \"F\"",
        // other directives
        "#error  bad  thing  \"x\" FOO | t.S:1:2: error: #error bad thing \"x\" FOO",
        "#error                   | `t.S:1:2: error: #error `",
        "#line x                  | t.S:1:7: error: \"x\" after #line is not a positive integer",
        "#line                    | t.S:1:6: error: unexpected end of file after #line",
        "#line 5 foo              | t.S:1:9: error: \"foo\" is not a valid filename",
        "#pragma GCC error \"bad\" | t.S:1:19: error: bad",
        "#include                 | t.S:1:9: error: #include expects \"FILENAME\" or <FILENAME>",
        "#include foo             | t.S:1:10: error: #include expects \"FILENAME\" or <FILENAME>",
        "#include \"\"            | t.S:1:10: error: empty filename in #include",
        "#include \"asm/foo.h\"   | t.S:1:10: error: asm/foo.h: No such file or directory",
        "#include <asm/foo.h>     | t.S:1:10: error: asm/foo.h: No such file or directory",
        "#define H <asm/x.h@#include H | t.S:2:11: error: missing terminating > character",
        "#define H <asm/x.h>@#include H | t.S:2:10: error: asm/x.h: No such file or directory",
        "#elifdef X               | t.S:1:2: error: #elifdef without #if",
        "a@b /* open@more         | t.S:2:3: error: unterminated comment",
    })
    void errors(String input, String expected) {
        assertEquals(expected, error(input.replace('@', '\n') + "\n"));
    }

    private static List<String> warnings(String text) {
        Preprocessor pp = PpFixture.preprocessor();
        pp.preprocess(new SourceFile("t.S", text));
        return pp.warnings().stream().map(AsmWarning::format).toList();
    }

    @Test
    void warningDirective() {
        assertEquals(List.of("t.S:2:2: warning: #warning hello FOO there"), warnings("x\n#warning hello FOO  there\n"));
    }

    @Test
    void extraTokensAfterDirectives() {
        assertEquals(List.of("t.S:1:10: warning: extra tokens at end of #ifdef directive",
                "t.S:2:16: warning: extra tokens at end of #endif directive",
                "t.S:3:10: warning: extra tokens at end of #undef directive",
                "t.S:4:13: warning: extra tokens at end of #line directive"),
                warnings("#ifdef X Y\n#endif /* c */ junk\n#undef X Y\n#line 5 \"f\" 3\n"));
    }

    @Test
    void pragmaGccWarningAndArithmeticWarnings() {
        assertEquals(List.of("t.S:1:21: warning: hey", "t.S:2:5: warning: integer constant is so large that it is unsigned",
                "t.S:4:5: warning: multi-character character constant",
                "t.S:6:24: warning: integer overflow in preprocessor expression"),
                warnings("#pragma GCC warning \"hey\"\n#if 9223372036854775808\n#endif\n#if 'ab'\n#endif\n"
                        + "#if 0x7fffffffffffffff + 1\n#endif\n"));
    }

    @Test
    void errorInsideAnIncludedFileNamesTheIncludeChain() {
        PpFixture.MapRoot root = new PpFixture.MapRoot("inc",
                PpFixture.files("a.h", "ok\n#include <b.h>\n", "b.h", "\n#error deep\n"));
        AsmError e = org.junit.jupiter.api.Assertions.assertThrows(AsmError.class,
                () -> PpFixture.run("line1\n#include \"a.h\"\n", root));
        assertEquals("inc/b.h:2:2: error: #error deep\n  included from inc/a.h:2\n  included from t.S:2", e.format());
    }

    @Test
    void recursiveIncludeHitsTheDepthLimit() {
        PpFixture.MapRoot root = new PpFixture.MapRoot("inc", PpFixture.files("rec.h", "#include \"rec.h\"\n"));
        AsmError e = org.junit.jupiter.api.Assertions.assertThrows(AsmError.class,
                () -> PpFixture.run("#include <rec.h>\n", root));
        assertEquals("inc/rec.h:1:17", e.origin().pos().toString());
        assertEquals("#include nested depth 200 exceeds maximum of 200", e.getMessage());
        assertEquals(199, e.origin().chain().size());
    }
}

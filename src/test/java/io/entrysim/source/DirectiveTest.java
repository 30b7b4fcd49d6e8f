package io.entrysim.source;
import io.entrysim.diag.SourcePos;
import io.entrysim.diag.AsmWarning;
import io.entrysim.diag.AsmError;

import static io.entrysim.source.PpFixture.lines;
import static io.entrysim.source.PpFixture.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** #line, gas '#' lines, pragmas, and the -D/-U configuration. */
class DirectiveTest {
    @Test
    void unknownDirectivesAndGasCommentsPassThroughExpanded() {
        assertEquals(List.of("# this is a comment 1", "#APP", "#unknowndir 1", "\t#notleading 1", "  # 5", "#!x"),
                lines("#define FOO 1\n# this is a comment FOO\n#APP\n#unknowndir FOO\n\t#notleading FOO\n  # 5\n#!x\n"));
    }

    @Test
    void nullDirectiveAndDroppedDirectivesProduceNothing() {
        assertEquals(List.of("end"), lines("#\n  #  \n#ident \"x\"\n#pragma foo bar\n#assert machine(x86)\nend\n"));
    }

    @Test
    void lineDirectiveChangesLineAndFile() {
        List<SourceLine> out = run("#line 100\nhere __LINE__\n#line 200 \"other.S\"\n\nthere __LINE__ __FILE__\n");
        assertEquals(List.of("here 100", "there 201 \"other.S\""), out.stream().map(SourceLine::text).toList());
        assertEquals(new SourcePos("t.S", 100, 1), out.get(0).origin().pos());
        assertEquals(new SourcePos("other.S", 201, 1), out.get(1).origin().pos());
    }

    @Test
    void gasLineMarkerPassesThroughAndMovesOnlyPositions() {
        // cpp leaves "# 7 "marker.S"" to gas, which honours it; __LINE__ stays cpp's.
        List<SourceLine> out = run("first\n# 7 \"marker.S\"\nafter __LINE__ __FILE__\n");
        assertEquals(List.of("first", "# 7 \"marker.S\"", "after 3 \"t.S\""), out.stream().map(SourceLine::text).toList());
        assertEquals(new SourcePos("t.S", 2, 1), out.get(1).origin().pos());
        assertEquals(new SourcePos("marker.S", 7, 1), out.get(2).origin().pos());
    }

    @Test
    void onlyColumnOneMarkersWithAFileNameCount() {
        // gas ignores "# 5" and indented markers; so do our positions.
        List<SourceLine> out = run("# 5\na\n  # 9 \"x.S\"\nb\n");
        assertEquals(List.of(new SourcePos("t.S", 2, 1), new SourcePos("t.S", 4, 1)),
                out.stream().filter(l -> !l.text().contains("#")).map(l -> l.origin().pos()).toList());
    }

    @Test
    void assemblerHashLineInsideArgumentsSeparatesThem() {
        // libcpp quirk: a '#' line that is not a directive ends the current macro argument.
        assertEquals(List.of("<a|5 b>", "<a|foo>"), lines("#define X(a,b) <a|b>\nX(a\n# 5\nb)\nX(a\n#foo\n)\n"));
    }

    @Test
    void pushAndPopMacro() {
        assertEquals(List.of("2", "1", "X"), lines("#define X 1\n#pragma push_macro(\"X\")\n#undef X\n#define X 2\nX\n"
                + "#pragma pop_macro(\"X\")\nX\n#pragma push_macro(\"Y\")\n#undef X\nX\n"));
    }

    @Test
    void pragmaOnceInMainFileWarns() {
        Preprocessor pp = PpFixture.preprocessor();
        pp.preprocess(new SourceFile("t.S", "#pragma once\n"));
        assertEquals(List.of("t.S:1:9: warning: #pragma once in main file"),
                pp.warnings().stream().map(AsmWarning::format).toList());
    }

    @Test
    void commandLineDefinesAndUndefines() {
        Preprocessor pp = new Preprocessor(new PreprocessorConfig(List.of(),
                Map.of("CONFIG_X86_64", "1", "F(x)", "[x]", "EMPTY", "", "__KERNEL__", "2"), Set.of("__linux__", "CONFIG_X86_64")));
        List<SourceLine> out = pp.preprocess(new SourceFile("t.S", "CONFIG_X86_64 F(1) <EMPTY> __KERNEL__ __linux__\n"));
        assertEquals("CONFIG_X86_64 [1] <> 2 __linux__", out.get(0).text());
    }

    @Test
    void badCommandLineDefineIsAnError() {
        Preprocessor pp = new Preprocessor(new PreprocessorConfig(List.of(), Map.of("3X", "1"), Set.of()));
        AsmError e = org.junit.jupiter.api.Assertions.assertThrows(AsmError.class,
                () -> pp.preprocess(new SourceFile("t.S", "x\n")));
        assertEquals("<command-line>:1:1: error: macro names must be identifiers", e.format());
    }
}

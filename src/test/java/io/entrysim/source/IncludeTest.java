package io.entrysim.source;
import io.entrysim.diag.SourcePos;
import io.entrysim.diag.Site;
import io.entrysim.diag.Origin;
import io.entrysim.diag.AsmError;

import static io.entrysim.source.PpFixture.files;
import static io.entrysim.source.PpFixture.lines;
import static io.entrysim.source.PpFixture.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.entrysim.source.PpFixture.MapRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** #include search, include roots, once-only files and the provenance of included lines. */
class IncludeTest {
    @Test
    void quotedIncludeLooksInTheIncludersDirectoryFirst() {
        MapRoot first = new MapRoot("r1", files("asm/a.h", "#include \"b.h\"\n", "b.h", "r1 top b\n"));
        MapRoot second = new MapRoot("r2", files("asm/b.h", "r2 asm b\n", "b.h", "r2 top b\n"));
        // asm/a.h is in r1, so "b.h" means r1/asm/b.h (absent), then the roots in order: r1/b.h.
        assertEquals(List.of("r1 top b"), lines("#include <asm/a.h>\n", first, second));
        MapRoot sibling = new MapRoot("r1", files("asm/a.h", "#include \"b.h\"\n", "asm/b.h", "r1 asm b\n"));
        assertEquals(List.of("r1 asm b"), lines("#include <asm/a.h>\n", sibling, second));
    }

    @Test
    void angledIncludeSearchesOnlyTheRootsInOrder() {
        MapRoot first = new MapRoot("r1", files("asm/a.h", "#include <b.h>\n"));
        MapRoot second = new MapRoot("r2", files("b.h", "from r2\n"));
        assertEquals(List.of("from r2"), lines("#include <asm/a.h>\n", first, second));
    }

    @Test
    void includeMacroForms() {
        MapRoot root = new MapRoot("inc", files("asm/x.h", "x\n"));
        assertEquals(List.of("x", "x", "x"), lines("#define Q \"asm/x.h\"\n#define A <asm/x.h>\n#define S(x) #x\n"
                + "#define XS(x) S(x)\n#include Q\n#include A\n#include XS(asm/x.h)\n", root));
    }

    @Test
    void includedLinesKnowTheirFileLineAndIncludeChain() {
        MapRoot root = new MapRoot("inc", files("a.h", "\n\na line 3\n#include \"b.h\"\n", "b.h", "b line 1\n"));
        List<SourceLine> out = run("main 1\n  #  include <a.h>\nmain 3\n", root);
        assertEquals(List.of("main 1", "a line 3", "b line 1", "main 3"), out.stream().map(SourceLine::text).toList());
        assertEquals(Origin.at(new SourcePos("t.S", 1, 1)), out.get(0).origin());
        assertEquals(new Origin(new SourcePos("inc/a.h", 3, 1), List.of(Site.include("a.h", new SourcePos("t.S", 2, 3)))),
                out.get(1).origin());
        assertEquals(new Origin(new SourcePos("inc/b.h", 1, 1), List.of(
                Site.include("b.h", new SourcePos("inc/a.h", 4, 1)), Site.include("a.h", new SourcePos("t.S", 2, 3)))),
                out.get(2).origin());
        assertEquals(Origin.at(new SourcePos("t.S", 3, 1)), out.get(3).origin());
    }

    @Test
    void pragmaOnceAndImport() {
        MapRoot root = new MapRoot("inc", files("once.h", "#pragma once\nonce\n", "imp.h", "imp\n"));
        assertEquals(List.of("once", "imp"),
                lines("#include <once.h>\n#include \"once.h\"\n#import <imp.h>\n#import <imp.h>\n#include <imp.h>\n", root));
    }

    @Test
    void includeNextContinuesAfterTheCurrentRoot() {
        MapRoot first = new MapRoot("r1", files("x.h", "r1\n#include_next <x.h>\n"));
        MapRoot second = new MapRoot("r2", files("x.h", "r2\n"));
        assertEquals(List.of("r1", "r2"), lines("#include <x.h>\n", first, second));
    }

    @Test
    void includeLevelAndFileInsideHeaders() {
        MapRoot root = new MapRoot("inc", files("a.h", "__FILE__ __INCLUDE_LEVEL__ __BASE_FILE__\n"));
        assertEquals(List.of("\"inc/a.h\" 1 \"t.S\""), lines("#include <a.h>\n", root));
    }

    @Test
    void conditionalsCannotSpanFiles() {
        MapRoot root = new MapRoot("inc", files("open.h", "#if 1\n", "close.h", "#endif\n"));
        AsmError e = org.junit.jupiter.api.Assertions.assertThrows(AsmError.class,
                () -> run("#include <open.h>\n", root));
        assertEquals("inc/open.h:1:2: error: unterminated #if\n  included from t.S:1", e.format());
        AsmError e2 = org.junit.jupiter.api.Assertions.assertThrows(AsmError.class,
                () -> run("#if 1\n#include <close.h>\n#endif\n", root));
        assertEquals("inc/close.h:1:2: error: #endif without #if\n  included from t.S:2", e2.format());
    }

    @Test
    void missingFileInsideHeaderIsReportedThere() {
        MapRoot root = new MapRoot("inc", files("a.h", "\n#include <asm/foo.h>\n"));
        AsmError e = org.junit.jupiter.api.Assertions.assertThrows(AsmError.class, () -> run("#include <a.h>\n", root));
        assertEquals("inc/a.h:2:10: error: asm/foo.h: No such file or directory\n  included from t.S:1", e.format());
    }

    @Test
    void directoryRootShowsPathsAsGiven(@TempDir Path tmp) throws IOException {
        Path inc = tmp.resolve("inc");
        Files.createDirectories(inc.resolve("asm"));
        Files.writeString(inc.resolve("asm/a.h"), "#include \"b.h\"\n__FILE__\n");
        Files.writeString(inc.resolve("asm/b.h"), "__FILE__\n");
        Files.writeString(tmp.resolve("main.S"), "#include <asm/a.h>\n#include \"local.h\"\n");
        Files.writeString(tmp.resolve("local.h"), "__FILE__\n");
        DirectoryRoot root = new DirectoryRoot(inc);
        assertEquals(Optional.empty(), root.find("asm/none.h"));
        assertEquals(inc.resolve("asm/a.h").toString(), root.find("asm/a.h").orElseThrow().displayPath());
        Preprocessor pp = new Preprocessor(new PreprocessorConfig(List.of(root), Map.of(), Set.of()));
        List<SourceLine> out = pp.preprocess(tmp.resolve("main.S"));
        assertEquals(List.of("\"" + inc.resolve("asm/b.h") + "\"", "\"" + inc.resolve("asm/a.h") + "\"",
                "\"" + tmp.resolve("local.h") + "\""), out.stream().map(SourceLine::text).toList());
        assertEquals(tmp.resolve("main.S") + ":2", out.get(2).origin().chain().get(0).at().fileLine());
    }

    @Test
    void missingMainFile(@TempDir Path tmp) {
        AsmError e = org.junit.jupiter.api.Assertions.assertThrows(AsmError.class,
                () -> PpFixture.preprocessor().preprocess(tmp.resolve("none.S")));
        assertEquals("entrysim: error: " + tmp.resolve("none.S") + ": No such file or directory", e.format());
    }

    @Test
    void classpathRootReadsResources() {
        ClasspathRoot root = new ClasspathRoot("/io/entrysim/source/shim", "<shim>");
        assertEquals(Optional.empty(), root.find("asm/none.h"));
        assertEquals(Optional.empty(), root.find("../../x.h"));
        assertEquals("<shim>/asm/shim.h", root.find("asm/shim.h").orElseThrow().displayPath());
        List<SourceLine> out = run("#include <asm/shim.h>\nSHIM_VALUE\n", root);
        assertEquals(List.of("sibling \"<shim>/asm/sibling.h\"", "42"), out.stream().map(SourceLine::text).toList());
        assertEquals(new SourcePos("<shim>/asm/sibling.h", 1, 1), out.get(0).origin().pos());
    }

    @Test
    void hasInclude() {
        MapRoot root = new MapRoot("inc", files("asm/x.h", ""));
        assertEquals(List.of("yes", "d", "e", "f"), lines("#if __has_include(<asm/x.h>) && !__has_include(\"nope.h\")\nyes\n#endif\n"
                + "#ifdef __has_include\nd\n#endif\n#if defined __has_include_next\ne\n#endif\n"
                + "#if __has_include(<asm/nope.h>) || 0\n#else\nf\n#endif\n", root));
        assertEquals("t.S:1:5: error: missing '(' before \"__has_include\" operand",
                PpFixture.error("#if __has_include\n#endif\n", root));
    }
}

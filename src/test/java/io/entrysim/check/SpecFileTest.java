package io.entrysim.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrysim.diag.AsmError;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Spec lines in every comment form a .S file uses, and what is not a spec line. */
class SpecFileTest {
    static SpecFile parse(String text) {
        return SpecFile.parse(Path.of("t.S"), text);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "# ENTRYSIM-RUN: --feature PTI",
        "// ENTRYSIM-RUN: --feature PTI",
        "/* ENTRYSIM-RUN: --feature PTI */",
        "/*\n * ENTRYSIM-RUN: --feature PTI\n */",
        "\tmovq %rax, %rbx # ENTRYSIM-RUN: --feature PTI",
        "\tmovq %rax, %rbx /* ENTRYSIM-RUN: --feature PTI */ ; nop",
        "\tnop // ENTRYSIM-RUN: --feature PTI"})
    void everyCommentFormCarriesSpecs(String text) {
        SpecFile s = parse(text + "\n\thlt\n");
        assertEquals(1, s.runs().size(), text);
        assertEquals("--feature PTI", s.runs().get(0).text());
        assertNull(s.runs().get(0).tag());
    }

    @Test
    void positionsPointAtTheTextAfterTheKeyword() {
        SpecFile s = parse("\t.text\n/*\n * ENTRYSIM-EXPECT: rax == 1\n */\n");
        assertEquals(3, s.expects().get(0).pos().line());
        assertEquals(20, s.expects().get(0).pos().column());
        assertEquals("t.S", s.expects().get(0).pos().file());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "\t.ascii \"# ENTRYSIM-RUN: --feature PTI\"",
        "\t.ascii \"/* ENTRYSIM-RUN: x */\"",
        "\tmovq $ENTRYSIM, %rax",
        "#define X ENTRYSIM-RUN: --feature PTI"})
    void codeAndDirectivesAreNotComments(String text) {
        SpecFile s = parse(text + "\n");
        assertEquals(List.of(), s.runs());
    }

    @Test
    void tagsAndContinuationLines() {
        SpecFile s = parse("""
                # ENTRYSIM-RUN[a]: --feature PTI \\
                #     --set rax=1
                # ENTRYSIM-EXPECT[a,b]: rax == 1
                # ENTRYSIM-NMI: each handler=h ist=3
                """);
        assertEquals("a", s.runs().get(0).tag());
        assertEquals("--feature PTI  --set rax=1", s.runs().get(0).text());
        assertEquals("a,b", s.expects().get(0).tag());
        NmiSweepSpec nmi = NmiSweepSpec.parse(s.nmi());
        assertEquals("h", nmi.handler());
        assertEquals(3, nmi.ist());
    }

    @Test
    void nmiDefaultsToTheKernelsNmiStack() {
        NmiSweepSpec nmi = NmiSweepSpec.parse(parse("# ENTRYSIM-NMI: each\n").nmi());
        assertEquals("nmi", nmi.handler());
        assertEquals(2, nmi.ist());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "# ENTRYSIM-EXPCT: rax == 1|1:3: error: unknown spec keyword `ENTRYSIM-EXPCT'",
        "# ENTRYSIM-RUN --feature PTI|1:3: error: `ENTRYSIM-RUN' wants a colon",
        "# ENTRYSIM-RUN[a b]: x|1:3: error: a spec tag is",
        "# ENTRYSIM-RUN[a,b]: x|1:3: error: a spec tag is",
        "# ENTRYSIM-EXPECT:|1:19: error: ENTRYSIM-EXPECT: says nothing",
        "# ENTRYSIM-NMI[a]: each|1:3: error: ENTRYSIM-NMI takes no tag",
        "# ENTRYSIM-NMI: each\n# ENTRYSIM-NMI: each|2:3: error: a second ENTRYSIM-NMI line"})
    void mistakesAreLocatedErrors(String testCase) {
        String[] parts = testCase.split("\\|");
        AsmError e = assertThrows(AsmError.class, () -> parse(parts[0] + "\n"));
        assertTrue(e.format().startsWith("t.S:" + parts[1]), e.format());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"# ENTRYSIM-NMI: sometimes", "# ENTRYSIM-NMI: each ist=9", "# ENTRYSIM-NMI: each handler="})
    void badNmiLines(String line) {
        AsmError e = assertThrows(AsmError.class, () -> NmiSweepSpec.parse(parse(line + "\n").nmi()));
        assertTrue(e.format().contains("ENTRYSIM-NMI wants `each [handler=LABEL] [ist=N]'"), e.format());
    }

    @Test
    void aFileWithoutKeywordsIsNoSpec() {
        assertTrue(SpecFile.isSpec("# ENTRYSIM-RUN: x"));
        assertTrue(!SpecFile.isSpec("\tmovq %rax, %rbx\n"));
    }
}

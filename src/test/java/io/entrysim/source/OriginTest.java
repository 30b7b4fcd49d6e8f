package io.entrysim.source;

import static io.entrysim.source.PpFixture.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which physical line an output line is attributed to, and its indentation. */
class OriginTest {
    private static List<String> located(String text) {
        return run(text).stream().map(l -> l.origin().pos() + " " + l.text()).toList();
    }

    @Test
    void continuedLineIsAttributedToItsFirstLine() {
        assertEquals(List.of("t.S:1:1 a", "t.S:2:1 b c d", "t.S:5:1 e"), located("a\nb \\\nc \\\nd\ne\n"));
    }

    @Test
    void textAfterAMultiLineCommentKeepsItsOwnLine() {
        assertEquals(List.of("t.S:2:1          text", "t.S:3:1 x y", "t.S:5:1 z"),
                located("/* multi\n line */ text\nx /* a\nb */ y\nz\n"));
    }

    @Test
    void multiLineMacroCallIsOneLineAtItsStart() {
        assertEquals(List.of("t.S:2:1 [1 2]", "t.S:4:1 after"), located("#define F(x) [x]\nF(1\n2)\nafter\n"));
    }

    @Test
    void leadingWhitespaceIsKeptVerbatim() {
        assertEquals(List.of("t.S:1:1 \t  mov %rax, %rbx"), located("\t  mov %rax, %rbx\n"));
    }

    @Test
    void linesAfterDirectivesAndSkippedGroupsKeepTheirNumbers() {
        assertEquals(List.of("t.S:3:1 kept", "t.S:7:1 also"),
                located("#define X 1\n#if X\nkept\n#else\ndropped\n#endif\nalso\n"));
    }
}

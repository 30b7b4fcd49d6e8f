package io.entrysim.source;

import static io.entrysim.source.PpFixture.error;
import static io.entrysim.source.PpFixture.lines;
import static io.entrysim.source.PpFixture.out;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Comments, continuations and the gas syntax that must pass through cpp untouched. */
class LexingTest {
    @Test
    void gasSyntaxPassesThrough() {
        assertEquals("\tmovq %rsp, %gs:rsp_scratch\n\tbts $63, \\reg\n.Lend_\\@: jmp 1f ; jnc 1b ; andq $0x7FF, %rax",
                out("\tmovq %rsp, %gs:rsp_scratch\n\tbts $63, \\reg\n.Lend_\\@: jmp 1f ; jnc 1b ; andq $0x7FF, %rax\n"));
    }

    @Test
    void dollarIsNotPartOfAnIdentifier() {
        assertEquals("\tbts $63, %rax\nfoo$63", out("#define BIT 63\n\tbts $BIT, %rax\nfoo$BIT\n"));
    }

    @Test
    void ppNumbersAreNeverExpanded() {
        // 1f, 1b and 0x7FF contain identifier characters but are pp-numbers; the lone f is a name.
        assertEquals("jmp 1f; jmp 1b; 0x7FF; 1e+f; F", out("#define f F\n#define b B\njmp 1f; jmp 1b; 0x7FF; 1e+f; f\n"));
    }

    @Test
    void blockCommentBecomesOneSpaceAndDoesNotEndTheLine() {
        assertEquals(List.of("\tx = 1 after 1", "\ty = 2 z"),
                lines("#define FOO 1\n\tx = FOO /* c1\n  c2 FOO */ after FOO\n\ty = 2 /* one */ z /* two\n*/\n"));
    }

    @Test
    void commentAtLineStartKeepsTheColumnOfTheText() {
        assertEquals("        mov %rax, %rbx", out("/* c */ mov %rax, %rbx\n"));
    }

    @Test
    void lineCommentsAreRemoved() {
        assertEquals(List.of("\t.ascii \"FOO // not a comment\"", "\ta", "\ta"),
                lines("#define FOO 1\n\t.ascii \"FOO // not a comment\" // FOO\n\ta // b\n\ta //* b */ c\n"));
    }

    @Test
    void hashMidLineIsNotACommentForCpp() {
        // gas comments are invisible to cpp: the macro after '#' is expanded, as gcc does.
        assertEquals("\tmov %eax, %ebx # comment 1", out("#define FOO 1\n\tmov %eax, %ebx # comment FOO\n"));
    }

    @Test
    void unterminatedQuoteRunsToEndOfLineUnexpanded() {
        assertEquals(List.of("\tmov 'a, %al # FOO", "\tmov \"unterminated FOO", "\tmov 'x' 1"),
                lines("#define FOO 1\n\tmov 'a, %al # FOO\n\tmov \"unterminated FOO\n\tmov 'x' FOO\n"));
    }

    @Test
    void unterminatedQuoteSwallowsACommentStart() {
        assertEquals(List.of("\tmov 'a, %al /* FOO", "\tnext 1 */ more 1"),
                lines("#define FOO 1\n\tmov 'a, %al /* FOO\n\tnext FOO */ more FOO\n"));
    }

    @Test
    void noExpansionInsideStringLiterals() {
        assertEquals("\t.ascii \"FOO\", 'FOO' 1", out("#define FOO 1\n\t.ascii \"FOO\", 'FOO' FOO\n"));
    }

    @Test
    void backslashNewlineJoinsPhysicalLines() {
        assertEquals("x y z", out("x \\\n  y \\\n z\n"));
    }

    @Test
    void backslashBlankNewlineIsAlsoASplice() {
        assertEquals("abcd", out("ab\\  \ncd\n"));
    }

    @Test
    void spliceInsideAnIdentifierJoinsIt() {
        assertEquals("1", out("#define FOO 1\nFO\\\nO\n"));
    }

    @Test
    void crlfLineEndings() {
        assertEquals(List.of("a 1", "b"), lines("#define X 1\r\na X\r\nb\r\n"));
    }

    @Test
    void blankAndCommentOnlyLinesProduceNoOutput() {
        assertEquals(List.of("a", "b"), lines("a\n\n   \n/* only */\n// only\n#define E\nE\nb\n"));
    }

    @Test
    void internalWhitespaceCollapsesLikeGcc() {
        assertEquals("\ttab sep spaces 1/1", out("#define FOO 1\n\ttab\tsep   spaces FOO/FOO\n"));
    }

    @Test
    void unterminatedCommentIsAnError() {
        assertEquals("t.S:2:3: error: unterminated comment", error("a\nb /* open\nmore\n"));
    }
}

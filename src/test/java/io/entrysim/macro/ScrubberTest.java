package io.entrysim.macro;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Expected texts were checked against GNU as 2.40 listings ({@code as -alm}). */
class ScrubberTest {
    private static List<String> texts(String line) {
        return Scrubber.scrub(line, 1).stream().map(Scrubber.Piece::text).toList();
    }

    @Test
    void operandBlanksVanishExceptBetweenSymbolCharacters() {
        assertEquals(List.of("mov $1,%eax"), texts("  mov   $1 ,  %eax"));
        assertEquals(List.of("p a+b"), texts("p a + b"));
        assertEquals(List.of("p 8 * 2"), texts("p 8 * 2"), "* is an x86 symbol character");
        assertEquals(List.of("p a - b c"), texts("p a - b c"));
        assertEquals(List.of("p ( 7*32+11)q"), texts("p ( 7*32+11) q"));
        assertEquals(List.of("p a [ b"), texts("p a [ b"));
        assertEquals(List.of("p a]b"), texts("p a ] b"));
    }

    @Test
    void blankBeforeMacroParameterIsKept() {
        assertEquals(List.of("SWITCH \\a \\b"), texts("SWITCH \\a \\b"));
        assertEquals(List.of("x \\a+\\b"), texts("x \\a + \\b"));
    }

    @Test
    void commentsAndSeparators() {
        assertEquals(List.of("nop", "ret"), texts("nop ; ret # ; not here"));
        assertEquals(List.of(".print \"a;#b\"", "nop"), texts(".print \"a;#b\" ; nop"));
        assertEquals(List.of(), texts("/ whole line comment"));
        assertEquals(List.of(), texts("   / also a comment"));
        assertEquals(List.of("nop /2"), texts(" nop /2"));
        assertEquals(List.of("a", "b"), texts("a /* ; */ ; b"));
        assertEquals(List.of("movl $1,%eax"), texts("movl $1, /* c */ %eax"));
        assertEquals(List.of(".ascii \"\\\"\"", "x"), texts(".ascii \"\\\"\" ; x"));
    }

    @Test
    void labelsLoseBlanksAroundColon() {
        assertEquals(List.of("x:y:z:.print \"i\""), texts("x: y:\tz :.print \"i\""));
        assertEquals(List.of("740:\\oldinstr"), texts("740: \\oldinstr ;"));
    }

    @Test
    void characterConstantsBecomeDecimal() {
        assertEquals(List.of("p 97b"), texts("p 'a b"));
        assertEquals(List.of("movb $65,%al"), texts("movb $'A', %al"));
        assertEquals(List.of("x 10"), texts("x '\\n"));
    }

    @Test
    void columnsFollowTheSourceCharacters() {
        Scrubber.Piece piece = Scrubber.scrub("\tmov  %rax, %rbx ; ret", 1).get(0);
        assertEquals("mov %rax,%rbx", piece.text());
        assertArrayEquals(new int[] {2, 3, 4, 5, 7, 8, 9, 10, 11, 13, 14, 15, 16}, piece.columns());
        assertEquals(20, Scrubber.scrub("\tmov  %rax, %rbx ; ret", 1).get(1).columns()[0]);
    }
}

package io.entrysim.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.entrysim.diag.AsmError;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Errors carry the column of the offending token and gas's wording (checked with as 2.40 on the
 * same lines: the messages in quotes are what it printed, where it has an equivalent).
 */
class SyntaxErrorTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
        .quad 1 2                | 9  | junk at end of line, first unrecognized character is `2'
        .byte 1 +* 2             | 10 | bad expression
        x =                      | 4  | missing expression
        .quad (1                 | 9  | missing ')'
        movq %rax, %rbx,         | 17 | expecting operand after ','; got nothing
        movq , %rax              | 6  | expecting operand before ','; got nothing
        movq %rax %rbx           | 11 | junk `%rbx' after register
        movq %rax, %rbx junk     | 17 | junk `junk' after register
        movq (%rax, %rbx         | 17 | unbalanced parenthesis in operand 1.
        movq %rax, )             | 12 | unbalanced parenthesis in operand 2.
        movq $, %rax             | 7  | missing or invalid immediate expression `'
        movl $1+*2, %eax         | 9  | bad expression
        movq 5(%rax)x, %rbx      | 13 | junk `x' after expression
        movq %rax, %rbz          | 12 | bad register name `%rbz'
        movq %r8l, %rax          | 6  | bad register name `%r8l'
        movq (%rax,%rbx,3), %rax | 17 | expecting scale factor of 1, 2, 4, or 8: got `3'
        movq %rax:foo, %rax      | 6  | `%rax' is not a valid segment register
        .quad 08                 | 8  | junk at end of line, first unrecognized character is `8'
        .set x                   | 6  | expected comma after "x"
        .set 5, 3                | 6  | expected symbol name
        .quad "abc               | 7  | missing end-quote
        .quad 1 ? 2              | 9  | junk at end of line, first unrecognized character is `?'
        """)
    void messagesAndColumns(String line, int column, String message) {
        AsmError e = assertThrows(AsmError.class, () -> Lines.parse(line));
        assertEquals(message, e.getMessage());
        assertEquals(column, e.origin().pos().column());
        assertEquals("t.S:7:" + column + ": error: " + message, e.format());
    }
}

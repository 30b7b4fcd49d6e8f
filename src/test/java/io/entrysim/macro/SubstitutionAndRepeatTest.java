package io.entrysim.macro;

import static io.entrysim.macro.ExpanderTestSupport.error;
import static io.entrysim.macro.ExpanderTestSupport.expand;
import static io.entrysim.macro.ExpanderTestSupport.prints;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Parameter substitution, {@code \@}, and .rept/.irp/.irpc; expectations checked against GNU as 2.40. */
class SubstitutionAndRepeatTest {
    @Test
    void substitutionRules() {
        String src = ".macro w a\n .print \"<\\a> \\\\a \\\\\\a\"\n .print \"1[\\a$]\"\n .print \"2[x&a&y]\"\n"
                + " .print \"3[\\A]\"\n .print \"4[\\(foo)bar]\"\n .print \"5[\\a\\a]\"\n .print \"7[\\a-]\"\n"
                + " .print \"8[&a]\"\n .print \"9[a&&b &]\"\n.endm\nw z";
        // .print decodes escapes, so an unknown "\a$" shows as "a$" and "\\z" as "\z".
        assertEquals(List.of("<z> z \\z", "1[a$]", "2[xzy]", "3[A]", "4[foobar]", "5[zz]", "7[z-]", "8[z]",
                "9[a&&b &]"), prints(src));
    }

    @Test
    void pastingIntoRegisterNamesAndLabels() {
        String src = ".macro m scratch_reg, cfunc\n movq %r\\scratch_reg, %rax\n call noist_\\cfunc\n"
                + " jmp .Lx_\\@\\()_end\n.Lx_\\@\\()_end:\n.endm\nm 14, do_nmi";
        assertEquals(List.of("movq %r14,%rax", "call noist_do_nmi", "jmp .Lx_0_end", ".Lx_0_end:"), expand(src));
    }

    @Test
    void missingParenAfterBackslash() {
        assertEquals("t.S:2:3: error: missing `)'", error(".macro m\nx \\(oops\n.endm\nm"));
    }

    @Test
    void counterIsTakenWhenEachMacroExpands() {
        String src = ".macro m\n .print \"m\\@\"\n.endm\n.macro n\n .print \"n\\@\"\n m\n .print \"n\\@\"\n m\n.endm\n"
                + "m\nn\nm\n.irp x,a,b\n.print \"i\\x\\@\"\n.endr\n.rept 1\n.print \"r\\@\"\n.endr";
        assertEquals(List.of("m0", "n1", "m2", "n1", "m3", "m4", "ia5", "ib5", "r@"), prints(src));
    }

    @Test
    void irpValues() {
        String src = ".irp x, a b, c\n.print \"1[\\x]\"\n.endr\n.irp x,\n.print \"2[\\x]\"\n.endr\n"
                + ".irp x, \"a b\", (1, 2)\n.print \"3[\\x]\"\n.endr\n.irp x, a + b, 8 * 2\n.print \"4[\\x]\"\n.endr";
        assertEquals(List.of("1[a]", "1[b]", "1[c]", "2[]", "3[a b]", "3[(1]", "3[2)]", "4[a+b]", "4[8]", "4[*]",
                "4[2]"), prints(src));
    }

    @Test
    void irpcValues() {
        String src = ".irpc x, \"ab\"\n.print \"1[\\x]\"\n.endr\n.irpc x,a b\n.print \"2[\\x]\"\n.endr\n"
                + ".irpc x,\"a b\"\n.print \"3[\\x]\"\n.endr\n.irpc x,1,2\n.print \"4[\\x]\"\n.endr";
        assertEquals(List.of("1[a]", "1[b]", "2[a]", "2[b]", "3[a]", "3[ ]", "3[b]", "4[1]", "4[,]", "4[2]"),
                prints(src));
    }

    @Test
    void repeatsNestInAnyCombination() {
        String src = ".rept 2\n.irp x,a,b\n.print \"\\x\"\n.endr\n.print \"r\"\n.endr\n"
                + ".irp y,1,2\n.rep 2\n.print \"\\y\"\n.endr\n.endr\n.rept 0\n.print \"never\"\n.endr";
        assertEquals(List.of("a", "b", "r", "a", "b", "r", "1", "1", "2", "2"), prints(src));
    }

    @Test
    void repeatErrors() {
        assertEquals("t.S:1:1: error: REPT without ENDR", error(".rept 3\nnop"));
        assertEquals("t.S:1:1: error: unexpected end of file in irp or irpc", error(".irp x, 1\nnop"));
        assertEquals("t.S:1:1: error: missing model parameter", error(".irp\n.endr"));
        assertEquals("t.S:1:1: error: negative count for REPT - ignored", error(".rept -1\n.endr"));
    }

    /**
     * Each construct in gas's words (as 2.40): a .rept count is read by get_absolute_expression,
     * not by .if; what is left open at the end names the construct left open.
     */
    @Test
    void errorsNameTheirConstruct() {
        assertEquals("t.S:1:1: error: bad or irreducible absolute expression", error(".rept foo\nnop\n.endr"));
        assertEquals("t.S:2:1: error: bad or irreducible absolute expression", error("x:\n.rept x\nnop\n.endr"));
        assertEquals("t.S:2:1: error: non-constant expression in \".elseif\" statement",
                error(".if 0\n.elseif foo\n.endif"));
        assertEquals("t.S:1:1: error: non-constant expression in \".if\" statement", error(".ifeq foo\n.endif"));
        assertEquals("t.S:2:1: error: REPT without ENDR", error(".macro m\n.rept 2\n.endm\nm"));
        assertEquals("t.S:1:1: error: unexpected end of file in irp or irpc", error(".irpc x, 12\nnop"));
        assertEquals("t.S:2:1: error: unexpected end of file in macro `m' definition", error(".rept 1\n.macro m\n.endr"));
        assertEquals("t.S:2:1: error: end of file inside conditional", error(".rept 2\n.if 1\nnop\n.endr"));
        assertEquals("t.S:2:1: error: end of file inside conditional", error(".irp x,1\n.if 1\nnop\n.endr"));
        assertEquals("t.S:2:1: error: end of macro inside conditional", error(".macro m\n.if 1\nnop\n.endm\nm"));
    }

    @Test
    void repeatBodiesKeepTheirOwnLines() {
        List<io.entrysim.source.SourceLine> out = ExpanderTestSupport.expander()
                .expand(ExpanderTestSupport.lines(".irp r, rax, rbx\n  push %\\r\n.endr"));
        assertEquals(List.of("push %rax", "push %rbx"), ExpanderTestSupport.texts(out));
        assertEquals("t.S:2:3", ExpanderTestSupport.where(out.get(1)));
    }

    @Test
    void endStopsAllInput() {
        assertEquals(List.of("a"), expand("a\n.rept 2\n.end\nb\n.endr\nc"));
    }

    @Test
    void splitsStatementsAndLabels() {
        assertEquals(List.of("x:", "y:", "z:", "nop", "1:", "lock", "incl (%rax)", "2:"),
                expand("x: y:\tz : nop # c\n1: lock ; incl (%rax) ; /* c */ 2:"));
    }
}

package io.entrysim.parse;

import static io.entrysim.parse.Lines.bin;
import static io.entrysim.parse.Lines.directive;
import static io.entrysim.parse.Lines.num;
import static io.entrysim.parse.Lines.single;
import static io.entrysim.parse.Lines.sym;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.entrysim.parse.Arg.ExprArg;
import io.entrysim.parse.Arg.StringArg;
import io.entrysim.parse.Arg.WordArg;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DirectiveParseTest {

    private static List<Arg> args(String line) {
        return directive(line).args();
    }

    @ParameterizedTest
    @ValueSource(strings = {".text", ".data", ".code64", ".popsection", ".previous", ".cfi_startproc"})
    void withoutArguments(String name) {
        assertEquals(new DirectiveStmt(name, List.of(), Lines.ORIGIN), directive(name));
    }

    @Test
    void typeTakesItsTypeWithOrWithoutAComma() {
        // the kernel's linkage.h writes `.type name STT_NOTYPE`; gas 2.40 takes both forms
        assertEquals(List.of(new WordArg("entry_x"), new WordArg("STT_NOTYPE")), args(".type entry_x STT_NOTYPE"));
        assertEquals(2, args(".type entry_x, @function").size());
        org.junit.jupiter.api.Assertions.assertThrows(io.entrysim.diag.AsmError.class, () -> directive(".byte x y"),
                "only .type takes a word without a comma");
    }

    @Test
    void nameIsLowerCasedWithDot() {
        assertEquals(".quad", directive(".QUAD 1").name());
    }

    @Test
    void sectionsWithNamesFlagsAndTypes() {
        assertEquals(List.of(new ExprArg(sym(".entry.text")), new StringArg("ax")), args(".section .entry.text, \"ax\""));
        assertEquals(List.of(new ExprArg(sym(".altinstructions")), new StringArg("a")),
                args(".pushsection .altinstructions,\"a\""));
        assertEquals(List.of(new ExprArg(sym("__jump_table")), new StringArg("aw")), args(".section __jump_table, \"aw\""));
        assertEquals(List.of(new ExprArg(sym(".discard")), new StringArg("aw"), new WordArg("@progbits")),
                args(".section .discard,\"aw\",@progbits"));
        assertEquals(List.of(new ExprArg(sym(".foo")), new StringArg("a"), new WordArg("%progbits")),
                args(".section .foo,\"a\",%progbits"));
        assertEquals(List.of(new ExprArg(sym(".data..percpu..page_aligned")), new StringArg("aw")),
                args(".section .data..percpu..page_aligned, \"aw\""));
    }

    @Test
    void argumentsReadAsNames() {
        List<Arg> a = args(".section .rodata.str1.1,\"aMS\",@progbits,1");
        assertEquals(List.of(".rodata.str1.1", "aMS", "@progbits"), a.subList(0, 3).stream().map(Arg::asName).toList());
        assertNull(a.get(3).asName());
    }

    @Test
    void dataDirectives() {
        assertEquals(List.of(new ExprArg(num(0x66)), new ExprArg(num(0x90))), args(".byte 0x66, 0x90"));
        assertEquals(List.of(new ExprArg(num(1)), new ExprArg(new Expr.Unary("-", num(1)))), args(".word 1, -1"));
        assertEquals(List.of(new ExprArg(sym("sym"))), args(".short sym"));
        assertEquals(List.of(new ExprArg(bin("-", new Expr.LocalRef(0, false), new Expr.Dot()))), args(".long 0b - ."));
        assertEquals(List.of(new ExprArg(num(4))), args(".4byte 4"));
        assertEquals(List.of(new ExprArg(sym("a")), new ExprArg(bin("+", sym("b"), num(8)))), args(".quad a, b+8"));
        assertEquals(List.of(new ExprArg(num(8))), args(".8byte 8"));
    }

    @Test
    void spaceAndAlignment() {
        assertEquals(List.of(new ExprArg(num(16)), new ExprArg(num(0x90))), args(".skip 16, 0x90"));
        assertEquals(List.of(new ExprArg(num(4096))), args(".space 4096"));
        assertEquals(List.of(new ExprArg(num(1)), new ExprArg(num(4)), new ExprArg(num(0))), args(".fill 1, 4, 0"));
        assertEquals(List.of(new ExprArg(num(16)), new ExprArg(num(0xcc))), args(".balign 16, 0xcc"));
        assertEquals(List.of(new ExprArg(num(8))), args(".align 8"));
        assertEquals(List.of(new ExprArg(bin("+", new Expr.Dot(), num(5)))), args(".org . + 5"));
    }

    @Test
    void omittedArgumentsAreEmptyWords() {
        assertEquals(List.of(new ExprArg(num(4)), new WordArg(""), new ExprArg(num(15))), args(".p2align 4,,15"));
        assertEquals(List.of(new ExprArg(num(1)), new WordArg("")), args(".quad 1,"));
    }

    @Test
    void symbolDirectives() {
        assertEquals(List.of(new ExprArg(sym("entry_SYSCALL_64"))), args(".globl entry_SYSCALL_64"));
        assertEquals(List.of(new ExprArg(sym("a")), new ExprArg(sym("b"))), args(".global a, b"));
        assertEquals(List.of(new ExprArg(sym("foo")), new WordArg("@function")), args(".type foo, @function"));
        assertEquals(List.of(new ExprArg(sym("foo")), new ExprArg(bin("-", new Expr.Dot(), sym("foo")))),
                args(".size foo, .-foo"));
        assertEquals(List.of(new ExprArg(sym("x"))), args(".local x"));
        assertEquals(List.of(new ExprArg(sym("x"))), args(".weak x"));
        assertEquals(List.of(new ExprArg(sym("x"))), args(".hidden x"));
    }

    @Test
    void stringsAreUnescapedLikeGas() {
        // as 2.40: .ascii "a\x41\x4142\101\1012\0\n\t\b\f\r\v\a\e\q\"\\z\8" assembled to
        // 61 41 42 41 41 32 00 0a 09 08 0c 0d 0b 61 65 71 22 5c 7a 08
        String escaped = "\"a\\x41\\x4142\\101\\1012\\0\\n\\t\\b\\f\\r\\v\\a\\e\\q\\\"\\\\z\\8\"";
        String expected = "aABAA2\0\n\t\b\f\r\u000baeq\"\\z\b";
        assertEquals(List.of(new StringArg(expected)), args(".ascii " + escaped));
        assertEquals(List.of(new StringArg("x"), new StringArg("y")), args(".string \"x\", \"y\""));
        assertEquals(List.of(new StringArg("a;b#c")), args(".asciz \"a;b#c\""));
    }

    @Test
    void assignments() {
        assertEquals(new AssignStmt("x", bin("+", num(5), num(3)), Lines.ORIGIN), single("x = 5 + 3"));
        assertEquals(new AssignStmt("y", bin("*", sym("x"), num(2)), Lines.ORIGIN), single(".set y, x*2"));
        assertEquals(new AssignStmt(".L1", num(1), Lines.ORIGIN), single(".equ .L1, 1"));
        assertEquals(new AssignStmt("z", num(1), true, Lines.ORIGIN), single(".equiv z, 1"));
        // as 2.40: `x == 5` then `x == 6` -> Error: symbol `x' is already defined (i.e. .equiv)
        assertEquals(new AssignStmt("x", num(5), true, Lines.ORIGIN), single("x == 5"));
        assertEquals(new AssignStmt("w", num(2), Lines.ORIGIN), single(".eqv w, 2"));
        assertEquals(new AssignStmt(".", bin("+", new Expr.Dot(), num(4)), Lines.ORIGIN), single(". = . + 4"));
    }

    @Test
    void alternativeSkipExpression() {
        DirectiveStmt d = directive(".skip -(((6651f-6641f)-(662b-661b)) > 0) * ((6651f-6641f)-(662b-661b)),0x90");
        assertEquals(2, d.args().size());
        Expr e = ((ExprArg) d.args().get(0)).e();
        // 6651f-6641f = 5 bytes of replacement, 662b-661b = 2 of original: pad 3 bytes.
        MapResolver r = new MapResolver(java.util.Map.of("6651f", 15L, "6641f", 10L, "662b", 2L, "661b", 0L));
        assertEquals(3, ExprEvaluator.eval(e, r));
    }
}

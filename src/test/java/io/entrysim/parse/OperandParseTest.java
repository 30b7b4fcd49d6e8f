package io.entrysim.parse;

import static io.entrysim.parse.Lines.bin;
import static io.entrysim.parse.Lines.num;
import static io.entrysim.parse.Lines.operand;
import static io.entrysim.parse.Lines.operands;
import static io.entrysim.parse.Lines.sym;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.entrysim.parse.OperandAst.ImmAst;
import io.entrysim.parse.OperandAst.IndirectAst;
import io.entrysim.parse.OperandAst.MemAst;
import io.entrysim.parse.OperandAst.RegAst;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Every AT&T operand form; columns are 1-based and "insn " takes columns 1-5. */
class OperandParseTest {

    @ParameterizedTest
    @ValueSource(strings = {"rax", "eax", "ax", "al", "ah", "bh", "sil", "dil", "spl", "bpl",
        "r8", "r8d", "r8w", "r8b", "r15d", "r10b", "r9w", "cr0", "cr3", "cr4", "cr8", "gs", "fs", "es",
        "rip"})
    void registers(String name) {
        assertEquals(new RegAst(name, 6), operand("%" + name));
    }

    @Test
    void registerNamesAreLowerCased() {
        assertEquals(new RegAst("r8d", 6), operand("%R8D"));
    }

    @Test
    void immediates() {
        assertEquals(new ImmAst(num(63), 6), operand("$63"));
        assertEquals(new ImmAst(new Expr.Unary("-", num(1)), 6), operand("$-1"));
        assertEquals(new ImmAst(new Expr.Unary("~", num(0x1800)), 6), operand("$(~0x1800)"));
        assertEquals(new ImmAst(sym("__USER_DS"), 6), operand("$__USER_DS"));
        assertEquals(new ImmAst(num('a'), 6), operand("$'a'"));
        assertEquals(new ImmAst(new Expr.LocalRef(1, true), 6), operand("$1f"));
        assertEquals(new ImmAst(bin("<<", num(1), num(3)), 6), operand("$ 1 << 3"));
    }

    @Test
    void baseOnly() {
        assertEquals(new MemAst(null, null, "rax", null, 1, 6), operand("(%rax)"));
    }

    @Test
    void displacementAndBase() {
        assertEquals(new MemAst(null, new Expr.Unary("-", num(8)), "rbp", null, 1, 6), operand("-8(%rbp)"));
        assertEquals(new MemAst(null, bin("*", num(5), num(8)), "rdx", null, 1, 6), operand("5*8(%rdx)"));
    }

    @Test
    void parenthesisedDisplacementBeforeBase() {
        assertEquals(new MemAst(null, bin("+", sym("sym"), num(8)), "rax", null, 1, 6), operand("(sym+8)(%rax)"));
        assertEquals(new MemAst(null, bin("*", num(2), num(8)), "rdi", null, 1, 6), operand("(2*8)(%rdi)"));
    }

    @Test
    void parenthesisedExpressionAloneIsAnAbsoluteAddress() {
        assertEquals(new MemAst(null, sym("sym"), null, null, 1, 6), operand("(sym)"));
        assertEquals(new MemAst(null, bin("+", sym("sym"), num(8)), null, null, 1, 6), operand("(sym + 8)"));
    }

    @Test
    void baseIndexScale() {
        assertEquals(new MemAst(null, num(8), "rsp", "rax", 8, 6), operand("8(%rsp,%rax,8)"));
        assertEquals(new MemAst(null, null, "rax", "rbx", 1, 6), operand("(%rax,%rbx)"));
        assertEquals(new MemAst(null, null, "rbx", "rcx", 4, 6), operand("( %rbx , %rcx , 4 )"));
        // gas takes an absolute expression as the scale
        assertEquals(new MemAst(null, null, "rax", "rbx", 4, 6), operand("(%rax,%rbx,2+2)"));
    }

    @Test
    void indexWithoutBase() {
        assertEquals(new MemAst(null, null, null, "rax", 8, 6), operand("(,%rax,8)"));
        assertEquals(new MemAst(null, sym("sys_call_table"), null, "rax", 8, 6), operand("sys_call_table(, %rax, 8)"));
    }

    @Test
    void bareSymbolsAreMemory() {
        assertEquals(new MemAst(null, sym("sym"), null, null, 1, 6), operand("sym"));
        assertEquals(new MemAst(null, bin("+", sym("sym"), num(8)), null, null, 1, 6), operand("sym+8"));
        assertEquals(new MemAst(null, sym(".Lend_12"), null, null, 1, 6), operand(".Lend_12"));
        assertEquals(new MemAst(null, new Expr.LocalRef(1, false), null, null, 1, 6), operand("1b"));
        assertEquals(new MemAst(null, new Expr.Dot(), null, null, 1, 6), operand("."));
    }

    @Test
    void ripRelative() {
        assertEquals(new MemAst(null, sym("sym"), "rip", null, 1, 6), operand("sym(%rip)"));
        assertEquals(new MemAst(null, bin("-", sym("sym"), num(1)), "rip", null, 1, 6), operand("sym-1(%rip)"));
    }

    @Test
    void segmentOverrides() {
        assertEquals(new MemAst("gs", bin("+", sym("sym"), num(22)), null, null, 1, 6), operand("%gs:sym+22"));
        assertEquals(new MemAst("gs", sym("sym"), "rip", null, 1, 6), operand("%gs:(sym)(%rip)"));
        assertEquals(new MemAst("fs", num(0x28), null, null, 1, 6), operand("%fs:0x28"));
        assertEquals(new MemAst("es", null, "rdi", null, 1, 6), operand("%es:(%rdi)"));
        assertEquals(new MemAst("gs", bin("+", sym("cpu_tss_rw"), num(4)), null, null, 1, 6),
                operand("%gs:cpu_tss_rw + 4"));
    }

    @Test
    void indirectTargets() {
        assertEquals(new IndirectAst(new RegAst("rax", 7), 6), operand("*%rax"));
        assertEquals(new IndirectAst(new MemAst(null, num(8), "rsp", null, 1, 7), 6), operand("*8(%rsp)"));
        assertEquals(new IndirectAst(new MemAst(null, sym("sym"), null, null, 1, 7), 6), operand("*sym"));
        assertEquals(new IndirectAst(new MemAst(null, sym("sys_call_table"), null, "rax", 8, 7), 6),
                operand("*sys_call_table(, %rax, 8)"));
    }

    @Test
    void operandListsAndColumns() {
        assertEquals(List.of(new ImmAst(num(63), 6), new RegAst("rax", 11)), operands("$63, %rax"));
        assertEquals(List.of(new RegAst("rsp", 6), new MemAst("gs", sym("x"), null, null, 1, 12)),
                operands("%rsp, %gs:x"));
        assertEquals(List.of(new ImmAst(num(0), 6), new MemAst(null, new Expr.Unary("-", num(8)), "rbp", "rax", 1, 10)),
                operands("$0, -8(%rbp,%rax)"));
    }

    @Test
    void symbolSuffixesStayInTheName() {
        assertEquals(new MemAst(null, sym("foo@GOTPCREL"), "rip", null, 1, 6), operand("foo@GOTPCREL(%rip)"));
    }
}

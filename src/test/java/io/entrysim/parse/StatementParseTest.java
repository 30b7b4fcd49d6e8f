package io.entrysim.parse;

import static io.entrysim.parse.Lines.insn;
import static io.entrysim.parse.Lines.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrysim.parse.OperandAst.RegAst;
import io.entrysim.diag.Origin;
import io.entrysim.diag.Site;
import io.entrysim.source.SourceLine;
import io.entrysim.diag.SourcePos;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatementParseTest {
    private static Origin col(int c) {
        return Lines.ORIGIN.atColumn(c);
    }

    @Test
    void labels() {
        assertEquals(List.of(new LabelStmt("foo", col(1))), parse("foo:"));
        assertEquals(List.of(new LabelStmt(".Lend_12", col(1))), parse(".Lend_12:"));
        assertEquals(List.of(new LabelStmt("1", col(1))), parse("1:"));
        assertTrue(new LabelStmt("661", col(1)).isNumeric());
        assertEquals(List.of(new LabelStmt("sym$1", col(1))), parse("sym$1:"));
    }

    @Test
    void severalLabelsThenAStatement() {
        List<Statement> st = parse("a: b:\tmovq %rax, %rbx");
        assertEquals(new LabelStmt("a", col(1)), st.get(0));
        assertEquals(new LabelStmt("b", col(4)), st.get(1));
        assertEquals(new InstructionStmt(List.of(), "movq", List.of(new RegAst("rax", 12), new RegAst("rbx", 18)),
                "movq %rax, %rbx", col(7)), st.get(2));
    }

    @Test
    void mnemonicsAreLowerCasedWithSuffix() {
        assertEquals("movzbl", insn("MOVZBL %al, %eax").mnemonic());
        assertEquals("jnc", insn("jnc .Lend").mnemonic());
        assertEquals("pushq", insn("pushq\t%r11").mnemonic());
        assertEquals("swapgs", insn("swapgs").mnemonic());
        assertEquals("movl.s", insn("movl.s %eax, %ebx").mnemonic());
    }

    @Test
    void prefixes() {
        InstructionStmt lock = insn("lock incl (%rax)");
        assertEquals(List.of("lock"), lock.prefixes());
        assertEquals("incl", lock.mnemonic());
        assertEquals(List.of("rep"), insn("rep movsb").prefixes());
        assertEquals(List.of("lock", "rep"), insn("LOCK REP stosb").prefixes());
        assertEquals(List.of("repnz"), insn("repnz scasb").prefixes());
    }

    @Test
    void prefixAloneIsAnInstructionWithoutOperands() {
        assertEquals(new InstructionStmt(List.of(), "lock", List.of(), "lock", col(1)), insn("lock"));
        assertEquals(new InstructionStmt(List.of("lock"), "rep", List.of(), "lock rep", col(1)), insn("lock rep"));
    }

    @Test
    void prefixWordsStillWorkAsSymbols() {
        assertEquals(List.of(new LabelStmt("rep", col(1))), parse("rep:"));
        assertEquals(new OperandAst.MemAst(null, new Expr.Sym("lock"), null, null, 1, 5), insn("jmp lock").operands().get(0));
    }

    @Test
    void semicolonsSeparateStatements() {
        List<Statement> st = parse("rep; movsb");
        assertEquals(2, st.size());
        assertEquals("rep", ((InstructionStmt) st.get(0)).mnemonic());
        assertEquals(new InstructionStmt(List.of(), "movsb", List.of(), "movsb", col(6)), st.get(1));
        assertEquals(List.of(), parse(""));
        assertEquals(List.of(), parse("  ;; "));
    }

    @Test
    void textIsTheStatementWithBlanksCollapsed() {
        assertEquals("movq %rsp, %gs:x + 8", insn("  movq\t%rsp,   %gs:x + 8  ").text());
    }

    @Test
    void originKeepsTheMacroChainAndMovesTheColumn() {
        Origin inMacro = new Origin(new SourcePos("calling.h", 200, 3),
                List.of(Site.macro("SWITCH_TO_KERNEL_CR3", new SourcePos("entry_64.S", 50, 2))));
        List<Statement> st = new StatementParser().parse(new SourceLine("1: mov %cr3, %rax", inMacro));
        assertEquals(inMacro.atColumn(3), st.get(0).origin());
        assertEquals(inMacro.atColumn(6), st.get(1).origin());
        assertEquals(inMacro.chain(), st.get(1).origin().chain());
        assertEquals(new RegAst("cr3", 10), ((InstructionStmt) st.get(1)).operands().get(0));
    }

    @Test
    void commentsAreIgnored() {
        assertEquals(List.of(new RegAst("rax", 7)), insn("pushq %rax # save it").operands());
    }

    @Test
    void kindsOfStatement() {
        assertInstanceOf(AssignStmt.class, Lines.single("x=1"));
        assertInstanceOf(DirectiveStmt.class, Lines.single(".quad x"));
        assertInstanceOf(InstructionStmt.class, Lines.single("ud2"));
    }
}

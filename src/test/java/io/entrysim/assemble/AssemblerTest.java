package io.entrysim.assemble;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrysim.cpu.Reg;
import io.entrysim.parse.Statement;
import io.entrysim.parse.StatementParser;
import io.entrysim.diag.AsmError;
import io.entrysim.diag.Origin;
import io.entrysim.source.SourceLine;
import io.entrysim.diag.SourcePos;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The assembler on hand-written statement lists (no cpp, no macros). */
class AssemblerTest {
    static final long TEXT = 0xffffffff81000000L;

    static Program assemble(String... lines) {
        return assembler().assemble(parse(lines));
    }

    static Assembler assembler() {
        return new Assembler(AssemblerConfig.defaults((name, perCpu) -> perCpu ? 0x8000L : null));
    }

    static List<Statement> parse(String... lines) {
        StatementParser p = new StatementParser();
        List<Statement> out = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            out.addAll(p.parse(new SourceLine(lines[i], Origin.at(new SourcePos("t.S", i + 1, 1)))));
        }
        return out;
    }

    static String error(String... lines) {
        return assertThrows(AsmError.class, () -> assemble(lines)).format();
    }

    @Test
    void instructionsTakeTheirEncodedLengthAndLabelsTheirAddresses() {
        Program p = assemble("start:", "nop", "second:", "ret");
        assertEquals(2, p.code().length);
        assertEquals(TEXT, p.symbols().get("start"));
        assertEquals(TEXT + 1, p.symbols().get("second"), "nop is 90");
        assertEquals(TEXT + 1, p.code()[0].nextAddress);
        assertEquals(1, p.indexOf(TEXT + 1));
        assertEquals(-1, p.indexOf(TEXT + 2));
    }

    @Test
    void numericLabelsResolveToNearestDefinition() {
        Program p = assemble("1:", "jmp 1f", "1:", "jmp 1b", "jmp 1b", "1:", "nop");
        assertEquals(1, p.code()[0].target, "1f from the first jmp: the second definition, at the second jmp");
        assertEquals(1, p.code()[1].target, "1b: the definition just before");
        assertEquals(1, p.code()[2].target);
    }

    @Test
    void jumpToLabelPastTheLastInstructionEndsTheRun() {
        Program p = assemble("jmp .Lend_7", "nop", ".Lend_7:");
        assertEquals(2, p.code()[0].target);
    }

    @Test
    void aJumpToWhatIsNotAnInstructionAssemblesAsGasDoes() {
        // gas takes it; running there is what faults (or runs the bytes there)
        Program p = assemble(".data", "x: .quad 1", ".text", "jmp x");
        assertEquals(-1, p.code()[0].target);
        assertEquals(p.symbols().get("x"), p.code()[0].targetAddress);
    }

    @Test
    void conditionAliasesResolve() {
        Program p = assemble("jnc 1f", "jae 1f", "jz 1f", "setnz %al", "cmovlq %rax, %rbx", "1:");
        assertEquals(Cond.AE, p.code()[0].cond);
        assertEquals(Cond.AE, p.code()[1].cond);
        assertEquals(Cond.E, p.code()[2].cond);
        assertEquals(Op.SETCC, p.code()[3].op);
        assertEquals(Cond.NE, p.code()[3].cond);
        assertEquals(Op.CMOVCC, p.code()[4].op);
        assertEquals(Cond.L, p.code()[4].cond);
        assertEquals(8, p.code()[4].size);
    }

    @Test
    void sizesComeFromSuffixOrRegisters() {
        Program p = assemble("movq $1, (%rax)", "mov %eax, %ebx", "push %rdi", "pushq $-1", "bts $63, %rdi",
                "btl $3, (%rax)", "movzbl %al, %ecx", "movslq %eax, %rax", "shl %rax", "shrb %cl, (%rdx)");
        int[] sizes = {8, 4, 8, 8, 8, 4, 4, 8, 8, 1};
        for (int i = 0; i < sizes.length; i++) {
            assertEquals(sizes[i], p.code()[i].size, p.code()[i].text);
        }
        assertEquals(1, p.code()[6].srcSize);
        assertEquals(4, p.code()[7].srcSize);
        assertEquals(new Operand.Imm(1), p.code()[8].operands[0], "shl %rax shifts by one");
        assertEquals(new Operand.Imm(-1), p.code()[3].operands[0], "pushq $-1 sign-extends");
        assertEquals(new Operand.Imm(63), p.code()[4].operands[0]);
    }

    @Test
    void percpuOperandsAllocateUnknownSymbols() {
        Assembler a = assembler();
        Program p = a.assemble(parse("bt %rdi, %gs:user_asid_flush_mask", "movq %cr3, %rdi"));
        Operand.Mem m = (Operand.Mem) p.code()[0].operands[1];
        assertEquals(Operand.Mem.SEG_GS, m.seg());
        assertEquals(0x8000L, m.disp());
        assertEquals(0x8000L, a.autoSymbols().get("user_asid_flush_mask"));
        assertEquals(new Operand.Cr(3), p.code()[1].operands[0]);
    }

    @Test
    void ripRelativeFoldsToTheSymbol() {
        Program p = assemble("leaq target(%rip), %rax", "target:", "nop");
        Operand.Mem m = (Operand.Mem) p.code()[0].operands[0];
        assertTrue(m.ripRelative());
        assertEquals(TEXT + 7, m.disp(), "after the 7-byte lea");
        assertEquals(Operand.Mem.NO_REG, m.base());
    }

    @Test
    void dataDirectivesAndLabelDifferences() {
        Program p = assemble(".data", "a: .byte 1, 2", "b: .word 0x304", ".long b - a", ".quad -1", ".asciz \"hi\"");
        DataBlock d = p.data().get(0);
        assertEquals(".data", d.section());
        assertArrayEquals(new byte[] {1, 2, 4, 3, 2, 0, 0, 0, -1, -1, -1, -1, -1, -1, -1, -1, 'h', 'i', 0}, d.bytes());
    }

    @Test
    void pushsectionReturnsToTheSameSection() {
        Program p = assemble("nop", ".pushsection .altinstr_replacement, \"ax\"", "x: nop", ".popsection", "y: nop");
        assertEquals(TEXT + 1, p.symbols().get("y"));
        assertEquals(TEXT + 0x100000, p.symbols().get("x"));
    }

    @Test
    void setAndForwardReferences() {
        Program p = assemble(".set later, fwd + 8", "mov $later, %rax", "fwd:");
        // a symbol defined further on: gas takes c7 with imm32, 7 bytes
        assertEquals(TEXT + 7 + 8, ((Operand.Imm) p.code()[0].operands[0]).value());
    }

    @Test
    void errorsNameTheLineAndSayWhatGasWouldSay() {
        assertEquals("t.S:1:1: error: no such instruction: `frob %rax'", error("frob %rax"));
        assertEquals("t.S:1:1: error: entrysim does not model `cpuid'", error("cpuid"));
        assertEquals("t.S:1:1: error: entrysim does not model `xaddq'", error("xaddq %rax, (%rbx)"));
        assertTrue(error("mov (%rax), (%rbx)").contains("too many memory references for `mov'"));
        assertTrue(error("movq %eax, %rbx").contains("incorrect register `%eax' used with `q' suffix"));
        assertTrue(error("mov %eax, %rbx").contains("operand size mismatch for `mov'"));
        assertTrue(error("mov $1, (%rax)").contains("no instruction mnemonic suffix given"));
        assertTrue(error("andq $0x100000000, %rax").contains("operand type mismatch for `andq'"));
        assertTrue(error("jmp nowhere").contains("undefined symbol `nowhere'"));
        assertTrue(error("x:", "x:").contains("symbol `x' is already defined"));
        assertTrue(error(".frobnicate 1").contains("unknown pseudo-op: `.frobnicate'"));
        assertTrue(error("rep nop").contains("prefix `rep' is not supported"));
    }

    @Test
    void formsGasRefusesAreRefused() {
        assertTrue(error("movzbq %ah, %rax").contains("can't encode register `%ah' in an instruction requiring REX prefix"));
        assertTrue(error("addb %ah, %sil").contains("can't encode register `%ah'"));
        assertTrue(error("lock addl %eax, %ebx").contains("expecting lockable instruction after `lock'"));
        assertTrue(error("movabsq 0x10000100, %rbx").contains("operand type mismatch for `movabsq'"));
        Program ok = assemble("movb %ah, %al", "movabs $0x123456789, %rbx", "movabs 0x10, %rax", "lock btsq $1, (%rdi)",
                "lock xchg (%rdi), %rax");
        assertEquals(5, ok.code().length);
    }

    @Test
    void oversizedByteShiftCountIsShortenedWithAWarning() {
        Assembler a = assembler();
        Program p = a.assemble(parse("shlb $256, %al"));
        assertEquals(new Operand.Imm(0), p.code()[0].operands[0]);
        assertEquals("t.S:1:1: warning: 0x100 shortened to 0x0", a.warnings().get(0).format());
    }

    @Test
    void undefinedFunctionsGetStubsThatNameThem() {
        AssemblerConfig config = AssemblerConfig.defaults((name, perCpu) -> null).withExternBase(0xffffffffc0000000L);
        Program p = new Assembler(config).assemble(parse("call do_nmi", "call *sys_call_table(,%rax,8)"));
        Insn call = p.code()[0];
        Insn stub = p.code()[call.target];
        assertEquals(Op.STUB, stub.op);
        assertEquals("do_nmi", stub.stubSymbol);
        assertEquals("<stub do_nmi>", stub.text);
        assertTrue(stub.isStubFor("do_nmi"));
        assertEquals("sys_call_table", p.code()[3].stubSymbol);
        assertNull(call.stubSymbol);
    }

    /** gas would call a symbol named `rsi' and leave it to the linker; entrysim never stubs a register name. */
    @Test
    void aSymbolSpelledLikeARegisterIsNeverStubbed() {
        AssemblerConfig config = AssemblerConfig.defaults((name, perCpu) -> null).withExternBase(0xffffffffc0000000L);
        for (String line : List.of("call rsi", "jmp r11d", "mov cr3, %rax", "call *RAX", "movq $xmm0, %rax")) {
            AsmError e = assertThrows(AsmError.class, () -> new Assembler(config).assemble(parse(line)), line);
            assertTrue(e.format().matches("t\\.S:1:\\d+: error: undefined symbol `.*"), e.format());
            assertTrue(e.format().contains("' is spelled like a register: write `%"), e.format());
        }
        assertEquals("t.S:1:1: error: undefined symbol `rsi' is spelled like a register: write `%rsi' for the register"
                + " (entrysim gives no stub to a register name)",
                assertThrows(AsmError.class, () -> new Assembler(config).assemble(parse("call rsi"))).format());
        Program p = new Assembler(config).assemble(parse("rsi: nop", "call rsi", "call rsi_helper"));
        assertEquals(0, p.code()[1].target, "a label may be named like a register, as in gas");
        assertEquals("rsi_helper", p.code()[p.code()[2].target].stubSymbol);
    }

    @Test
    void lockPrefixOnItsOwnLineIsAccepted() {
        Program p = assemble("672: lock", "btsq $1, (%rax)");
        assertEquals(1, p.code().length);
        assertEquals(Op.BTS, p.code()[0].op);
        assertNull(p.code()[0].cond);
        assertEquals(Reg.RAX, ((Operand.Mem) p.code()[0].operands[1]).base());
    }
}

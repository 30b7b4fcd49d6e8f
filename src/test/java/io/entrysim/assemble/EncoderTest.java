package io.entrysim.assemble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrysim.assemble.Encoding.Request;
import io.entrysim.diag.Origin;
import io.entrysim.diag.SourcePos;
import io.entrysim.parse.ExprEvaluator;
import io.entrysim.parse.InstructionStmt;
import io.entrysim.parse.Statement;
import io.entrysim.parse.StatementParser;
import io.entrysim.parse.SymbolResolver;
import io.entrysim.parse.UnresolvedSymbolException;
import io.entrysim.source.SourceLine;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The encoder's tricky cases, each pinned to the bytes GNU as 2.40 gives the line ({@code as --64},
 * no -O). {@code FWD} (5) and {@code FWD1} (1) are defined after their use, so gas takes them as
 * symbolic: full-size fields whatever their value.
 */
class EncoderTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "add $5, %eax | 83c005",
            "add $500, %eax | 05f4010000",
            "add $500, %rax | 4805f4010000",
            "add $5, %al | 0405",
            "add $500, %ebx | 81c3f4010000",
            "add $FWD, %eax | 0505000000",
            "add $FWD, %ebx | 81c305000000",
            "add $0xffffffff, %eax | 83c0ff",
            "addw $0xffe0, %ax | 6683c0e0",
            "add $0x80, %bx | 6681c38000",
            "addw $0x1ffff, %ax | 6605ffff",
            "addw $0xffffffff, %ax | 6683c0ff",
            "addl $0x1ffffffff, %eax | 05ffffffff",
            "test $5, %eax | a905000000",
            "test $5, %bl | f6c305",
            "test %eax, %ebx | 85c3",
            "test %ebx, (%rax) | 8518",
            "test (%rax), %ebx | 8518",
            "mov %eax, %ebx | 89c3",
            "mov (%rax), %ebx | 8b18",
            "mov $1, %rax | 48c7c001000000",
            "mov $0x80000000, %rax | 48b80000008000000000",
            "mov $-1, %rax | 48c7c0ffffffff",
            "mov $FWD, %rax | 48c7c005000000",
            "movabs $1, %rax | 48b80100000000000000",
            "mov $1, %ax | 66b80100",
            "mov $1, %bh | b701",
            "movabs 0x1000, %eax | a10010000000000000",
            "movabs %rax, 0x1000 | 48a30010000000000000",
            "movabs %gs:0x10, %rax | 6548a11000000000000000",
            "mov 0x1000, %eax | 8b042500100000",
            "mov 0x80000000, %eax | a10000008000000000",
            "mov %ax, 0x100000000 | 66a30000000001000000",
            "mov 0xffffffff81000000, %eax | 8b042500000081",
            "mov %gs:0x10, %rax | 65488b042510000000",
            "mov %ds:(%rax), %eax | 8b00",
            "mov %ss:(%rax), %eax | 368b00",
            "mov %ds:(%rbp), %eax | 3e8b4500",
            "mov %ss:(%rbp), %eax | 8b4500",
            "mov %ss:(%r13), %eax | 36418b4500",
            "mov %ds:(%rsp), %eax | 3e8b0424",
            "mov %ss:(,%rbp,1), %eax | 368b042d00000000",
            "lea %ss:8(%rax), %ax | 36668d4008",
            "lock addw $1, %gs:(%r8) | 6566f041830001",
            "xchg %ebx, %eax | 93",
            "xchg %eax, %eax | 87c0",
            "xchg %rax, %rax | 90",
            "xchg %ax, %ax | 6690",
            "xchg %r8, %rax | 4990",
            "xchg %ecx, %edx | 87ca",
            "xchg %spl, %al | 4086e0",
            "xchg (%rbx), %eax | 8703",
            "shl %eax | d1e0",
            "shl $1, %eax | d1e0",
            "shl $FWD1, %eax | c1e001",
            "shl %cl, %eax | d3e0",
            "sar $0, %eax | c1f800",
            "bt %eax, %ebx | 0fa3c3",
            "bt $3, %ebx | 0fbae303",
            "lock btsq $3, (%rax) | f0480fba2803",
            "lea (%rbp), %rax | 488d4500",
            "lea (%r13), %rax | 498d4500",
            "lea (%rsp), %rax | 488d0424",
            "lea (%r12), %rax | 498d0424",
            "lea (,%rax,2), %rax | 488d044500000000",
            "lea FWD(%rax), %rax | 488d8005000000",
            "lea 0(%rax), %rax | 488d00",
            "lea (%rbp,%rax), %rax | 488d440500",
            "lea (%rax,%rbp), %rax | 488d0428",
            "lea 8(%rip), %rax | 488d0508000000",
            "mov 127(%rax), %eax | 8b407f",
            "mov 128(%rax), %eax | 8b8080000000",
            "mov -128(%rax), %eax | 8b4080",
            "mov -129(%rax), %eax | 8b807fffffff",
            "mov (%r13,%r12), %eax | 438b442500",
            "mov (%r8,%r9,8), %r10 | 4f8b14c8",
            "nop | 90",
            "pause | f390",
            "nopl (%rax) | 0f1f00",
            "nopw %cs:0(%rax,%rax,1) | 2e660f1f0400",
            "nop %ax | 660f1fc0",
            "nop %rax | 480f1fc0",
            "push $1 | 6a01",
            "push $1000 | 68e8030000",
            "pushw $0xffff | 666aff",
            "push $FWD | 6805000000",
            "push %ax | 6650",
            "push %r12 | 4154",
            "pushq (%rax) | ff30",
            "pop (%rax) | 8f00",
            "ret | c3",
            "ret $8 | c20800",
            "retw | 66c3",
            "pushfw | 669c",
            "popf | 9d",
            "sysret | 0f07",
            "sysretq | 480f07",
            "iret | cf",
            "iretq | 48cf",
            "rdfsbase %rax | f3480faec0",
            "rdfsbase %eax | f30faec0",
            "wrgsbase %r9 | f3490faed9",
            "mov %cr3, %rax | 0f20d8",
            "mov %rax, %cr3 | 0f22d8",
            "mov %cr8, %r9 | 450f20c1",
            "setne %sil | 400f95c6",
            "setne %ah | 0f95c4",
            "cmpb $1, %ah | 80fc01",
            "mov %al, %ah | 88c4",
            "cmovne %eax, %ebx | 0f45d8",
            "movslq %eax, %rax | 4863c0",
            "movzwq %ax, %rax | 480fb7c0",
            "movsbq (%rax), %r8 | 4c0fbe00",
            "movzbw %al, %ax | 660fb6c0",
            "jmp *%r9 | 41ffe1",
            "jmpq *8(%r12) | 41ff642408",
            "call *%rax | ffd0",
            "jmp *%gs:0x10 | 65ff242510000000",
            "swapgs | 0f01f8",
            "clac | 0f01ca",
            "stac | 0f01cb",
            "lfence | 0faee8",
            "mfence | 0faef0",
            "sfence | 0faef8",
            "ud2 | 0f0b",
            "hlt | f4",
            "cli | fa",
            "sti | fb",
            "rdmsr | 0f32",
            "wrmsr | 0f30",
            "syscall | 0f05",
            "cmc | f5",
            "verw %ax | 0f00e8",
            "verw %r9w | 410f00e9",
            "verw (%rax) | 0f0028",
            "verww (%rax) | 0f0028",
            "verw 0x10(%rsp) | 0f006c2410",
            "verw (%r13) | 410f006d00",
            "verw %gs:0x8 | 650f002c2508000000",
            "lsl %eax,%eax | 0f03c0",
            "lsl %ax,%ax | 660f03c0",
            "lsl %ax,%eax | 0f03c0",
            "lsl %ax,%rax | 480f03c0",
            "lslq %rax,%rax | 480f03c0",
            "lslw (%rax),%ax | 660f0300",
            "lsl (%rax),%rax | 480f0300",
            "lsl %r9w,%r10d | 450f03d1",
            "lar %eax,%eax | 0f02c0",
            "lar %ax,%eax | 0f02c0",
            "lar (%rcx),%rdx | 480f0211",
            "larl (%rax),%eax | 0f0200",
            "mov %ss,%eax | 8cd0",
            "mov %ss,%ax | 668cd0",
            "mov %ss,%rax | 8cd0",
            "movl %ss,%eax | 8cd0",
            "movw %ss,%ax | 668cd0",
            "mov %ss,(%rax) | 8c10",
            "movw %ds,(%rax) | 8c18",
            "mov %cs,%r9d | 418cc9",
            "mov %eax,%ds | 8ed8",
            "mov %ax,%ds | 8ed8",
            "mov %rax,%es | 8ec0",
            "movl %eax,%ss | 8ed0",
            "mov (%rax),%ss | 8e10",
            "movw (%rax),%ds | 8e18",
            "mov %r10d,%ss | 418ed2",
            "mov %fs,%eax | 8ce0",
            "mov %eax,%fs | 8ee0",
            "mov %gs,%ebx | 8ceb",
            "sysenter | 0f34",
            "sysexit | 0f35",
            "sysexitl | 0f35",
            "sysexitq | 480f35",
            "rdpid %rax | f30fc7f8",
            "rdpid %r9 | f3410fc7f9",
            "rdpid %rsp | f30fc7fc",
            "leave | c9",
            "leaveq | c9",
            "leavew | 66c9",
            "int3 | cc",
            "int1 | f1",
            "int $3 | cc",
            "int $0x80 | cd80",
            "int $-1 | cdff",
            "int $0 | cd00",
    })
    void encodesAsGasDoes(String row) {
        String[] parts = row.split(" \\| ");
        assertEquals(parts[1], hex(Encoder.encode(request(parts[0], List.of(), 0))), parts[0]);
        assertEquals(parts[1].length() / 2, Encoder.length(request(parts[0], List.of(), 0)), parts[0]);
    }

    @Test
    void directBranchesCountFromTheNextInstruction() {
        // lbl: jmp lbl / jne lbl / call lbl (gas: eb fe, 75 fa, e8 f5 ff ff ff from 0xb0, 0xb4, 0xb6)
        assertEquals("ebfe", branch("jmp lbl", 0xb0, 0xb0, true));
        assertEquals("75fa", branch("jne lbl", 0xb4, 0xb0, true));
        assertEquals("e8f5ffffff", branch("call lbl", 0xb6, 0xb0, false));
        assertEquals("e8f5ffffff", branch("call lbl", 0xb6, 0xb0, true)); // call has no rel8 form
        // near, over a .skip: forward from 0 and 5 to 0xc3, backward from 0x100 and 0x106 to 0x3c
        assertEquals("e9be000000", branch("jmp lbl", 0x0, 0xc3, false));
        assertEquals("0f84b8000000", branch("je lbl", 0x5, 0xc3, false));
        assertEquals("0f8236ffffff", branch("jc lbl", 0x100, 0x3c, false));
        assertEquals("e931ffffff", branch("jmp lbl", 0x106, 0x3c, false));
        assertEquals(2, Encoder.length(request("jmp lbl", List.of(), 0).branch(0x1000, true)));
        assertEquals(6, Encoder.length(request("jnz lbl", List.of(), 0).branch(0x1000, false)));
    }

    @Test
    void aShortBranchOutOfRangeIsRefused() {
        Request r = request("jmp lbl", List.of(), 0).branch(0x82, true);
        assertThrows(Encoder.UnencodableException.class, () -> Encoder.encode(r));
        assertEquals("eb7f", branch("jmp lbl", 0, 0x81, true));
    }

    @Test
    void ripRelativeLabelsCountFromTheEndOfTheInstruction() {
        // lea lbl(%rip), %rax at 0x9a and call *lbl(%rip) at 0x94, lbl at 0xb0
        assertEquals("488d050f000000", rip("lea lbl(%rip), %rax", 0x9a, 0xb0));
        assertEquals("ff1516000000", rip("call *lbl(%rip)", 0x94, 0xb0));
        // the immediate after the displacement counts: movl $7, lbl(%rip) at 0xc4, lbl at 0xc3
        assertEquals("c705f5ffffff07000000", rip("movl $7, lbl(%rip)", 0xc4, 0xc3));
    }

    @Test
    void aPrefixAloneOnTheLineBeforeComesFirst() {
        // "lock" then "sbbq %rcx, %gs:(%r12)": gas emits f0 where it stands
        assertEquals("f06549190c24", hex(Encoder.encode(request("sbbq %rcx, %gs:(%r12)", List.of("lock"), 0))));
        // on the same line it takes its place after the segment and 0x66
        assertEquals("65f049190c24", hex(Encoder.encode(request("lock sbbq %rcx, %gs:(%r12)", List.of(), 0))));
    }

    @Test
    void movabsWithA32BitRegisterIsWhatGasRefuses() {
        // entrysim accepts it; gas: "operand type mismatch for `movabs'"
        // the assembler refuses it where it stands, in gas's words
        io.entrysim.diag.AsmError e = assertThrows(io.entrysim.diag.AsmError.class, () -> request("movabs $1, %eax", List.of(), 0));
        assertTrue(e.getMessage().contains("operand type mismatch for `movabs'"), e.getMessage());
    }

    @Test
    void withoutASegmentAsWrittenTheOperandsFsAndGsStillCount() {
        Request r = request("mov %gs:0x10, %rax", List.of(), 0).withSegment(null);
        assertEquals("65488b042510000000", hex(Encoder.encode(r)));
    }

    // ---- helpers

    private static String branch(String line, long at, long target, boolean shortForm) {
        return hex(Encoder.encode(request(line, List.of(), at).branch(target, shortForm)));
    }

    /** The line with lbl at {@code label}: entrysim's operand holds the label's address. */
    private static String rip(String line, long at, long label) {
        Request r = request(line, List.of(), at);
        List<Operand> ops = new ArrayList<>();
        for (Operand o : r.operands()) {
            ops.add(o instanceof Operand.Mem m ? new Operand.Mem(m.seg(), m.base(), m.index(), m.scale(), label, true) : o);
        }
        return hex(Encoder.encode(r.withOperands(ops)));
    }

    /** The request the assembler makes for {@code line} (FWD, FWD1 and lbl defined after it). */
    static Request request(String line, List<String> standalone, long address) {
        StatementParser parser = new StatementParser();
        List<Statement> statements = new ArrayList<>();
        String[] source = {line, "lbl: nop", "FWD = 5", "FWD1 = 1"};
        for (int i = 0; i < source.length; i++) {
            statements.addAll(parser.parse(new SourceLine(source[i], Origin.at(new SourcePos("t.s", i + 1, 1)))));
        }
        InstructionStmt stmt = (InstructionStmt) statements.stream().filter(s -> s instanceof InstructionStmt)
            .findFirst().orElseThrow();
        Insn insn = new Assembler(AssemblerConfig.defaults((name, perCpu) -> null)).assemble(statements).code()[0];
        return Request.of(insn, stmt, standalone, e -> {
            try {
                return ExprEvaluator.eval(e, SymbolResolver.ofSymbols(Map.<String, Long>of()::get));
            } catch (UnresolvedSymbolException u) {
                return null;
            }
        }).at(address);
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}

package io.entrysim.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrysim.cpu.Reg;
import io.entrysim.exec.StepEvent;
import io.entrysim.exec.StopReason;
import io.entrysim.source.SourceFile;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Code is what is in memory: bytes emitted by data directives in a code section run like any
 * instruction (with the directive's line as their origin), a write into code takes effect, and
 * a snapshot restores the code as it was.
 */
class CodeFromMemoryTest {
    static Machine machine(String text, RunSpec spec) {
        return Machine.create(Toolchain.build(new SourceFile("t.S", text), BuildOptions.defaults()), spec);
    }

    @Test
    void bytesEmittedByDirectivesRun() {
        String text = String.join("\n",
                "\t.text",
                "\t.byte 0x6a, 0x20",                       // push $0x20, as irq_entries_start emits it
                "\t.byte 0xe9",                             // jmp rel32, as v4.15's STATIC_JUMP emits it
                "\t.long 1f - (. + 4)",
                "\tmovq $99, %rax",                         // jumped over
                "1:\t.byte 0x48, 0xc7, 0xc3, 0x07, 0, 0, 0", // movq $7, %rbx
                "\tpopq %rcx",
                "\thlt",
                "");
        Machine m = machine(text, RunSpec.defaults());
        List<String> origins = new ArrayList<>();
        m.setTracer((StepEvent e) -> origins.add(e.insn().text + " @ " + e.insn().origin.pos().fileLine()));
        assertEquals(StopReason.HLT, m.run().stop(), origins::toString);
        assertEquals(0x20, m.cpu().reg(Reg.RCX), "push $0x20 then pop");
        assertEquals(7, m.cpu().reg(Reg.RBX));
        assertEquals(0, m.cpu().reg(Reg.RAX), "the jmp went over the movq");
        assertEquals(List.of("push   $0x20 @ t.S:2", "jmp    0xffffffff8100000e @ t.S:3",
                "mov    $0x7,%rbx @ t.S:6", "popq %rcx @ t.S:7", "hlt @ t.S:8"), origins);
    }

    static final String PATCH = String.join("\n",
            "\t.text",
            "\tmovb $42, patch+3(%rip)",   // the immediate's low byte of the movq below
            "patch:\tmovq $1, %rax",
            "\thlt",
            "");

    @Test
    void aWriteIntoCodeTakesEffect() {
        Machine m = machine(PATCH, RunSpec.defaults());
        Machine.Snapshot start = m.snapshot();
        assertEquals(StopReason.HLT, m.run().stop());
        assertEquals(42, m.cpu().reg(Reg.RAX), "the patched immediate ran");
        m.restore(start);
        assertEquals(1, m.cpu().memory().peek(m.program().symbols().get("patch") + 3, 1), "restore puts the code back");
        m.step();
        assertEquals(StopReason.HLT, m.run().stop());
        assertEquals(42, m.cpu().reg(Reg.RAX), "and the second run patches and runs it the same way");
    }

    @Test
    void memSetIntoCodeBeforeTheRunTakesEffect() {
        String text = "\t.text\npatch:\tmovq $1, %rax\n\thlt\n";
        Machine m = machine(text, RunSpec.defaults().withMems(List.of("patch+3=5:1")));
        m.run();
        assertEquals(5, m.cpu().reg(Reg.RAX));
    }

    @Test
    void bytesThatAreNoInstructionEntrysimRunsRaiseUdNamingThem() {
        Machine m = machine("\t.text\n\t.byte 0x0f, 0xa2\n\thlt\n", RunSpec.defaults()); // cpuid
        RunOutcome o = m.run();
        assertEquals(StopReason.FAULT, o.stop());
        assertTrue(o.fault().summary().startsWith("#UD"), o.fault().summary());
        assertTrue(o.fault().summary().contains("bytes 0f a2"), o.fault().summary());
        assertEquals("t.S:2", o.faultingInsn().origin.pos().fileLine());
    }

    @Test
    void endbr64IsGasBytesAndANop() {
        Machine m = machine("\t.text\nx:\tendbr64\n\t.byte 0xf3, 0x0f, 0x1e, 0xfa\n\tmovq $3, %rax\n\thlt\n", RunSpec.defaults());
        long x = m.program().symbols().get("x");
        assertEquals(0xfa1e0ff3L, m.cpu().memory().peek(x, 4), "as 2.40: f3 0f 1e fa");
        List<String> texts = new ArrayList<>();
        m.setTracer((StepEvent e) -> texts.add(e.insn().text));
        assertEquals(StopReason.HLT, m.run().stop());
        assertEquals(3, m.cpu().reg(Reg.RAX));
        assertEquals(List.of("endbr64", "endbr64", "movq $3,%rax", "hlt"), texts, "the .byte copy decodes as endbr64 too");
    }

    @Test
    void aNumericRipDisplacementCountsFromTheNextInstruction() {
        // movq 1(%rip),%rax is 7 bytes; the next instruction (hlt) is 1 byte; the quad follows it
        Machine m = machine("\t.text\n\tmovq 1(%rip), %rax\n\thlt\n\t.quad 0x1122334455667788\n", RunSpec.defaults());
        assertEquals(StopReason.HLT, m.run().stop());
        assertEquals(0x1122334455667788L, m.cpu().reg(Reg.RAX));
        long start = m.program().code()[0].address;
        assertEquals("488b0501000000", java.util.HexFormat.of().formatHex(m.cpu().memory().readBytes(start, 7)),
                "as 2.40: mov 0x1(%rip),%rax with the displacement as written");
    }
}

package io.entrysim.assemble;

import static io.entrysim.assemble.AssemblerTest.assemble;
import static io.entrysim.assemble.AssemblerTest.error;
import static io.entrysim.assemble.AssemblerTest.TEXT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Layout corner cases found in review, each checked against what gas does. */
class AssemblerEdgeTest {
    @Test
    void setValueIsTheOneInForceWhereTheInstructionStands() {
        Program p = assemble(".set x, 1", "mov $x, %rax", ".set x, 2", "mov $x, %rbx");
        assertEquals(new Operand.Imm(1), p.code()[0].operands[0]);
        assertEquals(new Operand.Imm(2), p.code()[1].operands[0]);
    }

    @Test
    void alignmentPaddingInCodeFallsThroughToTheNextInstruction() {
        Program p = assemble("nop", ".p2align 4, 0x90", "x:", "hlt");
        assertEquals(TEXT + 16, p.symbols().get("x"));
        assertEquals(TEXT + 16, p.code()[0].nextAddress, "the padding runs as NOPs");
        Program data = assemble("nop", ".quad 0x1234", "hlt");
        assertEquals(TEXT + 1, data.code()[0].nextAddress, "data in code is not padding");
    }

    @Test
    void popsectionRestoresThePreviousSectionToo() {
        Program p = assemble(".text", "nop", ".section .text.b, \"ax\"", "nop",
                ".pushsection .altinstructions, \"a\"", ".quad 0", ".popsection", ".previous", "y: nop");
        assertEquals(TEXT + 1, p.symbols().get("y"), ".previous after the pop goes back to .text");
    }

    @Test
    void orgTakesAnOffsetIntoTheSection() {
        Program p = assemble(".data", "a: .byte 1", ".org 0x10", "b: .byte 2");
        assertEquals(p.symbols().get("a") + 0x10, p.symbols().get("b"));
        assertTrue(error(".data", ".byte 1, 2", ".org 1").contains("attempt to move .org backwards"));
    }

    @Test
    void hugeSkipsAreFreeButSectionsMustFitTheirSlot() {
        Program p = assemble(".bss", "big: .skip 0x80000", "after: .quad 0");
        assertEquals(p.symbols().get("big") + 0x80000, p.symbols().get("after"));
        assertTrue(error(".data", ".skip 0x100001").contains("section .data would grow to 0x100001 bytes"));
    }

    @Test
    void aLabelCannotRedefineASetSymbolAndHugeP2alignIsRefused() {
        assertTrue(error(".set x, 1", "x:").contains("symbol `x' is already defined"));
        assertTrue(error(".p2align 64").contains("alignment too large"));
    }

    @Test
    void skipAndFillMayReferToLabelsFurtherOn() {
        // gas relaxes such frags: the sizes settle over several layout passes
        Program p = assemble(".data", "a: .skip c - b", "b: .byte 1, 2, 3", "c: .fill 2f - 1f, 1, 0x90", "1: .quad 0",
                "2: .byte 4", "d:");
        long a = p.symbols().get("a");
        assertEquals(a + 3, p.symbols().get("b"), ".skip 3: b is 3 bytes before c");
        assertEquals(a + 6, p.symbols().get("c"));
        assertEquals(a + 6 + 8 + 8 + 1, p.symbols().get("d"), ".fill 8 bytes, the quad, the byte");
    }

    @Test
    void aSizeThatDependsOnItselfIsAnErrorNotAHang() {
        assertTrue(error(".data", "x: .skip y - x + 1", "y: .byte 0").contains("does not settle"));
    }

    @Test
    void alignmentMustBeKnownWhereItIsRead() {
        assertTrue(error(".data", ".p2align later", ".set later, 3").contains("must be a constant known at this point"));
    }
}

package io.entrysim.assemble;

import static io.entrysim.assemble.AssemblerTest.TEXT;
import static io.entrysim.assemble.AssemblerTest.assemble;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrysim.cpu.Reg;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** What a Program derives once for the executor: address -> index, fall-through, operand-form problems. */
class ProgramTest {
    private static Insn nop(long address, long next) {
        return new Insn(Op.NOP, 4, 4, null, new Operand[0], -1, address, next, "nop", null);
    }

    @Test
    void indexOfFindsEachInstructionsStart() {
        Program p = assemble("nop", "nop", ".p2align 4", "a: nop", ".section .text.b, \"ax\"", "b: nop", ".text",
                ".byte 0x90", "odd: nop");
        assertEquals(0, p.indexOf(TEXT));
        assertEquals(1, p.indexOf(TEXT + 1));
        assertEquals(Program.NONE, p.indexOf(TEXT + 8), "padding");
        assertEquals(2, p.indexOf(p.symbols().get("a")));
        assertEquals(3, p.indexOf(p.symbols().get("odd")), "an instruction after an odd number of bytes");
        assertEquals(4, p.indexOf(p.symbols().get("b")));
        assertEquals(Program.NONE, p.indexOf(TEXT + 2));
        assertEquals(Program.NONE, p.indexOf(TEXT - 4));
        assertEquals(Program.NONE, p.indexOf(p.symbols().get("b") + 1));
        assertEquals(Program.NONE, p.indexOf(-1L));
        assertEquals(Program.NONE, p.indexOf(0));
    }

    /** Random layouts (gaps, odd addresses, duplicates, both halves of the address space) against a map. */
    @Test
    void indexOfAndFallThroughAgreeWithTheObviousDefinitions() {
        Random rnd = new Random(0x5107_5L);
        long[] bases = {0x400000L, 0xffffffff81000000L, 0xffffffffc0000000L, 0xfffffe0000000000L, 0};
        for (int round = 0; round < 300; round++) {
            List<Insn> code = new ArrayList<>();
            long at = bases[rnd.nextInt(bases.length)];
            int n = 1 + rnd.nextInt(40);
            for (int i = 0; i < n; i++) {
                switch (rnd.nextInt(10)) {
                    case 0 -> at += 4 * (1 + rnd.nextInt(600)); // a gap, small or past a run's limit
                    case 1 -> at += 1 + rnd.nextInt(3); // bytes of data: an odd address
                    case 2 -> at = bases[rnd.nextInt(bases.length)] + 4 * rnd.nextInt(8); // another section, maybe a duplicate
                    default -> { }
                }
                long next = rnd.nextInt(8) == 0 ? at + 4 * (2 + rnd.nextInt(3)) : at + 4;
                code.add(nop(at, next));
                at += 4;
            }
            Insn[] insns = code.toArray(new Insn[0]);
            Program p = new Program(insns, List.of(), Map.of());
            Map<Long, Integer> first = new HashMap<>();
            for (int i = 0; i < insns.length; i++) {
                first.putIfAbsent(insns[i].address, i);
            }
            for (Insn insn : insns) {
                for (long d : new long[] {-8, -4, -3, -1, 0, 1, 2, 4, 8, 4096}) {
                    long a = insn.address + d;
                    assertEquals(first.getOrDefault(a, -1).intValue(), p.indexOf(a), () -> String.format("0x%x", a));
                }
            }
            for (int i = 0; i < insns.length; i++) {
                int want;
                if (i + 1 < insns.length && insns[i + 1].address == insns[i].nextAddress) {
                    want = i + 1;
                } else if (i + 1 == insns.length) {
                    want = insns.length;
                } else {
                    want = first.getOrDefault(insns[i].nextAddress, -1);
                }
                assertEquals(want, p.fallThrough(i), "fall-through of " + i);
            }
        }
    }

    @Test
    void fallThroughCrossesPaddingAndEndsAtTheEnd() {
        Program p = assemble("nop", ".p2align 4, 0x90", "x: nop", "hlt");
        assertEquals(1, p.fallThrough(0), "through the padding NOPs");
        assertEquals(2, p.fallThrough(1));
        assertEquals(3, p.fallThrough(2), "the last falls through to the end");
        Program gap = new Program(new Insn[] {nop(0x1000, 0x1004), nop(0x2000, 0x2004)}, List.of(), Map.of());
        assertEquals(Program.NONE, gap.fallThrough(0), "no instruction after it");
    }

    @Test
    void problemsAreFoundOncePerInstruction() {
        Insn bad = new Insn(Op.LEA, 8, 8, null, new Operand[] {new Operand.Imm(1), new Operand.Gpr(Reg.RAX, 8, false)},
                -1, 0x1004, 0x1008, "lea $1,%rax", null);
        Insn jump = new Insn(Op.JMP, 8, 8, null, new Operand[0], 7, 0x1008, 0x100c, "jmp", null);
        Program p = new Program(new Insn[] {nop(0x1000, 0x1004), bad, jump}, List.of(), Map.of());
        assertNull(p.problem(0));
        assertEquals("needs memory source and register destination", p.problem(1));
        assertEquals("jump target index 7", p.problem(2));
        assertTrue(assemble("mov %rax, %cr3", "jmp 1f", "1:").problem(1) == null, "a jump to the end is fine");
    }
}

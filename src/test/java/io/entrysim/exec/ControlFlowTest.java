package io.entrysim.exec;

import static io.entrysim.exec.Fixture.STACK_TOP;
import static io.entrysim.exec.TestAsm.abs;
import static io.entrysim.exec.TestAsm.imm;
import static io.entrysim.exec.TestAsm.r64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrysim.assemble.Cond;
import io.entrysim.assemble.Insn;
import io.entrysim.assemble.Op;
import io.entrysim.assemble.Operand;
import io.entrysim.assemble.Program;
import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.CpuFault;
import io.entrysim.cpu.Reg;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Jumps, stop reasons, step limits and the single-step cursor. */
class ControlFlowTest {
    /** rax = 3; loop: dec rax; jnz loop; hlt */
    private static TestAsm countdown() {
        return new TestAsm()
            .op(Op.MOV, 8, imm(3), r64(Reg.RAX))   // 0
            .label("loop")
            .op(Op.DEC, 8, r64(Reg.RAX))           // 1
            .jcc(Cond.NE, "loop")                  // 2
            .op(Op.HLT, 8)                         // 3
            .op(Op.NOP, 8);                        // 4
    }

    @Test
    void loopUntilHltLeavesRipAfterTheHlt() {
        Cpu c = Fixture.cpu();
        TestAsm asm = countdown();
        RunResult r = Fixture.run(c, asm);
        assertEquals(StopReason.HLT, r.stop());
        assertEquals(1 + 3 * 2 + 1, r.steps());
        assertEquals(4, r.finalIndex());
        assertEquals(asm.addressOf(4), c.rip());
        assertNull(r.fault());
    }

    @Test
    void maxStepsCountsExecutedInstructionsAndResumeContinues() {
        Cpu c = Fixture.cpu();
        TestAsm asm = countdown();
        Executor ex = new Executor(asm.build(), c);
        RunResult r = ex.run(0, 4);
        assertEquals(StopReason.MAX_STEPS, r.stop());
        assertEquals(4, r.steps());
        assertEquals(2, r.finalIndex()); // mov, dec, jnz, dec: the jnz is next
        assertEquals(asm.addressOf(r.finalIndex()), c.rip());
        RunResult rest = ex.resume(100);
        assertEquals(StopReason.HLT, rest.stop());
        assertEquals(8, ex.stepCount());
        assertEquals(4, rest.steps());
    }

    @Test
    void endWhenRunningPastTheLastInstruction() {
        Cpu c = Fixture.cpu();
        TestAsm asm = new TestAsm().op(Op.NOP, 8).op(Op.NOP, 8);
        RunResult r = Fixture.run(c, asm);
        assertEquals(StopReason.END, r.stop());
        assertEquals(2, r.steps());
        assertEquals(2, r.finalIndex());
        assertEquals(asm.addressOf(1) + 4, c.rip());
    }

    @Test
    void jumpToALabelAtTheEndEnds() {
        Cpu c = Fixture.cpu();
        RunResult r = Fixture.run(c, new TestAsm().jmp("out").op(Op.UD2, 8).label("out"));
        assertEquals(StopReason.END, r.stop());
        assertEquals(1, r.steps());
    }

    @Test
    void fallingThroughIntoAGapEnds() {
        Cpu c = Fixture.cpu();
        TestAsm asm = new TestAsm().op(Op.NOP, 8).at(0x50_0000).op(Op.UD2, 8);
        RunResult r = Fixture.run(c, asm);
        assertEquals(StopReason.END, r.stop());
        assertEquals(asm.addressOf(0) + 4, c.rip());
    }

    @Test
    void retFromTheEntryFrameStopsAfterPopping() {
        Cpu c = Fixture.cpu();
        c.memory().poke(STACK_TOP, 8, 0xFFFF_FFFF_8100_0000L); // the caller's return address
        RunResult r = Fixture.run(c, new TestAsm().op(Op.PUSH, 8, r64(Reg.RAX)).op(Op.POP, 8, r64(Reg.RAX)).op(Op.RET, 8));
        assertEquals(StopReason.RET, r.stop());
        assertEquals(3, r.steps());
        assertEquals(STACK_TOP + 8, c.reg(Reg.RSP));
        assertEquals(0xFFFF_FFFF_8100_0000L, c.rip());
        assertEquals(-1, r.finalIndex());
    }

    @Test
    void faultLeavesTheInstructionUncommittedWithRipAtIt() {
        Cpu c = Fixture.cpu();
        TestAsm asm = new TestAsm().op(Op.INC, 8, r64(Reg.RAX)).op(Op.UD2, 8).op(Op.INC, 8, r64(Reg.RAX));
        RunResult r = Fixture.run(c, asm);
        assertEquals(StopReason.FAULT, r.stop());
        assertEquals("#UD", r.fault().vector());
        assertEquals(CpuFault.UD, r.fault().vectorNumber());
        assertEquals(1, r.steps());
        assertEquals(1, r.finalIndex());
        assertEquals(asm.addressOf(1), c.rip());
        assertEquals(Op.UD2, r.faultingInsn().op);
        assertEquals(1, c.reg(Reg.RAX));
    }

    @Test
    void indirectJumpThroughRegisterAndMemory() {
        Cpu c = Fixture.cpu();
        TestAsm asm = new TestAsm()
            .op(Op.JMP, 8, r64(Reg.RBX))          // 0 -> 2
            .op(Op.UD2, 8)                        // 1
            .op(Op.JMP, 8, abs(0x7000))           // 2 -> 4
            .op(Op.UD2, 8)                        // 3
            .op(Op.HLT, 8);                       // 4
        c.setReg(Reg.RBX, asm.addressOf(2));
        c.memory().poke(0x7000, 8, asm.addressOf(4));
        RunResult r = Fixture.run(c, asm);
        assertEquals(StopReason.HLT, r.stop());
        assertEquals(3, r.steps());
    }

    @Test
    void jumpToANonCodeAddressIsAFetchPageFaultAtTheTarget() {
        Cpu c = Fixture.cpu();
        c.setReg(Reg.RBX, 0xDEAD_0000L);
        TestAsm asm = new TestAsm().op(Op.NOP, 8).op(Op.JMP, 8, r64(Reg.RBX)).op(Op.NOP, 8);
        RunResult r = Fixture.run(c, asm);
        assertEquals(StopReason.FAULT, r.stop());
        assertEquals("#PF", r.fault().vector());
        assertEquals(0xDEAD_0000L, r.fault().address().getAsLong());
        assertEquals(CpuFault.PF_FETCH, r.fault().errorCode());
        assertTrue(r.fault().getMessage().contains("jmp to non-code address 0xdead0000"), r.fault().getMessage());
        assertEquals(2, r.steps(), "the jmp itself executed");
        assertEquals(0xDEAD_0000L, c.rip());
        assertEquals(0xDEAD_0000L, c.cr2());
        assertEquals(-1, r.finalIndex());
        assertEquals(Op.JMP, r.faultingInsn().op);
    }

    @Test
    void retToANonCodeAddressInsideTheRunFaults() {
        Cpu c = Fixture.cpu();
        c.setReg(Reg.RAX, 0x1234);
        RunResult r = Fixture.run(c, new TestAsm().op(Op.PUSH, 8, r64(Reg.RAX)).op(Op.RET, 8));
        assertEquals(StopReason.FAULT, r.stop());
        assertEquals(0x1234, c.rip());
        assertEquals(STACK_TOP, c.reg(Reg.RSP));
    }

    @Test
    void everyConditionalJumpAgreesWithSetcc() {
        for (Cond cond : Cond.values()) {
            for (long flags : new long[] {0, 0x8D5, 0x41, 0x880, 0x80, 0x800, 0x4}) {
                Cpu c = Fixture.cpu();
                c.setRflags(flags);
                Fixture.run(c, new TestAsm()
                    .cc(Op.SETCC, cond, 1, TestAsm.r8(Reg.RBX))
                    .jcc(cond, "taken")
                    .op(Op.HLT, 8)
                    .label("taken")
                    .op(Op.MOV, 8, imm(1), r64(Reg.RAX))
                    .op(Op.HLT, 8));
                assertEquals(c.reg(Reg.RBX), c.reg(Reg.RAX), "j" + cond + " flags 0x" + Long.toHexString(flags));
            }
        }
    }

    @Test
    void singleStepCursor() {
        Cpu c = Fixture.cpu();
        TestAsm asm = countdown();
        Executor ex = new Executor(asm.build(), c);
        ex.begin(0);
        StepResult s = ex.step();
        assertFalse(s.stopped());
        assertEquals(0, s.index());
        assertEquals(Op.MOV, s.insn().op);
        assertEquals(1, ex.currentIndex());
        assertEquals(asm.addressOf(1), c.rip());
        ex.setIndex(3);
        assertEquals(asm.addressOf(3), c.rip());
        s = ex.step();
        assertEquals(StopReason.HLT, s.stop());
        assertEquals(2, ex.stepCount());
        s = ex.step(); // the nop after hlt
        assertEquals(StopReason.END, s.stop());
        s = ex.step();
        assertEquals(StopReason.END, s.stop());
        assertNull(s.insn());
    }

    @Test
    void stepReportsAFaultWithoutMoving() {
        Cpu c = Fixture.cpu();
        Executor ex = new Executor(new TestAsm().op(Op.UD2, 8).build(), c);
        ex.begin(0);
        StepResult s = ex.step();
        assertEquals(StopReason.FAULT, s.stop());
        assertEquals("#UD", s.fault().vector());
        assertEquals(0, ex.currentIndex());
        assertEquals(0, ex.stepCount());
    }

    @Test
    void misshapenInstructionRaisesUdWhenReached() {
        Insn bad = new Insn(Op.LEA, 8, 8, null, new Operand[] {new Operand.Imm(1), r64(Reg.RAX)}, -1,
            0x1000, 0x1004, "lea $1,%rax", null);
        Insn nop = new Insn(Op.NOP, 8, 8, null, new Operand[0], -1, 0x0FFC, 0x1000, "nop", null);
        Program p = new Program(new Insn[] {nop, bad}, List.of(), java.util.Map.of());
        Cpu c = Fixture.cpu();
        RunResult r = new Executor(p, c).run(0, 10);
        assertEquals(StopReason.FAULT, r.stop());
        assertEquals("#UD", r.fault().vector());
        assertTrue(r.fault().getMessage().contains("needs memory source"), r.fault().getMessage());
        assertSame(bad, r.faultingInsn());
        assertEquals(1, r.steps());
    }

    @Test
    void operandlessInstructionsIgnoreTheSizeField() {
        Cpu c = Fixture.cpu();
        RunResult r = Fixture.run(c, new TestAsm().op(Op.NOP, 0).op(Op.CLC, 0).jmp("h").op(Op.UD2, 0).label("h").op(Op.HLT, 0));
        assertEquals(StopReason.HLT, r.stop());
        assertEquals(4, r.steps());
        r = Fixture.run(c, new TestAsm().op(Op.PUSH, 4, r64(Reg.RAX)));
        assertEquals("#UD", r.fault().vector(), "pushl does not exist in 64-bit mode");
    }
}

package io.entrysim.exec;

import static io.entrysim.exec.Fixture.STACK_TOP;
import static io.entrysim.exec.TestAsm.cr;
import static io.entrysim.exec.TestAsm.gs;
import static io.entrysim.exec.TestAsm.imm;
import static io.entrysim.exec.TestAsm.r64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.entrysim.assemble.Op;
import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.Cr3Write;
import io.entrysim.cpu.Flags;
import io.entrysim.cpu.Reg;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-instruction deltas a StepListener receives. */
class ListenerTest {
    @Test
    void deltasOfEachStep() {
        Cpu c = Fixture.cpu();
        c.setGsBase(0x9000);
        c.setKernelGsBase(0xA000);
        c.setCr4(c.cr4() | Cpu.CR4_PCIDE);
        c.memory().poke(0x9010, 8, 0x0102_0304_0506_0708L);
        c.setReg(Reg.RAX, 0x55);
        TestAsm asm = new TestAsm()
            .op(Op.PUSH, 8, r64(Reg.RAX))                  // 1: rsp, one write
            .op(Op.ADD, 8, imm(1), r64(Reg.RAX))           // 2: rax, flags
            .op(Op.BTR, 8, imm(0), gs(0x10))                // 3: write of identical bytes
            .op(Op.MOV, 8, r64(Reg.RAX), cr(3))            // 4: CR3 write
            .op(Op.SWAPGS, 8)                              // 5: other state
            .op(Op.NOP, 8);                                // 6: nothing
        Executor ex = new Executor(asm.build(), c);
        List<StepEvent> events = new ArrayList<>();
        ex.setListener(events::add);
        RunResult r = ex.run(0, 100);
        assertEquals(StopReason.END, r.stop());
        assertEquals(6, events.size());

        StepEvent push = events.get(0);
        assertEquals(1, push.step());
        assertEquals(0, push.index());
        assertEquals(List.of(new StepEvent.RegChange(Reg.RSP, STACK_TOP, STACK_TOP - 8)), push.registers());
        assertEquals(1, push.memoryWrites().size());
        StepEvent.MemWrite w = push.memoryWrites().get(0);
        assertEquals(STACK_TOP - 8, w.address());
        assertEquals(8, w.size());
        assertEquals(0, w.oldValue());
        assertEquals(0x55, w.newValue());
        assertEquals(asm.addressOf(1), push.ripAfter());
        assertEquals(false, push.rflagsChanged());

        StepEvent add = events.get(1);
        assertEquals(List.of(new StepEvent.RegChange(Reg.RAX, 0x55, 0x56)), add.registers());
        assertEquals(Flags.FIXED1, add.rflagsBefore());
        assertEquals(Flags.FIXED1 | Flags.PF, add.rflagsAfter()); // 0x56 = 0101 0110: four ones, PF=1
        StepEvent btr = events.get(2);
        assertEquals(List.of(), btr.registers());
        assertEquals(1, btr.memoryWrites().size());
        assertArrayEquals(btr.memoryWrites().get(0).oldBytes(), btr.memoryWrites().get(0).newBytes());

        StepEvent movCr3 = events.get(3);
        assertEquals(List.of(new Cr3Write(0x56, false, 0x56)), movCr3.cr3Writes());
        assertEquals(List.of(), movCr3.otherChanges());

        StepEvent swapgs = events.get(4);
        assertEquals(List.of(new StepEvent.StateChange("gs_base", 0x9000, 0xA000),
            new StepEvent.StateChange("kernel_gs_base", 0xA000, 0x9000)), swapgs.otherChanges());

        StepEvent nop = events.get(5);
        assertEquals(List.of(), nop.registers());
        assertEquals(List.of(), nop.memoryWrites());
        assertEquals(List.of(), nop.cr3Writes());
        assertEquals(List.of(), nop.otherChanges());
        assertEquals(6, nop.step());
    }

    @Test
    void addReportsTheFlagChange() {
        Cpu c = Fixture.cpu();
        c.setReg(Reg.RAX, -1L);
        List<StepEvent> events = new ArrayList<>();
        Executor ex = new Executor(new TestAsm().op(Op.ADD, 8, imm(1), r64(Reg.RAX)).build(), c);
        ex.setListener(events::add);
        ex.run(0, 10);
        StepEvent e = events.get(0);
        assertEquals(Flags.FIXED1, e.rflagsBefore());
        assertEquals(Flags.FIXED1 | Flags.CF | Flags.PF | Flags.AF | Flags.ZF, e.rflagsAfter());
        assertEquals(true, e.rflagsChanged());
    }

    @Test
    void faultingInstructionsAreNotReported() {
        Cpu c = Fixture.cpu();
        List<StepEvent> events = new ArrayList<>();
        Executor ex = new Executor(new TestAsm().op(Op.NOP, 8).op(Op.UD2, 8).build(), c);
        ex.setListener(events::add);
        RunResult r = ex.run(0, 10);
        assertEquals(StopReason.FAULT, r.stop());
        assertEquals(1, events.size());
    }
}

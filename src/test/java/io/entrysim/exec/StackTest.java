package io.entrysim.exec;

import static io.entrysim.exec.Fixture.STACK_TOP;
import static io.entrysim.exec.TestAsm.abs;
import static io.entrysim.exec.TestAsm.imm;
import static io.entrysim.exec.TestAsm.mem;
import static io.entrysim.exec.TestAsm.r16;
import static io.entrysim.exec.TestAsm.r64;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.entrysim.assemble.Op;
import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.Flags;
import io.entrysim.cpu.Reg;
import org.junit.jupiter.api.Test;

/** PUSH POP PUSHF POPF CALL RET: sizes, RSP-relative corner cases from the SDM, flag images. */
class StackTest {
    @Test
    void pushAndPopAre64BitByDefaultAnd16BitWhenAsked() {
        Cpu c = Fixture.cpu();
        c.setReg(Reg.RAX, 0x1122_3344_5566_7788L);
        c.setReg(Reg.RBX, 0xFFFF_FFFF_FFFF_0000L);
        Fixture.runToEnd(c, new TestAsm()
            .op(Op.PUSH, 8, r64(Reg.RAX))
            .op(Op.PUSH, 2, r16(Reg.RAX))   // pushw %ax: 2 bytes
            .op(Op.POP, 2, r16(Reg.RBX))    // popw %bx merges
            .op(Op.POP, 8, r64(Reg.RCX)));
        assertEquals(STACK_TOP, c.reg(Reg.RSP));
        assertEquals(0xFFFF_FFFF_FFFF_7788L, c.reg(Reg.RBX));
        assertEquals(0x1122_3344_5566_7788L, c.reg(Reg.RCX));
        assertEquals(0x1122_3344_5566_7788L, c.memory().peek(STACK_TOP - 8, 8));
        assertEquals(0x7788, c.memory().peek(STACK_TOP - 10, 2));
    }

    @Test
    void pushImmediateIsSignExtended() {
        Cpu c = Fixture.cpu();
        Fixture.runToEnd(c, new TestAsm().op(Op.PUSH, 8, imm(-1)).op(Op.PUSH, 8, imm(0x2b)));
        assertEquals(-1L, c.memory().peek(STACK_TOP - 8, 8));
        assertEquals(0x2b, c.memory().peek(STACK_TOP - 16, 8));
        assertEquals(STACK_TOP - 16, c.reg(Reg.RSP));
    }

    @Test
    void pushRspPushesTheOldValueAndPopRspLoadsThePoppedValue() {
        Cpu c = Fixture.cpu();
        Fixture.runToEnd(c, new TestAsm().op(Op.PUSH, 8, r64(Reg.RSP)));
        assertEquals(STACK_TOP, c.memory().peek(STACK_TOP - 8, 8));
        c.memory().poke(STACK_TOP - 8, 8, 0x1234_0000L);
        Fixture.runToEnd(c, new TestAsm().op(Op.POP, 8, r64(Reg.RSP)));
        assertEquals(0x1234_0000L, c.reg(Reg.RSP), "POP RSP: the increment is overwritten");
    }

    @Test
    void pushMemoryAddressesWithTheOldRspPopMemoryWithTheNewRsp() {
        Cpu c = Fixture.cpu();
        c.memory().poke(STACK_TOP + 8, 8, 0xAAAA);
        // pushq 8(%rsp): reads STACK_TOP+8 (computed before the decrement)
        Fixture.runToEnd(c, new TestAsm().op(Op.PUSH, 8, mem(Reg.RSP, 8)));
        assertEquals(0xAAAA, c.memory().peek(STACK_TOP - 8, 8));
        // popq 8(%rsp): RSP becomes STACK_TOP, then the store goes to STACK_TOP+8
        c.memory().poke(STACK_TOP - 8, 8, 0xBBBB);
        Fixture.runToEnd(c, new TestAsm().op(Op.POP, 8, mem(Reg.RSP, 8)));
        assertEquals(STACK_TOP, c.reg(Reg.RSP));
        assertEquals(0xBBBB, c.memory().peek(STACK_TOP + 8, 8));
    }

    @Test
    void pushfClearsRfAndVmInTheImage() {
        Cpu c = Fixture.cpu();
        c.setRflags(Flags.CF | Flags.IF | Flags.RF | Flags.VM | Flags.AC | Flags.ID);
        Fixture.runToEnd(c, new TestAsm().op(Op.PUSHF, 8).op(Op.PUSHF, 2));
        assertEquals(Flags.FIXED1 | Flags.CF | Flags.IF | Flags.AC | Flags.ID, c.memory().peek(STACK_TOP - 8, 8));
        assertEquals(Flags.FIXED1 | Flags.CF | Flags.IF, c.memory().peek(STACK_TOP - 10, 2));
        assertEquals(STACK_TOP - 10, c.reg(Reg.RSP));
    }

    @Test
    void popfAtCpl0WritesEveryModifiableFlag() {
        Cpu c = Fixture.cpu();
        c.setRflags(Flags.VIF | Flags.RF);
        c.memory().poke(STACK_TOP, 8, -1L);
        c.setReg(Reg.RSP, STACK_TOP);
        Fixture.runToEnd(c, new TestAsm().op(Op.POPF, 8));
        long writable = Flags.STATUS | Flags.TF | Flags.IF | Flags.DF | Flags.IOPL | Flags.NT | Flags.AC | Flags.ID;
        // VIF kept (unaffected), VM VIP unaffected (0), RF cleared, reserved bits: bit 1 = 1, others 0.
        assertEquals(writable | Flags.VIF | Flags.FIXED1, c.rflags());
        assertEquals(STACK_TOP + 8, c.reg(Reg.RSP));
        assertEquals(0, c.undefinedFlags());
    }

    @Test
    void popfAtCpl3KeepsIoplAndIfWhenCplAboveIopl() {
        Cpu c = Fixture.cpu();
        c.setCs(Cpu.USER_CS);
        c.setRflags(Flags.IF);
        c.memory().poke(STACK_TOP, 8, Flags.CF | Flags.IOPL | Flags.AC);
        c.setReg(Reg.RSP, STACK_TOP);
        Fixture.runToEnd(c, new TestAsm().op(Op.POPF, 8));
        assertEquals(Flags.FIXED1 | Flags.IF | Flags.CF | Flags.AC, c.rflags());
    }

    @Test
    void popfw16BitOnlyTouchesTheLowWord() {
        Cpu c = Fixture.cpu();
        c.setRflags(Flags.AC | Flags.RF | Flags.CF);
        c.memory().poke(STACK_TOP, 2, Flags.ZF | Flags.DF);
        c.setReg(Reg.RSP, STACK_TOP);
        Fixture.runToEnd(c, new TestAsm().op(Op.POPF, 2));
        assertEquals(Flags.FIXED1 | Flags.AC | Flags.RF | Flags.ZF | Flags.DF, c.rflags());
        assertEquals(STACK_TOP + 2, c.reg(Reg.RSP));
    }

    @Test
    void callPushesTheReturnAddressAndRetPopsIt() {
        Cpu c = Fixture.cpu();
        TestAsm asm = new TestAsm()
            .call("f")                              // 0
            .op(Op.MOV, 8, imm(2), r64(Reg.RBX))   // 1
            .op(Op.HLT, 8)                          // 2
            .label("f")
            .op(Op.MOV, 8, mem(Reg.RSP, 0), r64(Reg.RAX)) // 3: read the return address
            .op(Op.RET, 8);                         // 4
        RunResult r = Fixture.run(c, asm);
        assertEquals(StopReason.HLT, r.stop());
        assertEquals(5, r.steps());
        assertEquals(asm.addressOf(1), c.reg(Reg.RAX));
        assertEquals(2, c.reg(Reg.RBX));
        assertEquals(STACK_TOP, c.reg(Reg.RSP));
    }

    @Test
    void indirectCallThroughMemoryAndRetWithImmediate() {
        Cpu c = Fixture.cpu();
        TestAsm asm = new TestAsm()
            .op(Op.CALL, 8, abs(0x6000))            // 0
            .op(Op.HLT, 8)                          // 1
            .label("f")
            .op(Op.RET, 8, imm(16));                // 2
        c.memory().poke(0x6000, 8, asm.addressOf(2));
        RunResult r = Fixture.run(c, asm);
        assertEquals(StopReason.HLT, r.stop());
        assertEquals(STACK_TOP + 16, c.reg(Reg.RSP));
    }

    /** leave: RSP := RBP, then RBP := pop; leavew pops only BP. */
    @Test
    void leaveRestoresTheFrame() {
        Cpu c = Fixture.cpu();
        long frame = Fixture.STACK_TOP - 0x40;
        c.memory().poke(frame, 8, 0x1122_3344_5566_7788L);
        c.setReg(Reg.RBP, frame);
        Fixture.runToEnd(c, new TestAsm().op(Op.LEAVE, 8));
        assertEquals(frame + 8, c.reg(Reg.RSP));
        assertEquals(0x1122_3344_5566_7788L, c.reg(Reg.RBP));
        c.setReg(Reg.RBP, frame);
        Fixture.runToEnd(c, new TestAsm().op(Op.LEAVE, 2));
        assertEquals(frame + 2, c.reg(Reg.RSP));
        assertEquals((frame & ~0xFFFFL) | 0x7788, c.reg(Reg.RBP));
    }

    @Test
    void leaveFromANonCanonicalFrameChangesNothing() {
        Cpu c = Fixture.cpu();
        c.setReg(Reg.RBP, 0x8000_0000_0000_0000L);
        RunResult r = Fixture.run(c, new TestAsm().op(Op.LEAVE, 8));
        assertEquals(StopReason.FAULT, r.stop());
        assertEquals("#SS", r.fault().vector());
        assertEquals(Fixture.STACK_TOP, c.reg(Reg.RSP));
        assertEquals(0x8000_0000_0000_0000L, c.reg(Reg.RBP));
    }
}

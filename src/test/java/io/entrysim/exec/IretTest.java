package io.entrysim.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrysim.assemble.Op;
import io.entrysim.assemble.Program;
import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.Flags;
import io.entrysim.cpu.Reg;
import org.junit.jupiter.api.Test;

/** IRET in IA-32e mode (SDM Vol. 2 IRET Operation). */
class IretTest {
    private static final long FRAME = 0x7FFF_EF00L;

    /** Writes RIP, CS, RFLAGS, RSP, SS at FRAME in {@code size}-byte slots and points RSP there. */
    private static void frame(Cpu c, int size, long rip, long cs, long flags, long rsp, long ss) {
        long[] v = {rip, cs, flags, rsp, ss};
        for (int i = 0; i < 5; i++) {
            c.memory().poke(FRAME + (long) i * size, size, v[i]);
        }
        c.setReg(Reg.RSP, FRAME);
    }

    private static TestAsm iretThenUser(int size) {
        return new TestAsm().op(Op.IRET, size).label("target").op(Op.NOP, 4);
    }

    @Test
    void iretqToCpl3LoadsEverythingFromTheFrame() {
        TestAsm asm = iretThenUser(8);
        Cpu c = SystemFixture.kernelCpu();
        c.events().setNmiBlocked(true);
        long userFlags = Flags.FIXED1 | Flags.IF | Flags.ZF | Flags.IOPL | Flags.AC;
        frame(c, 8, asm.addressOf("target"), 0x33, userFlags, 0x7ffd_1230L, 0x2b);
        RunResult r = new Executor(asm.build(), c).run(0, 10);
        assertEquals(StopReason.END, r.stop());
        assertEquals(2, r.steps());
        assertEquals(0x33, c.cs());
        assertEquals(0x2b, c.ss());
        assertEquals(3, c.cpl());
        assertEquals(0x7ffd_1230L, c.reg(Reg.RSP));
        assertEquals(userFlags, c.rflags(), "at CPL 0 IRET loads IF and IOPL too");
        assertFalse(c.events().nmiBlocked(), "IRET unblocks NMIs");
    }

    @Test
    void iretqToCpl0PopsSsRspTooAndAllowsANullSs() {
        TestAsm asm = iretThenUser(8);
        Cpu c = SystemFixture.kernelCpu();
        c.setRflags(Flags.IF);
        frame(c, 8, asm.addressOf("target"), 0x10, Flags.FIXED1 | Flags.CF | Flags.RF, 0x7FFF_E000L, 0);
        RunResult r = new Executor(asm.build(), c).run(0, 1);
        assertEquals(StopReason.MAX_STEPS, r.stop());
        assertEquals(0x10, c.cs());
        assertEquals(0, c.ss(), "null SS is fine for a return to CPL 0 in 64-bit mode");
        assertEquals(0x7FFF_E000L, c.reg(Reg.RSP), "all five slots are popped even without a privilege change");
        assertEquals(Flags.FIXED1 | Flags.CF | Flags.RF, c.rflags(), "RF is loaded, IF cleared as in the image");
    }

    @Test
    void iretqAtCpl3KeepsIfAndIopl() {
        TestAsm asm = iretThenUser(8);
        Cpu c = SystemFixture.userCpu();
        c.setRflags(Flags.IF);
        frame(c, 8, asm.addressOf("target"), 0x33, Flags.FIXED1 | Flags.IOPL | Flags.SF, SystemFixture.USER_STACK, 0x2b);
        new Executor(asm.build(), c).run(0, 1);
        assertEquals(Flags.FIXED1 | Flags.IF | Flags.SF, c.rflags(), "CPL 3 > IOPL 0: IF kept; IOPL only at CPL 0");
        assertEquals(3, c.cpl());
    }

    @Test
    void iretqFaultsLeaveTheCpuAsItWasButNmisUnblocked() {
        long target = iretThenUser(8).addressOf("target");
        Object[][] cases = {
            // rip, cs, flags, ss, cpl-3?, expected error code, why
            {target, 0x10L, 0x2L, 0x18L, true, 0x10L, "return to an inner level"},
            {target, 0x33L, 0x2L, 0L, false, 0L, "null SS for CPL 3"},
            {target, 0x33L, 0x2L, 0x18L, false, 0x18L, "SS RPL != CS RPL"},
            {target, 0x2bL, 0x2L, 0x2bL, false, 0x28L, "CS is a data segment"},
            {target, 0x13L, 0x2L, 0x1bL, false, 0x10L, "CS RPL 3 but DPL 0"},
            {0x0000_8000_0000_0000L, 0x33L, 0x2L, 0x2bL, false, 0L, "non-canonical RIP"},
            {target, 0L, 0x2L, 0x2bL, false, 0L, "null CS"},
        };
        for (Object[] k : cases) {
            Cpu c = (Boolean) k[4] ? SystemFixture.userCpu() : SystemFixture.kernelCpu();
            c.events().setNmiBlocked(true);
            frame(c, 8, (Long) k[0], (Long) k[1], (Long) k[2], 0x1000, (Long) k[3]);
            int cs = c.cs();
            long flags = c.rflags();
            RunResult r = Fixture.run(c, iretThenUser(8));
            assertEquals(StopReason.FAULT, r.stop(), (String) k[6]);
            assertEquals("#GP", r.fault().vector(), (String) k[6]);
            assertEquals((long) (Long) k[5], r.fault().errorCode(), (String) k[6]);
            assertEquals(FRAME, c.reg(Reg.RSP), (String) k[6]);
            assertEquals(cs, c.cs(), (String) k[6]);
            assertEquals(flags, c.rflags(), (String) k[6]);
            assertFalse(c.events().nmiBlocked(), "unblocked even though IRET faulted: " + k[6]);
        }
    }

    @Test
    void iretWithNtSetIsGeneralProtection() {
        Cpu c = SystemFixture.kernelCpu();
        c.setRflags(Flags.NT);
        frame(c, 8, 0x40_1004, 0x10, 2, 0x1000, 0x18);
        RunResult r = Fixture.run(c, iretThenUser(8));
        assertEquals("#GP", r.fault().vector());
        assertEquals(0, r.fault().errorCode());
    }

    @Test
    void iretlPopsFourByteSlots() {
        TestAsm asm = iretThenUser(4);
        Cpu c = SystemFixture.kernelCpu();
        frame(c, 4, asm.addressOf("target"), 0x33, Flags.FIXED1 | Flags.IF, 0x7ff0_0000L, 0x2b);
        Program p = asm.build();
        RunResult r = new Executor(p, c).run(0, 1);
        assertEquals(StopReason.MAX_STEPS, r.stop());
        assertEquals(asm.addressOf("target"), c.rip());
        assertEquals(0x7ff0_0000L, c.reg(Reg.RSP));
        assertEquals(Flags.FIXED1 | Flags.IF, c.rflags());
        assertEquals(3, c.cpl());
    }

    @Test
    void iretToA32BitCodeSegmentEntersCompatibilityMode() {
        Cpu c = SystemFixture.kernelCpu();
        frame(c, 8, 0xffff_ffff_0804_9000L, 0x23, Flags.FIXED1, 0xffd0_0000L, 0x2b);
        Program p = iretThenUser(8).build();
        RunResult r = new Executor(p, c).run(0, 10);
        assertEquals(StopReason.COMPAT_MODE, r.stop());
        assertEquals(0x0804_9000L, c.rip(), "RIP := EIP");
        assertTrue(c.compatMode());
        assertEquals("iretq returned to compatibility mode (CS 0x23) at 0x8049000; entrysim runs 64-bit code only",
            r.detail());
    }
}

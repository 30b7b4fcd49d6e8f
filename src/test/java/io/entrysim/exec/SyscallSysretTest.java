package io.entrysim.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrysim.assemble.Insn;
import io.entrysim.assemble.Op;
import io.entrysim.assemble.Program;
import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.Flags;
import io.entrysim.cpu.Msr;
import io.entrysim.cpu.Reg;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SYSCALL and SYSRET (SDM Vol. 2 "Operation"), with Linux's STAR. */
class SyscallSysretTest {

    @Test
    void syscallSavesRipAndRflagsMasksAndEntersCpl0() {
        TestAsm asm = new TestAsm().op(Op.SYSCALL, 4).op(Op.NOP, 4).label("entry").op(Op.HLT, 4);
        Program p = asm.build();
        Cpu c = SystemFixture.userCpu();
        c.setMsr(Msr.LSTAR, asm.addressOf("entry"));
        c.setRflags(Flags.IF | Flags.TF | Flags.CF | Flags.AC | Flags.RF);
        RunResult r = new Executor(p, c).run(0, 10);
        assertEquals(StopReason.HLT, r.stop());
        assertEquals(asm.addressOf(1), c.reg(Reg.RCX), "RCX = address after syscall");
        assertEquals(Flags.FIXED1 | Flags.IF | Flags.TF | Flags.CF | Flags.AC, c.reg(Reg.R11),
            "R11 = RFLAGS (RF is clear once an instruction starts)");
        assertEquals(Flags.FIXED1, c.rflags(), "Linux's FMASK clears CF TF IF AC (and the rest)");
        assertEquals(0x10, c.cs());
        assertEquals(0x18, c.ss());
        assertEquals(0, c.cpl());
        assertEquals(SystemFixture.USER_STACK, c.reg(Reg.RSP), "SYSCALL does not touch RSP");
    }

    /** A 32-bit user's SYSCALL (same bytes in compatibility mode) goes through CSTAR into 64-bit mode. */
    @Test
    void syscallFromCompatibilityModeEntersThroughCstar() {
        TestAsm asm = new TestAsm().op(Op.SYSCALL, 4).label("lstar").op(Op.HLT, 4).label("cstar").op(Op.NOP, 4)
                .op(Op.HLT, 4);
        Cpu c = SystemFixture.userCpu();
        c.setMsr(Msr.LSTAR, asm.addressOf("lstar"));
        c.setMsr(Msr.CSTAR, asm.addressOf("cstar"));
        c.setCs(0x23);
        c.setCompatMode(true);
        RunResult r = new Executor(asm.build(), c).run(0, 10);
        assertEquals(StopReason.HLT, r.stop());
        assertEquals(3, r.steps(), "syscall, then the CSTAR path's nop and hlt (not LSTAR's hlt)");
        assertEquals(false, c.compatMode(), "the kernel runs 64-bit code");
        assertEquals(asm.addressOf(1), c.reg(Reg.RCX), "RCX = the 32-bit return address");
    }

    /** Any other instruction in compatibility mode is not run: the run stops before it. */
    @Test
    void otherInstructionsInCompatibilityModeStopTheRun() {
        TestAsm asm = new TestAsm().op(Op.NOP, 4).op(Op.HLT, 4);
        Cpu c = SystemFixture.userCpu();
        c.setCs(0x23);
        c.setCompatMode(true);
        RunResult r = new Executor(asm.build(), c).run(0, 10);
        assertEquals(StopReason.COMPAT_MODE, r.stop());
        assertEquals(0, r.steps());
    }

    @Test
    void syscallForcesCsRplToZeroAndKeepsUnmaskedFlags() {
        TestAsm asm = new TestAsm().op(Op.SYSCALL, 4).label("entry").op(Op.HLT, 4);
        Cpu c = SystemFixture.userCpu();
        c.setMsr(Msr.LSTAR, asm.addressOf("entry"));
        c.setMsr(Msr.STAR, 0x0023_0013_0000_0000L); // RPL 3 in the SYSCALL selector
        c.setMsr(Msr.FMASK, Flags.IF);
        c.setRflags(Flags.IF | Flags.ZF | Flags.DF);
        new Executor(asm.build(), c).run(0, 10);
        assertEquals(0x10, c.cs(), "CS = STAR[47:32] & 0xFFFC");
        assertEquals(0x1b, c.ss(), "SS = STAR[47:32] + 8");
        assertEquals(Flags.FIXED1 | Flags.ZF | Flags.DF, c.rflags());
    }

    @Test
    void syscallWithSceClearIsInvalidOpcode() {
        Cpu c = SystemFixture.userCpu();
        c.setMsr(Msr.EFER, Msr.DEFAULT_EFER & ~Msr.EFER_SCE);
        c.setReg(Reg.RCX, 0x77);
        RunResult r = Fixture.run(c, new TestAsm().op(Op.SYSCALL, 4));
        assertEquals("#UD", r.fault().vector());
        assertEquals(0x77, c.reg(Reg.RCX));
        assertEquals(3, c.cpl());
        Cpu k = SystemFixture.kernelCpu();
        k.setMsr(Msr.EFER, Msr.DEFAULT_EFER & ~Msr.EFER_SCE);
        r = Fixture.run(k, new TestAsm().op(Op.SYSRET, 8));
        assertEquals("#UD", r.fault().vector(), "SYSRET checks SCE too, before CPL");
    }

    @Test
    void sysretqRestoresUserStateWithTheSdmFlagFixups() {
        TestAsm asm = new TestAsm().op(Op.SYSRET, 8).label("user").op(Op.NOP, 4);
        Cpu c = SystemFixture.kernelCpu();
        c.setReg(Reg.RCX, asm.addressOf("user"));
        // R11 with every bit set: RF VM and the reserved bits 3 5 15 22-63 are dropped, bit 1 set.
        c.setReg(Reg.R11, -1L);
        c.setRflags(0);
        RunResult r = new Executor(asm.build(), c).run(0, 10);
        assertEquals(StopReason.END, r.stop());
        assertEquals(0x3C_7FD7L, c.rflags());
        assertEquals(0x33, c.cs(), "(STAR[63:48] + 16) | 3");
        assertEquals(0x2b, c.ss(), "(STAR[63:48] + 8) | 3");
        assertEquals(3, c.cpl());
        assertEquals(0, c.undefinedFlags());
    }

    @Test
    void sysretqWithNonCanonicalRcxFaultsAtCpl0() {
        Cpu c = SystemFixture.kernelCpu();
        c.setReg(Reg.RCX, 0x0000_8000_0000_0000L);
        c.setReg(Reg.R11, Flags.IF | Flags.FIXED1);
        c.setReg(Reg.RSP, SystemFixture.USER_STACK); // the kernel already put the user RSP back
        RunResult r = Fixture.run(c, new TestAsm().op(Op.SYSRET, 8));
        assertEquals(StopReason.FAULT, r.stop());
        assertEquals("#GP", r.fault().vector());
        assertEquals(0, r.fault().errorCode());
        assertEquals(0, c.cpl(), "the #GP is taken at CPL 0 ...");
        assertEquals(SystemFixture.USER_STACK, c.reg(Reg.RSP), "... on the user's RSP");
        assertEquals(Cpu.KERNEL_CS, c.cs());
    }

    @Test
    void sysretAtCpl3IsGeneralProtection() {
        Cpu c = SystemFixture.userCpu();
        c.setReg(Reg.RCX, 0x40_1000);
        RunResult r = Fixture.run(c, new TestAsm().op(Op.SYSRET, 8));
        assertEquals("#GP", r.fault().vector());
        assertEquals(0, r.fault().errorCode());
    }

    @Test
    void syscallSysretRoundTrip() {
        // user: syscall; mov %rbx,%rax   entry: swapgs; swapgs; sysretq
        TestAsm asm = new TestAsm()
            .label("entry").op(Op.SWAPGS, 4).op(Op.SWAPGS, 4).op(Op.SYSRET, 8)
            .label("user").op(Op.SYSCALL, 4).op(Op.MOV, 8, TestAsm.r64(Reg.RBX), TestAsm.r64(Reg.RAX));
        Program p = asm.build();
        Cpu c = SystemFixture.userCpu();
        c.setMsr(Msr.LSTAR, asm.addressOf("entry"));
        c.setRflags(Flags.IF | Flags.CF);
        c.setReg(Reg.RBX, 42);
        Executor ex = new Executor(p, c);
        List<String> returns = new ArrayList<>();
        ex.setReturnToUserListener((cpu, insn) -> returns.add(insn.text + " cpl=" + cpu.cpl()
            + " rip=0x" + Long.toHexString(cpu.rip())));
        RunResult r = ex.run(p.indexOf(asm.addressOf("user")), 100);
        assertEquals(StopReason.END, r.stop());
        assertEquals(5, r.steps());
        assertEquals(42, c.reg(Reg.RAX));
        assertEquals(Flags.FIXED1 | Flags.IF | Flags.CF, c.rflags());
        assertEquals(3, c.cpl());
        assertEquals(List.of("sysret cpl=3 rip=0x" + Long.toHexString(asm.addressOf(4))), returns);
    }

    @Test
    void sysretqToAddressWithoutCodeStopsAsReturnToUser() {
        Cpu c = SystemFixture.kernelCpu();
        c.setReg(Reg.RCX, 0x7f00_0000_1000L);
        c.setReg(Reg.R11, 0x202);
        Program p = new TestAsm().op(Op.NOP, 4).op(Op.SYSRET, 8).op(Op.HLT, 4).build();
        RunResult r = new Executor(p, c).run(0, 10);
        assertEquals(StopReason.RETURN_TO_USER, r.stop());
        assertEquals(2, r.steps());
        assertSame(p.code()[1], r.faultingInsn());
        assertNull(r.fault());
        assertEquals("sysretq returned to user mode (CPL 3) at 0x7f0000001000, where the program has no code", r.detail());
        assertEquals(-1, r.finalIndex());
        assertEquals(0x7f00_0000_1000L, c.rip());
    }

    @Test
    void sysretlEntersCompatibilityModeAndTheRunStops() {
        Cpu c = SystemFixture.kernelCpu();
        c.setReg(Reg.RCX, 0xffff_ffff_0804_8000L);
        c.setReg(Reg.R11, 0x202);
        Program p = new TestAsm().op(Op.SYSRET, 4).op(Op.HLT, 4).build();
        Insn sysretl = p.code()[0];
        RunResult r = new Executor(p, c).run(0, 10);
        assertEquals(StopReason.COMPAT_MODE, r.stop());
        assertEquals(1, r.steps());
        assertSame(sysretl, r.faultingInsn());
        assertEquals(0x0804_8000L, c.rip(), "RIP = ECX");
        assertEquals(0x23, c.cs(), "STAR[63:48] | 3: the 32-bit user CS");
        assertEquals(0x2b, c.ss());
        assertTrue(c.compatMode());
        assertEquals("sysretl returned to compatibility mode (CS 0x23) at 0x8048000; entrysim runs 64-bit code only",
            r.detail());
    }

    @Test
    void sysretClearsCompatModeOnlyForTheQForm() {
        TestAsm asm = new TestAsm().op(Op.NOP, 4).op(Op.SYSCALL, 4).label("k").op(Op.SYSRET, 8).label("u")
                .op(Op.NOP, 4);
        Cpu c = SystemFixture.kernelCpu();
        c.setCompatMode(true);
        Executor ex = new Executor(asm.build(), c);
        ex.begin(0);
        assertEquals(StopReason.COMPAT_MODE, ex.step().stop(), "a nop in compatibility mode does not run");
        c.setCompatMode(false);
        c.setMsr(Msr.LSTAR, asm.addressOf("k"));
        ex.step();
        ex.step();
        assertFalse(c.compatMode());
    }
}

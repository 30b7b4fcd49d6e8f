package io.entrysim.exec;

import static io.entrysim.exec.TestAsm.r64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrysim.assemble.Cond;
import io.entrysim.assemble.Insn;
import io.entrysim.assemble.Op;
import io.entrysim.assemble.Program;
import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.Flags;
import io.entrysim.cpu.Reg;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Op.STUB: a call to a function the program does not define. */
class StubCallTest {
    /** call do_nmi; mov %rax,%rbx; hlt; <stub do_nmi>. */
    private static Program program() {
        TestAsm asm = new TestAsm().call("do_nmi").op(Op.MOV, 8, r64(Reg.RAX), r64(Reg.RBX)).op(Op.HLT, 4)
            .label("do_nmi").op(Op.STUB, 8);
        return SystemFixture.withStub(asm.build(), 3, "do_nmi");
    }

    private static Cpu cpu() {
        Cpu c = SystemFixture.kernelCpu();
        for (int reg = 0; reg < Reg.COUNT; reg++) {
            if (reg != Reg.RSP) {
                c.setReg(reg, 0x1000 + reg);
            }
        }
        c.setRflags(Flags.ZF | Flags.CF);
        return c;
    }

    @Test
    void returnsAtOnceLeavingEverythingElseAlone() {
        Cpu c = cpu();
        RunResult r = new Executor(program(), c).run(0, 10);
        assertEquals(StopReason.HLT, r.stop());
        assertEquals(4, r.steps(), "call, stub, mov, hlt");
        assertEquals(0x1000, c.reg(Reg.RBX));
        assertEquals(0x1001, c.reg(Reg.RCX));
        assertEquals(SystemFixture.KERNEL_STACK, c.reg(Reg.RSP));
        assertEquals(0, c.undefinedFlags());
        assertEquals(Flags.FIXED1 | Flags.ZF | Flags.CF, c.rflags());
    }

    @Test
    void clobberPoisonsCallerSavedRegistersAndUndefinesStatusFlags() {
        Cpu c = cpu();
        ExecOptions o = ExecOptions.DEFAULT.withStubCalls(ExecOptions.StubCalls.CLOBBER);
        RunResult r = new Executor(program(), c, o).run(0, 10);
        assertEquals(StopReason.HLT, r.stop());
        long[] expected = {0xdead_0000_0000L, 0xdead_0000_0001L, 0xdead_0000_0002L, 0x1003, SystemFixture.KERNEL_STACK,
            0x1005, 0xdead_0000_0006L, 0xdead_0000_0007L, 0xdead_0000_0008L, 0xdead_0000_0009L, 0xdead_0000_000aL,
            0xdead_0000_000bL, 0x100c, 0x100d, 0x100e, 0x100f};
        for (int reg = 0; reg < Reg.COUNT; reg++) {
            long want = reg == Reg.RBX ? 0xdead_0000_0000L : expected[reg]; // mov %rax,%rbx after the call
            assertEquals(want, c.reg(reg), Reg.name64(reg));
        }
        assertEquals(Flags.STATUS, c.undefinedFlags());
        assertEquals(Flags.FIXED1 | Flags.ZF | Flags.CF, c.rflags(), "values kept, only marked undefined");
    }

    @Test
    void strictFlagsReportsAFlagReadAfterAClobberingCall() {
        TestAsm asm = new TestAsm().call("f").jcc(Cond.E, "out").label("out").op(Op.NOP, 4).op(Op.HLT, 4)
            .label("f").op(Op.STUB, 8);
        Program p = SystemFixture.withStub(asm.build(), 4, "f");
        ExecOptions o = new ExecOptions(true).withStubCalls(ExecOptions.StubCalls.CLOBBER);
        RunResult r = new Executor(p, cpu(), o).run(0, 10);
        assertEquals(1, r.flagViolations().size());
        assertSame(p.code()[4], r.flagViolations().get(0).undefinedBy());
    }

    @Test
    void stopModeStopsAtTheStubNamingTheFunction() {
        Program p = program();
        Cpu c = cpu();
        RunResult r = new Executor(p, c, ExecOptions.DEFAULT.withStubCalls(ExecOptions.StubCalls.STOP)).run(0, 10);
        assertEquals(StopReason.UNDEFINED_FUNCTION, r.stop());
        assertEquals(1, r.steps(), "the call ran, the stub did not");
        assertEquals("call to undefined function `do_nmi'", r.detail());
        assertSame(p.code()[3], r.faultingInsn());
        assertNull(r.fault());
        assertEquals(3, r.finalIndex());
        assertEquals(p.code()[3].address, c.rip());
        assertEquals(SystemFixture.KERNEL_STACK - 8, c.reg(Reg.RSP));
        assertEquals(p.code()[1].address, c.memory().peek(c.reg(Reg.RSP), 8), "return address pushed");
        assertEquals(List.of(), r.flagViolations());
    }

    @Test
    void aStubIsKnownByItsSymbolNotByItsText() {
        Program p = program();
        Insn[] code = p.code().clone();
        Insn s = code[3];
        code[3] = new Insn(s.op, s.size, s.srcSize, s.cond, s.operands, s.target, s.address, s.nextAddress,
            "<stub something_else>", s.origin, "do_nmi");
        Program renamed = new Program(code, p.data(), p.symbols());
        RunResult r = new Executor(renamed, cpu(), ExecOptions.DEFAULT.withStubCalls(ExecOptions.StubCalls.STOP)).run(0, 10);
        assertEquals("call to undefined function `do_nmi'", r.detail());
        assertTrue(renamed.code()[3].isStubFor("do_nmi"));
        assertFalse(renamed.code()[0].isStubFor("do_nmi"), "the call is not the stub");
    }

    @Test
    void stubReachedFromTheEntryFrameReturnsToTheCaller() {
        Program p = program();
        Cpu c = cpu();
        c.memory().poke(SystemFixture.KERNEL_STACK, 8, 0x1234_5678L); // the caller's return address
        Executor ex = new Executor(p, c);
        RunResult r = ex.run(3, 10);
        assertEquals(StopReason.RET, r.stop());
        assertEquals(0x1234_5678L, c.rip());
    }
}

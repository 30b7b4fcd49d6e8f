package io.entrysim.exec;

import static io.entrysim.exec.TestAsm.imm;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.entrysim.assemble.Op;
import io.entrysim.assemble.Program;
import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.Flags;
import io.entrysim.cpu.Gate;
import io.entrysim.cpu.Idt;
import io.entrysim.cpu.Reg;
import io.entrysim.cpu.Vectors;
import org.junit.jupiter.api.Test;

/** int3 and int $n: a step, then the vector delivered through the IDT with the next RIP saved (SDM "INT n/INTO/INT3/INT1"). */
class SoftwareInterruptTest {
    private static TestAsm program(long vector) {
        return new TestAsm()
            .op(Op.INT, 4, imm(vector))
            .op(Op.NOP, 4)
            .label("handler").op(Op.HLT, 4);
    }

    private static long q(Cpu c, long address) {
        return c.memory().peek(address, 8);
    }

    @Test
    void int3DeliversBreakpointWithTheNextRip() {
        TestAsm asm = program(3);
        Program p = asm.build();
        Cpu c = SystemFixture.kernelCpu();
        c.setIdt(Idt.EMPTY.with(Vectors.BP, Gate.interrupt(asm.addressOf("handler"))));
        c.setRflags(Flags.IF | Flags.CF);
        SystemFixture.Log log = new SystemFixture.Log();
        Executor ex = new Executor(p, c); // delivered even when faults stop the run
        ex.setListener(log);
        RunResult r = ex.run(0, 10);
        assertEquals(StopReason.HLT, r.stop());
        assertEquals(2, r.steps(), "int3 is a step, then the handler's hlt");
        long top = 0x7FFF_F000L;
        assertEquals(Flags.FIXED1 | Flags.IF | Flags.CF, q(c, top - 24), "RFLAGS: no RF for a trap");
        assertEquals(0x10, q(c, top - 32), "CS");
        assertEquals(asm.addressOf(1), q(c, top - 40), "RIP = the next instruction");
        assertEquals(top - 40, c.reg(Reg.RSP), "no error code");
        Delivery d = log.deliveries.get(0);
        assertEquals(Delivery.Cause.SOFTWARE, d.cause());
        assertEquals(Vectors.BP, d.vector());
        assertEquals(p.code()[1], d.interrupted());
        assertNull(d.fault());
    }

    @Test
    void intNToAGateBelowTheCplIsAGeneralProtectionFault() {
        TestAsm asm = program(0x80);
        Cpu c = SystemFixture.kernelCpu();
        c.setIdt(Idt.EMPTY.with(0x80, new Gate(asm.addressOf("handler"), Cpu.KERNEL_CS, 0, Gate.Type.INTERRUPT, 0)));
        c.setCs(Cpu.USER_CS);
        c.setRflags(Flags.CF);
        RunResult r = new Executor(asm.build(), c).run(0, 10);
        assertEquals(StopReason.FAULT, r.stop());
        assertEquals("#GP", r.fault().vector());
        assertEquals(0x80 * 8 + 2, r.fault().errorCode());
        assertEquals(0, r.steps());
        assertEquals(SystemFixture.KERNEL_STACK, c.reg(Reg.RSP));
        assertEquals(asm.addressOf(0), c.rip());
    }

    @Test
    void intNWithoutAGateStopsWithTheIdtLimitFault() {
        TestAsm asm = program(0x40);
        Cpu c = SystemFixture.kernelCpu();
        RunResult r = new Executor(asm.build(), c).run(0, 10);
        assertEquals(StopReason.FAULT, r.stop());
        assertEquals(0x40 * 8 + 2, r.fault().errorCode());
    }

    @Test
    void int2DoesNotBlockNmis() {
        TestAsm asm = program(2);
        Cpu c = SystemFixture.kernelCpu();
        c.setIdt(Idt.EMPTY.with(Vectors.NMI, Gate.interrupt(asm.addressOf("handler"))));
        RunResult r = new Executor(asm.build(), c).run(0, 10);
        assertEquals(StopReason.HLT, r.stop());
        assertEquals(false, c.events().nmiBlocked());
    }
}

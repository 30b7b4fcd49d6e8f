package io.entrysim.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrysim.assemble.Op;
import io.entrysim.assemble.Program;
import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.Flags;
import io.entrysim.cpu.Gate;
import io.entrysim.cpu.Idt;
import io.entrysim.cpu.Reg;
import io.entrysim.cpu.Vectors;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Executor.injectAt: NMIs, maskable interrupts and exceptions at chosen instruction boundaries. */
class InjectionTest {
    /** {@code n} nops, hlt, then a handler at "handler" made of {@code handler} nops and iretq. */
    private static TestAsm program(int n, int handlerNops) {
        TestAsm asm = new TestAsm();
        for (int i = 0; i < n; i++) {
            asm.op(Op.NOP, 4);
        }
        asm.op(Op.HLT, 4).label("handler");
        for (int i = 0; i < handlerNops; i++) {
            asm.op(Op.NOP, 4);
        }
        return asm.op(Op.IRET, 8);
    }

    private static Executor executor(Program p, Cpu c, SystemFixture.Log log) {
        Executor ex = new Executor(p, c);
        ex.setListener(log);
        return ex;
    }

    @Test
    void nmiAtStepKInterruptsTheInstructionThatWouldHaveBeenStepK() {
        TestAsm asm = program(4, 0);
        Program p = asm.build();
        Cpu c = SystemFixture.kernelCpu();
        c.setIdt(Idt.EMPTY.with(Vectors.NMI, Gate.interrupt(asm.addressOf("handler")).withIst(2)));
        c.setRflags(Flags.IF | Flags.ZF);
        SystemFixture.Log log = new SystemFixture.Log();
        Executor ex = executor(p, c, log);
        ex.injectNmiAt(3);
        RunResult r = ex.run(0, 100);
        assertEquals(StopReason.HLT, r.stop());
        assertEquals(6, r.steps());
        assertEquals(List.of("step 1 nop", "step 2 nop", "deliver NMI before 3", "step 3 iret", "step 4 nop",
            "step 5 nop", "step 6 hlt"), log.lines);
        long top = SystemFixture.IST2;
        assertEquals(Cpu.KERNEL_SS, c.memory().peek(top - 8, 8));
        assertEquals(SystemFixture.KERNEL_STACK, c.memory().peek(top - 16, 8));
        assertEquals(Flags.FIXED1 | Flags.IF | Flags.ZF, c.memory().peek(top - 24, 8), "no RF for an interrupt");
        assertEquals(asm.addressOf(2), c.memory().peek(top - 40, 8), "the third nop is interrupted");
        Delivery d = log.deliveries.get(0);
        assertEquals(Delivery.Cause.INJECTED, d.cause());
        assertEquals(3, d.injectedAt());
        assertSame(p.code()[2], d.interrupted());
        assertEquals("NMI delivered before step 3 on the IST2 stack 0x61002000: frame at 0x61001fd8, from CPL 0 rip 0x"
            + Long.toHexString(asm.addressOf(2)) + ", handler 0x" + Long.toHexString(asm.addressOf("handler")), d.describe());
        assertEquals(SystemFixture.KERNEL_STACK, c.reg(Reg.RSP));
        assertEquals(Flags.FIXED1 | Flags.IF | Flags.ZF, c.rflags());
        assertFalse(c.events().nmiBlocked());
    }

    @Test
    void nmisAreBlockedUntilIretOneIsHeldAndAThirdIsDropped() {
        TestAsm asm = program(6, 2);
        Cpu c = SystemFixture.kernelCpu();
        c.setIdt(Idt.EMPTY.with(Vectors.NMI, Gate.interrupt(asm.addressOf("handler")).withIst(2)));
        SystemFixture.Log log = new SystemFixture.Log();
        Executor ex = executor(asm.build(), c, log);
        ex.injectNmiAt(2);
        ex.injectNmiAt(3); // blocked: held in the latch
        ex.injectNmiAt(4); // latch full: dropped
        RunResult r = ex.run(0, 100);
        assertEquals(StopReason.HLT, r.stop());
        assertEquals(List.of("step 1 nop", "deliver NMI before 2", "step 2 nop", "step 3 nop", "step 4 iret",
            "deliver NMI before 5", "step 5 nop", "step 6 nop", "step 7 iret",
            "step 8 nop", "step 9 nop", "step 10 nop", "step 11 nop", "step 12 nop", "step 13 hlt"), log.lines);
        Delivery held = log.deliveries.get(1);
        assertEquals(3, held.injectedAt());
        assertEquals(asm.addressOf(1), held.savedRip(), "delivered right after the first handler's iretq");
        assertTrue(held.describe().contains("(injected at step 3, held until then)"), held.describe());
        assertEquals(1, ex.droppedNmis());
        assertFalse(c.events().nmiPending());
    }

    @Test
    void nmiFromUserModeUsesItsIstAndIretqReturnsToUser() {
        TestAsm asm = program(0, 0).label("user").op(Op.NOP, 4).op(Op.NOP, 4);
        Program p = asm.build();
        Cpu c = SystemFixture.userCpu();
        c.setIdt(Idt.EMPTY.with(Vectors.NMI, Gate.interrupt(asm.addressOf("handler")).withIst(2)));
        SystemFixture.Log log = new SystemFixture.Log();
        Executor ex = executor(p, c, log);
        List<String> returns = new ArrayList<>();
        ex.setReturnToUserListener((cpu, insn) -> returns.add(insn.op + "@" + cpu.rip()));
        ex.injectNmiAt(2);
        RunResult r = ex.run(p.indexOf(asm.addressOf("user")), 100);
        assertEquals(StopReason.END, r.stop());
        long top = SystemFixture.IST2;
        assertEquals(0x2b, c.memory().peek(top - 8, 8));
        assertEquals(SystemFixture.USER_STACK, c.memory().peek(top - 16, 8));
        assertEquals(0x33, c.memory().peek(top - 32, 8));
        assertEquals(Delivery.Stack.IST, log.deliveries.get(0).stack(), "IST wins over RSP0");
        assertEquals(List.of("step 1 nop", "deliver NMI before 2", "step 2 iret", "step 3 nop"), log.lines);
        assertEquals(List.of("IRET@" + (asm.addressOf("user") + 4)), returns);
        assertEquals(3, c.cpl());
        assertEquals(Cpu.USER_SS, c.ss());
    }

    @Test
    void nmiRightAfterSysretqLandsInUserModeThenTheRunStops() {
        TestAsm asm = new TestAsm().op(Op.SYSRET, 8).label("handler").op(Op.IRET, 8);
        Program p = asm.build();
        Cpu c = SystemFixture.kernelCpu();
        c.setIdt(Idt.EMPTY.with(Vectors.NMI, Gate.interrupt(asm.addressOf("handler")).withIst(3)));
        c.setReg(Reg.RCX, 0x7f00_1234_5000L);
        c.setReg(Reg.R11, 0x202);
        c.setReg(Reg.RSP, SystemFixture.USER_STACK);
        SystemFixture.Log log = new SystemFixture.Log();
        Executor ex = executor(p, c, log);
        List<Long> returns = new ArrayList<>();
        ex.setReturnToUserListener((cpu, insn) -> returns.add(cpu.rip()));
        ex.injectNmiAt(2);
        RunResult r = ex.run(0, 100);
        assertEquals(StopReason.RETURN_TO_USER, r.stop());
        assertEquals(List.of("step 1 sysret", "deliver NMI before 2", "step 2 iret"), log.lines);
        Delivery d = log.deliveries.get(0);
        assertEquals(3, d.fromCpl());
        assertEquals(0x7f00_1234_5000L, d.savedRip());
        assertNull(d.interrupted());
        assertEquals(List.of(0x7f00_1234_5000L, 0x7f00_1234_5000L), returns);
        assertEquals("iretq returned to user mode (CPL 3) at 0x7f0012345000, where the program has no code", r.detail());
    }

    @Test
    void maskableInterruptWaitsForIfAndTheStiShadow() {
        TestAsm asm = new TestAsm().op(Op.NOP, 4).op(Op.STI, 4).op(Op.NOP, 4).op(Op.NOP, 4).op(Op.HLT, 4)
            .label("irq").op(Op.IRET, 8);
        Cpu c = SystemFixture.kernelCpu();
        c.setIdt(Idt.EMPTY.with(0x20, Gate.interrupt(asm.addressOf("irq"))));
        SystemFixture.Log log = new SystemFixture.Log();
        Executor ex = executor(asm.build(), c, log);
        ex.injectAt(1, 0x20);
        RunResult r = ex.run(0, 100);
        assertEquals(StopReason.HLT, r.stop());
        assertEquals(List.of("step 1 nop", "step 2 sti", "step 3 nop", "deliver vector 0x20 before 4",
            "step 4 iret", "step 5 nop", "step 6 hlt"), log.lines);
        long frame = log.deliveries.get(0).rsp();
        assertEquals(Flags.FIXED1 | Flags.IF, c.memory().peek(frame + 16, 8));
        assertEquals(Delivery.Stack.CURRENT, log.deliveries.get(0).stack());
        assertEquals(Flags.FIXED1 | Flags.IF, c.rflags(), "IRET restored IF");
    }

    @Test
    void higherInterruptVectorsGoFirst() {
        TestAsm asm = new TestAsm().op(Op.NOP, 4).op(Op.HLT, 4).label("irq").op(Op.IRET, 8);
        Cpu c = SystemFixture.kernelCpu();
        c.setRflags(Flags.IF);
        Gate g = Gate.trap(asm.addressOf("irq"));
        c.setIdt(Idt.EMPTY.with(0x21, g).with(0x30, g));
        SystemFixture.Log log = new SystemFixture.Log();
        Executor ex = executor(asm.build(), c, log);
        ex.injectAt(1, 0x21);
        ex.injectAt(1, 0x30);
        ex.run(0, 100);
        assertEquals(List.of("deliver vector 0x30 before 1", "deliver vector 0x21 before 1", "step 1 iret",
            "step 2 iret", "step 3 nop", "step 4 hlt"), log.lines, "a trap gate leaves IF set: back to back");
    }

    @Test
    void injectedExceptionIsDeliveredWhateverIfSays() {
        TestAsm asm = new TestAsm().op(Op.NOP, 4).op(Op.HLT, 4).label("pf").op(Op.HLT, 4);
        Cpu c = SystemFixture.kernelCpu();
        c.setCr2(0x1234);
        c.setIdt(Idt.EMPTY.with(Vectors.PF, Gate.interrupt(asm.addressOf("pf"))));
        SystemFixture.Log log = new SystemFixture.Log();
        Executor ex = executor(asm.build(), c, log);
        ex.injectAt(2, Vectors.PF);
        RunResult r = ex.run(0, 100);
        assertEquals(StopReason.HLT, r.stop());
        assertEquals(asm.addressOf("pf") + 4, c.rip());
        Delivery d = log.deliveries.get(0);
        assertTrue(d.hasErrorCode());
        assertEquals(0, c.memory().peek(d.rsp(), 8), "error code 0");
        assertEquals(0x1234, c.cr2(), "CR2 untouched by an injected #PF");
    }

    @Test
    void injectionWithoutAGateStops() {
        Program p = program(3, 0).build();
        Cpu c = SystemFixture.kernelCpu();
        Executor ex = new Executor(p, c);
        ex.injectNmiAt(2);
        RunResult r = ex.run(0, 100);
        assertEquals(StopReason.FAULT, r.stop());
        assertEquals(1, r.steps());
        assertEquals("NMI", r.fault().vector());
        assertEquals("NMI injected at step 2, due before step 2: the IDT has no gate for vector 2", r.fault().detail());
        assertSame(p.code()[1], r.faultingInsn());
    }

    @Test
    void faultWhileDeliveringAnInjectedNmiStopsInStopMode() {
        TestAsm asm = program(2, 0);
        Cpu c = SystemFixture.kernelCpu();
        c.setIdt(Idt.EMPTY.with(Vectors.NMI, Gate.interrupt(asm.addressOf("handler")).withIst(1)));
        c.memory().setAccessChecker((a, size, kind) -> {
            if (a >= 0x6000_0000L && a < 0x6000_2000L) {
                throw io.entrysim.cpu.CpuFault.pageFault(a, io.entrysim.cpu.CpuFault.PF_WRITE, "IST1 not mapped");
            }
        });
        Executor ex = new Executor(asm.build(), c);
        ex.injectNmiAt(1);
        RunResult r = ex.run(0, 100);
        assertEquals(StopReason.FAULT, r.stop());
        assertEquals("#PF", r.fault().vector());
        assertEquals("fault during delivery of NMI (injected at step 1): IST1 not mapped", r.fault().detail());
        assertEquals(0x6000_0ff8L, c.cr2());
        assertEquals(SystemFixture.KERNEL_STACK, c.reg(Reg.RSP));
    }

    @Test
    void theScheduleAppliesToEachRunAndCanBeCleared() {
        TestAsm asm = program(3, 0);
        Cpu c = SystemFixture.kernelCpu();
        c.setIdt(Idt.EMPTY.with(Vectors.NMI, Gate.interrupt(asm.addressOf("handler"))));
        io.entrysim.cpu.CpuSnapshot start = c.snapshot();
        SystemFixture.Log log = new SystemFixture.Log();
        Executor ex = executor(asm.build(), c, log);
        ex.injectNmiAt(2);
        ex.run(0, 100);
        c.restore(start);
        ex.run(0, 100);
        assertEquals(2, log.deliveries.size());
        c.restore(start);
        ex.clearInjections();
        RunResult r = ex.run(0, 100);
        assertEquals(2, log.deliveries.size());
        assertEquals(4, r.steps());
        assertThrows(IllegalArgumentException.class, () -> ex.injectAt(0, 2));
        assertThrows(IllegalArgumentException.class, () -> ex.injectAt(1, 256));
    }

    @Test
    void stepDeliversAtTheBoundaryThenRunsOneInstruction() {
        TestAsm asm = program(2, 1);
        Cpu c = SystemFixture.kernelCpu();
        c.setIdt(Idt.EMPTY.with(Vectors.NMI, Gate.interrupt(asm.addressOf("handler"))));
        Program p = asm.build();
        Executor ex = new Executor(p, c);
        ex.injectNmiAt(1);
        ex.begin(0);
        StepResult s = ex.step();
        assertSame(p.code()[3], s.insn(), "the handler's nop ran");
        assertNull(s.stop());
        assertTrue(c.events().nmiBlocked());
    }
}

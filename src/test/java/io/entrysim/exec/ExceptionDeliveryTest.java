package io.entrysim.exec;

import static io.entrysim.exec.TestAsm.imm;
import static io.entrysim.exec.TestAsm.r64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.entrysim.assemble.Op;
import io.entrysim.assemble.Program;
import io.entrysim.cpu.AccessKind;
import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.CpuFault;
import io.entrysim.cpu.Flags;
import io.entrysim.cpu.Gate;
import io.entrysim.cpu.Idt;
import io.entrysim.cpu.Reg;
import io.entrysim.cpu.Vectors;
import org.junit.jupiter.api.Test;

/** Exceptions delivered through the IDT in 64-bit mode (SDM Vol. 3A 6.14), Faults.DELIVER. */
class ExceptionDeliveryTest {
    /** mov %rax,%cr8 with reserved bits -> #GP(0); handlers after it. */
    private static TestAsm gpProgram() {
        return new TestAsm()
            .op(Op.MOV, 8, imm(0x10), r64(Reg.RAX))
            .op(Op.MOV, 8, r64(Reg.RAX), TestAsm.cr(8)) // faults
            .op(Op.NOP, 4)
            .label("gp").op(Op.HLT, 4)
            .label("pf").op(Op.HLT, 4)
            .label("df").op(Op.HLT, 4);
    }

    private static long q(Cpu c, long address) {
        return c.memory().peek(address, 8);
    }

    @Test
    void gpAtCpl0OnTheCurrentStackAlignedWithErrorCode() {
        TestAsm asm = gpProgram();
        Program p = asm.build();
        Cpu c = SystemFixture.kernelCpu(); // RSP 0x7FFF_F008
        c.setIdt(Idt.EMPTY.with(Vectors.GP, Gate.interrupt(asm.addressOf("gp"))));
        c.setRflags(Flags.IF | Flags.TF | Flags.CF);
        c.setSs(0x18);
        SystemFixture.Log log = new SystemFixture.Log();
        Executor ex = new Executor(p, c, SystemFixture.deliver());
        ex.setListener(log);
        RunResult r = ex.run(0, 10);
        assertEquals(StopReason.HLT, r.stop());
        assertEquals(2, r.steps(), "mov, then the handler's hlt; the faulting mov is no step");
        long top = 0x7FFF_F000L; // aligned down from ...F008
        assertEquals(0x18, q(c, top - 8), "SS");
        assertEquals(SystemFixture.KERNEL_STACK, q(c, top - 16), "RSP");
        assertEquals(Flags.FIXED1 | Flags.IF | Flags.TF | Flags.CF | Flags.RF, q(c, top - 24), "RFLAGS, RF set for a fault");
        assertEquals(0x10, q(c, top - 32), "CS");
        assertEquals(asm.addressOf(1), q(c, top - 40), "RIP = the faulting instruction");
        assertEquals(0, q(c, top - 48), "error code");
        assertEquals(top - 48, c.reg(Reg.RSP));
        assertEquals(Flags.FIXED1 | Flags.CF, c.rflags(), "TF, IF (interrupt gate) cleared");
        assertEquals(0x18, c.ss(), "no CPL change: SS kept");
        assertEquals(java.util.List.of("step 1 " + p.code()[0].text, "deliver #GP before 2", "step 2 " + p.code()[3].text),
            log.lines);
        Delivery d = log.deliveries.get(0);
        assertEquals(Delivery.Cause.FAULT, d.cause());
        assertEquals(Delivery.Stack.CURRENT, d.stack());
        assertEquals(SystemFixture.KERNEL_STACK, d.stackTop());
        assertEquals(top - 48, d.rsp());
        assertEquals(asm.addressOf("gp"), d.handler());
        assertSame(p.code()[1], d.interrupted());
        assertEquals("#GP", d.fault().vector());
    }

    @Test
    void trapGateKeepsIf() {
        TestAsm asm = gpProgram();
        Cpu c = SystemFixture.kernelCpu();
        c.setIdt(Idt.EMPTY.with(Vectors.GP, Gate.trap(asm.addressOf("gp"))));
        c.setRflags(Flags.IF | Flags.NT);
        new Executor(asm.build(), c, SystemFixture.deliver()).run(0, 10);
        assertEquals(Flags.FIXED1 | Flags.IF, c.rflags(), "NT cleared, IF kept");
    }

    @Test
    void faultAtCpl3SwitchesToRsp0AndLoadsANullSs() {
        TestAsm asm = new TestAsm().op(Op.NOP, 4).op(Op.HLT, 4).label("gp").op(Op.HLT, 4);
        Cpu c = SystemFixture.userCpu();
        c.setIdt(Idt.EMPTY.with(Vectors.GP, Gate.interrupt(asm.addressOf("gp"))));
        SystemFixture.Log log = new SystemFixture.Log();
        Executor ex = new Executor(asm.build(), c, SystemFixture.deliver());
        ex.setListener(log);
        RunResult r = ex.run(0, 10);
        assertEquals(StopReason.HLT, r.stop(), "hlt at CPL 3 is #GP(0); the handler's hlt runs at CPL 0");
        long top = 0x5000_2000L; // RSP0 0x5000_2008 aligned down
        assertEquals(0x2b, q(c, top - 8), "user SS");
        assertEquals(SystemFixture.USER_STACK, q(c, top - 16));
        assertEquals(Flags.FIXED1 | Flags.IF | Flags.RF, q(c, top - 24));
        assertEquals(0x33, q(c, top - 32));
        assertEquals(asm.addressOf(1), q(c, top - 40));
        assertEquals(0, q(c, top - 48));
        assertEquals(top - 48, c.reg(Reg.RSP));
        assertEquals(0, c.ss(), "null SS with RPL 0");
        assertEquals(0x10, c.cs());
        assertEquals(Delivery.Stack.RSP0, log.deliveries.get(0).stack());
        assertEquals(3, log.deliveries.get(0).fromCpl());
    }

    @Test
    void istWithoutErrorCodeAndWithoutCplChange() {
        TestAsm asm = new TestAsm().op(Op.UD2, 4).label("ud").op(Op.HLT, 4);
        Cpu c = SystemFixture.kernelCpu();
        c.setIdt(Idt.EMPTY.with(Vectors.UD, Gate.interrupt(asm.addressOf("ud")).withIst(3)));
        SystemFixture.Log log = new SystemFixture.Log();
        Executor ex = new Executor(asm.build(), c, SystemFixture.deliver());
        ex.setListener(log);
        ex.run(0, 10);
        long top = 0x6200_3000L; // IST3 0x6200_3004 aligned down
        assertEquals(Cpu.KERNEL_SS, q(c, top - 8));
        assertEquals(SystemFixture.KERNEL_STACK, q(c, top - 16));
        assertEquals(asm.addressOf(0), q(c, top - 40));
        assertEquals(top - 40, c.reg(Reg.RSP), "#UD has no error code: the frame is 40 bytes");
        assertEquals(Cpu.KERNEL_SS, c.ss());
        Delivery d = log.deliveries.get(0);
        assertEquals(Delivery.Stack.IST, d.stack());
        assertEquals(3, d.ist());
        assertEquals(false, d.hasErrorCode());
        assertEquals("#UD delivered before step 1 on the IST3 stack 0x62003004: frame at 0x62002fd8, from CPL 0 rip 0x"
            + Long.toHexString(asm.addressOf(0)) + ", handler 0x" + Long.toHexString(asm.addressOf("ud")), d.describe());
    }

    @Test
    void aVectorWithoutAGateStopsAsBefore() {
        TestAsm asm = gpProgram();
        Program p = asm.build();
        Cpu c = SystemFixture.kernelCpu();
        c.setIdt(Idt.EMPTY.with(Vectors.PF, Gate.interrupt(asm.addressOf("pf"))));
        RunResult r = new Executor(p, c, SystemFixture.deliver()).run(0, 10);
        assertEquals(StopReason.FAULT, r.stop());
        assertEquals("#GP", r.fault().vector());
        assertEquals("mov to %cr8 sets reserved bits 63:4", r.fault().detail());
        assertSame(p.code()[1], r.faultingInsn());
        assertEquals(SystemFixture.KERNEL_STACK, c.reg(Reg.RSP));
    }

    @Test
    void stopModeIgnoresTheIdt() {
        TestAsm asm = gpProgram();
        Cpu c = SystemFixture.kernelCpu();
        c.setIdt(Idt.EMPTY.with(Vectors.GP, Gate.interrupt(asm.addressOf("gp"))));
        RunResult r = new Executor(asm.build(), c).run(0, 10);
        assertEquals(StopReason.FAULT, r.stop());
        assertEquals(asm.addressOf(1), c.rip());
    }

    /** Refuses every access to the page(s) of [from, to) with a #PF. */
    private static void unmap(Cpu c, long from, long to) {
        c.memory().setAccessChecker((address, size, kind) -> {
            if (address + size > from && address < to) {
                throw CpuFault.pageFault(address, kind == AccessKind.WRITE ? CpuFault.PF_WRITE : 0, "not mapped");
            }
        });
    }

    @Test
    void pageFaultOnThePageFaultHandlersStackBecomesDoubleFault() {
        // mov (%rbx),%rax faults (#PF); the #PF gate's IST1 stack is unmapped too -> #DF on IST2.
        TestAsm asm = new TestAsm().op(Op.MOV, 8, TestAsm.mem(Reg.RBX, 0), r64(Reg.RAX))
            .label("pf").op(Op.HLT, 4).label("df").op(Op.HLT, 4);
        Program p = asm.build();
        Cpu c = SystemFixture.kernelCpu();
        c.setReg(Reg.RBX, 0x6000_0800L);
        unmap(c, 0x6000_0000L, 0x6000_2000L); // the data page and IST1's page
        c.setIdt(Idt.EMPTY.with(Vectors.PF, Gate.interrupt(asm.addressOf("pf")).withIst(1))
            .with(Vectors.DF, Gate.interrupt(asm.addressOf("df")).withIst(2)));
        SystemFixture.Log log = new SystemFixture.Log();
        Executor ex = new Executor(p, c, SystemFixture.deliver());
        ex.setListener(log);
        RunResult r = ex.run(0, 10);
        assertEquals(StopReason.HLT, r.stop());
        assertEquals(asm.addressOf("df") + 4, c.rip());
        long top = SystemFixture.IST2;
        assertEquals(asm.addressOf(0), q(c, top - 40), "#DF saves the RIP of the original fault");
        assertEquals(0, q(c, top - 48), "#DF error code 0");
        assertEquals(0x6000_0ff8L, c.cr2(), "CR2 = the second #PF (pushing SS on the IST1 stack)");
        Delivery d = log.deliveries.get(0);
        assertEquals(1, log.deliveries.size());
        assertEquals(Vectors.DF, d.vector());
        assertEquals(Delivery.Cause.NESTED, d.cause());
        assertEquals("#PF", d.during());
        assertEquals("#PF", d.fault().vector());
    }

    @Test
    void contributoryThenPageFaultIsHandledSerially() {
        // #GP whose IST1 stack is unmapped: the #PF is delivered instead (Table 6-5), same saved RIP.
        TestAsm asm = gpProgram();
        Cpu c = SystemFixture.kernelCpu();
        unmap(c, 0x6000_0000L, 0x6000_2000L);
        c.setIdt(Idt.EMPTY.with(Vectors.GP, Gate.interrupt(asm.addressOf("gp")).withIst(1))
            .with(Vectors.PF, Gate.interrupt(asm.addressOf("pf"))));
        SystemFixture.Log log = new SystemFixture.Log();
        Executor ex = new Executor(asm.build(), c, SystemFixture.deliver());
        ex.setListener(log);
        ex.run(0, 10);
        assertEquals(asm.addressOf("pf") + 4, c.rip());
        Delivery d = log.deliveries.get(0);
        assertEquals(Vectors.PF, d.vector());
        assertEquals("#GP", d.during());
        assertEquals(CpuFault.PF_WRITE, d.errorCode());
        assertEquals(asm.addressOf(1), d.savedRip());
        assertEquals(0x6000_0ff8L, c.cr2());
    }

    @Test
    void faultWhileDeliveringDoubleFaultIsATripleFault() {
        TestAsm asm = new TestAsm().op(Op.MOV, 8, TestAsm.mem(Reg.RBX, 0), r64(Reg.RAX)).label("h").op(Op.HLT, 4);
        Cpu c = SystemFixture.kernelCpu();
        c.setReg(Reg.RBX, 0x6000_0800L);
        unmap(c, 0x6000_0000L, 0x6200_0000L); // data, IST1 and IST2
        c.setIdt(Idt.EMPTY.with(Vectors.PF, Gate.interrupt(asm.addressOf("h")).withIst(1))
            .with(Vectors.DF, Gate.interrupt(asm.addressOf("h")).withIst(2)));
        RunResult r = new Executor(asm.build(), c, SystemFixture.deliver()).run(0, 10);
        assertEquals(StopReason.FAULT, r.stop());
        assertEquals("#PF", r.fault().vector());
        assertEquals("triple fault (shutdown): fault during delivery of #DF: not mapped", r.fault().detail());
        assertEquals(asm.addressOf(0), c.rip());
        assertEquals(SystemFixture.KERNEL_STACK, c.reg(Reg.RSP));
        assertEquals(Cpu.KERNEL_CS, c.cs());
    }

    @Test
    void noTssLoadedStopsWithAClearReport() {
        TestAsm asm = new TestAsm().op(Op.HLT, 4).label("gp").op(Op.HLT, 4);
        Cpu c = SystemFixture.userCpu();
        c.setTrBase(0);
        c.setIdt(Idt.EMPTY.with(Vectors.GP, Gate.interrupt(asm.addressOf("gp"))));
        RunResult r = new Executor(asm.build(), c, SystemFixture.deliver()).run(0, 10);
        assertEquals(StopReason.FAULT, r.stop());
        assertEquals("#TS", r.fault().vector());
        assertEquals("fault during delivery of #GP: no TSS loaded (TR base is 0) to read TSS.RSP0 from", r.fault().detail());
        assertEquals(3, c.cpl());
    }

    @Test
    void aHandlerThatFaultsAtOnceIsStoppedAsALoop() {
        Cpu c = SystemFixture.userCpu();
        // ud2 whose #UD handler is that same ud2: real hardware would push frames until the stack runs out.
        TestAsm loop = new TestAsm().label("ud").op(Op.UD2, 4);
        c.setIdt(Idt.EMPTY.with(Vectors.UD, Gate.interrupt(loop.addressOf("ud"))));
        RunResult r = new Executor(loop.build(), c, SystemFixture.deliver()).run(0, 10_000);
        assertEquals(StopReason.FAULT, r.stop());
        assertEquals(0, r.steps());
        assertEquals("#UD", r.fault().vector());
        assertEquals(Executor.MAX_DELIVERIES_WITHOUT_PROGRESS + " events delivered with no instruction completing"
            + " (does a handler fault at once?)", r.fault().detail());
    }
}

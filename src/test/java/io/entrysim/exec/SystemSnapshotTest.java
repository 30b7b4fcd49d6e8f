package io.entrysim.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrysim.assemble.Op;
import io.entrysim.assemble.Program;
import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.CpuSnapshot;
import io.entrysim.cpu.Gate;
import io.entrysim.cpu.Idt;
import io.entrysim.cpu.Msr;
import io.entrysim.cpu.Reg;
import io.entrysim.cpu.Tss;
import io.entrysim.cpu.Vectors;
import org.junit.jupiter.api.Test;

/** Snapshots carry MSRs, TR, IDT, compatibility mode and interrupt state; restore undoes a run's changes to them. */
class SystemSnapshotTest {
    @Test
    void restoreUndoesEverySystemChange() {
        Cpu c = SystemFixture.kernelCpu();
        Idt idt = Idt.EMPTY.with(Vectors.NMI, Gate.interrupt(0x40_1000).withIst(3));
        c.setIdt(idt);
        c.setMsr(Msr.LSTAR, 0xffff_ffff_8160_0000L);
        c.setMsr(Msr.SPEC_CTRL, 1);
        c.events().setNmiPending(true);
        c.events().requestInterrupt(0xec);
        CpuSnapshot s = c.snapshot();

        c.setIdt(Idt.EMPTY);
        c.setTrBase(0x1000);
        c.setMsr(Msr.LSTAR, 0);
        c.setMsr(Msr.SPEC_CTRL, 0);
        c.setMsr(Msr.EFER, 0);
        c.setCompatMode(true);
        c.events().setNmiPending(false);
        c.events().setNmiBlocked(true);
        c.events().setInterruptShadow(true);
        c.events().clearInterrupt(0xec);
        c.events().requestInterrupt(0x20);
        c.memory().poke(SystemFixture.TSS_BASE + Tss.RSP0_OFFSET, 8, 0);

        c.restore(s);
        assertSame(idt, c.idt(), "the IDT is shared, not copied");
        assertEquals(SystemFixture.TSS_BASE, c.trBase());
        assertEquals(0xffff_ffff_8160_0000L, c.msr(Msr.LSTAR));
        assertEquals(1, c.msr(Msr.SPEC_CTRL));
        assertEquals(Msr.DEFAULT_EFER, c.msr(Msr.EFER));
        assertFalse(c.compatMode());
        assertTrue(c.events().nmiPending());
        assertFalse(c.events().nmiBlocked());
        assertFalse(c.events().interruptShadow());
        assertEquals(0xec, c.events().highestRequest());
        assertFalse(c.events().interruptRequested(0x20));
        assertEquals(SystemFixture.RSP0, Tss.read(c.memory(), c.trBase()).rsp0(), "the TSS is memory");
    }

    @Test
    void aSweepFromOneSnapshotDeliversTheSameNmiEveryTime() {
        TestAsm asm = new TestAsm().op(Op.NOP, 4).op(Op.NOP, 4).op(Op.HLT, 4).label("nmi").op(Op.IRET, 8);
        Program p = asm.build();
        Cpu c = SystemFixture.kernelCpu();
        c.setIdt(Idt.EMPTY.with(Vectors.NMI, Gate.interrupt(asm.addressOf("nmi")).withIst(1)));
        CpuSnapshot start = c.snapshot();
        Executor ex = new Executor(p, c);
        for (int k = 1; k <= 3; k++) {
            c.restore(start);
            ex.clearInjections();
            ex.injectNmiAt(k);
            RunResult r = ex.run(0, 100);
            assertEquals(StopReason.HLT, r.stop(), "k=" + k);
            assertEquals(4, r.steps(), "k=" + k);
            assertEquals(asm.addressOf(k - 1), c.memory().peek((SystemFixture.IST1 & ~0xFL) - 40, 8), "saved RIP, k=" + k);
            assertFalse(c.events().nmiBlocked());
            assertEquals(SystemFixture.KERNEL_STACK, c.reg(Reg.RSP));
        }
    }
}

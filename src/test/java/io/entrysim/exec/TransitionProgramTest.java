package io.entrysim.exec;

import io.entrysim.session.RunOutcome;
import io.entrysim.session.RunSpec;
import io.entrysim.session.Machine;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.Flags;
import io.entrysim.cpu.Gate;
import io.entrysim.cpu.Idt;
import io.entrysim.cpu.Msr;
import io.entrysim.cpu.Reg;
import io.entrysim.cpu.Tss;
import io.entrysim.cpu.Vectors;
import io.entrysim.kernel.MachineDefaults;
import io.entrysim.session.Build;
import io.entrysim.session.BuildOptions;
import io.entrysim.session.Toolchain;
import io.entrysim.source.SourceFile;
import org.junit.jupiter.api.Test;

/** Assembled source end to end: a SYSCALL entry and exit, swept with an NMI at every boundary. */
class TransitionProgramTest {
    private static final String SOURCE = String.join("\n",
        "\t.text",
        "entry_SYSCALL_64:",
        "\tswapgs",
        "\tmovq\t%rsp, %gs:0x18",
        "\tmovq\t%gs:0x20, %rsp",
        "\tpushq\t%rcx",
        "\tpushq\t%r11",
        "\tmovq\t$42, %rax",
        "\tpopq\t%r11",
        "\tpopq\t%rcx",
        "\tmovq\t%gs:0x18, %rsp",
        "\tswapgs",
        "\tsysretq",
        "nmi:",
        "\tiretq",
        "user:",
        "\tmovq\t$60, %rax",
        "\tsyscall",
        "\tmovq\t%rax, %rbx",
        "");
    private static final long USER_STACK = 0x7ffc_0000_1000L;
    private static final long KERNEL_STACK = MachineDefaults.STACK_TOP;

    /** The program about to run its user code, as a task that has been set up for SYSCALL and NMIs. */
    private static Machine userMachine(Build b) {
        return Machine.create(b, RunSpec.defaults().withEntry("user").withMaxSteps(100), c -> userState(b, c));
    }

    private static void userState(Build b, Cpu c) {
        c.memory().poke(MachineDefaults.PERCPU_BASE + 0x20, 8, KERNEL_STACK);
        c.setKernelGsBase(MachineDefaults.PERCPU_BASE);
        c.setGsBase(0);
        c.setCs(Cpu.USER_CS);
        c.setSs(Cpu.USER_SS);
        c.setRflags(Flags.IF);
        c.setReg(Reg.RSP, USER_STACK);
        c.setMsr(Msr.LSTAR, b.program().symbols().get("entry_SYSCALL_64"));
        Tss.EMPTY.withRsp0(KERNEL_STACK).withIst(2, 0xffff_c900_0000_8000L).install(c, MachineDefaults.PERCPU_BASE + 0x2000);
        c.setIdt(Idt.EMPTY.with(Vectors.NMI, Gate.interrupt(b.program().symbols().get("nmi")).withIst(2)));
    }

    @Test
    void syscallEntryAndExitAsAssembled() {
        Build b = Toolchain.build(new SourceFile("t.S", SOURCE), BuildOptions.defaults());
        Machine m = userMachine(b);
        Cpu c = m.cpu();
        RunOutcome r = m.run();
        assertEquals(StopReason.END, r.stop(), r::toString);
        assertEquals(14, r.steps());
        assertEquals(42, c.reg(Reg.RBX));
        assertEquals(3, c.cpl());
        assertEquals(USER_STACK, c.reg(Reg.RSP));
        assertEquals(0, c.gsBase());
        assertEquals(MachineDefaults.PERCPU_BASE, c.kernelGsBase());
        assertEquals(USER_STACK, c.memory().peek(MachineDefaults.PERCPU_BASE + 0x18, 8));
        assertEquals(Flags.FIXED1 | Flags.IF, c.rflags());
    }

    @Test
    void anNmiAtAnyBoundaryChangesNothingTheProgramSees() {
        Build b = Toolchain.build(new SourceFile("t.S", SOURCE), BuildOptions.defaults());
        Machine m = userMachine(b);
        Cpu c = m.cpu();
        Machine.Snapshot start = m.snapshot();
        int[] deliveries = new int[1];
        m.setTracer(new StepListener() {
            @Override
            public void onStep(StepEvent e) {}

            @Override
            public void onDelivery(Delivery d) {
                deliveries[0]++;
            }
        });
        for (int k = 1; k <= 15; k++) { // 14 steps: boundaries 1..15 (15 is the end)
            m.restore(start);
            m.injectNmiAt(k);
            RunOutcome r = m.run();
            assertEquals(StopReason.END, r.stop(), "k=" + k + ": " + r);
            assertEquals(15, r.steps(), "k=" + k + ": 14 + the handler's iretq");
            assertEquals(42, c.reg(Reg.RBX), "k=" + k);
            assertEquals(USER_STACK, c.reg(Reg.RSP), "k=" + k);
            assertEquals(3, c.cpl(), "k=" + k);
            assertEquals(k, deliveries[0], "k=" + k);
        }
    }
}

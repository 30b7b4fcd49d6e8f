package io.entrysim.exec;

import io.entrysim.assemble.Insn;
import io.entrysim.assemble.Program;
import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.Reg;
import io.entrysim.cpu.Tss;
import java.util.ArrayList;
import java.util.List;

/** A CPU with a TSS, kernel/user stacks and event recording, for privilege and event tests. */
final class SystemFixture {
    static final long TSS_BASE = 0x9000_0000L;
    /** Deliberately not 16-byte aligned: delivery must align them down. */
    static final long RSP0 = 0x5000_2008L;
    static final long IST1 = 0x6000_1008L;
    static final long IST2 = 0x6100_2000L;
    static final long IST3 = 0x6200_3004L;
    static final long KERNEL_STACK = 0x7FFF_F008L;
    static final long USER_STACK = 0x0000_7FFF_FFFF_E008L;

    private SystemFixture() {}

    /** CPL 0 on the kernel stack, TSS installed (RSP0, IST1-3). */
    static Cpu kernelCpu() {
        Cpu c = new Cpu();
        c.setReg(Reg.RSP, KERNEL_STACK);
        new Tss(RSP0, 0, 0, new long[] {IST1, IST2, IST3, 0, 0, 0, 0}).install(c, TSS_BASE);
        return c;
    }

    /** CPL 3 (Linux's user CS/SS) on the user stack, with IF set. */
    static Cpu userCpu() {
        Cpu c = kernelCpu();
        c.setCs(Cpu.USER_CS);
        c.setSs(Cpu.USER_SS);
        c.setReg(Reg.RSP, USER_STACK);
        c.setRflags(io.entrysim.cpu.Flags.IF);
        return c;
    }

    static ExecOptions deliver() {
        return ExecOptions.DEFAULT.withFaults(ExecOptions.Faults.DELIVER);
    }

    /** Records steps and deliveries in order, as "step N insn" / "deliver VEC before N". */
    static final class Log implements StepListener {
        final List<String> lines = new ArrayList<>();
        final List<Delivery> deliveries = new ArrayList<>();
        final List<StepEvent> steps = new ArrayList<>();

        @Override
        public void onStep(StepEvent e) {
            steps.add(e);
            lines.add("step " + e.step() + " " + e.insn().text);
        }

        @Override
        public void onDelivery(Delivery d) {
            deliveries.add(d);
            lines.add("deliver " + d.name() + " before " + d.beforeStep());
        }
    }

    /** The program with instruction {@code index} made the stub of the undefined symbol {@code name}. */
    static Program withStub(Program p, int index, String name) {
        Insn[] code = p.code().clone();
        Insn old = code[index];
        code[index] = Insn.stub(name, old.address, old.nextAddress, old.origin);
        return new Program(code, p.data(), p.symbols());
    }
}

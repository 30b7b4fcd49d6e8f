package io.entrysim.scenario;

import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.Reg;
import io.entrysim.exec.StubCallHandler;
import io.entrysim.session.Machine;

/**
 * Models of the few kernel C functions whose results the entry code depends on, written from
 * what the kernel's C does (not copied): the rest of the C a path calls stays a stub that
 * returns and clobbers what C may clobber.
 */
final class CStandIns {
    /** {@code sizeof(struct pt_regs)} on x86-64: 21 words. */
    static final int PT_REGS_SIZE = 21 * 8;

    private CStandIns() {}

    static void install(Machine m, long taskStackTop) {
        m.model("sync_regs", StubCallHandler.returning((stub, cpu) -> syncRegs(cpu, taskStackTop)));
        // CONFIG_RETHUNK's RET is `jmp __x86_return_thunk', whose body (in C-built text) is a ret
        m.model("__x86_return_thunk", StubCallHandler.plainReturn());
    }

    /**
     * {@code struct pt_regs *sync_regs(struct pt_regs *eregs)} (arch/x86/kernel/traps.c): the
     * frame an entry from user mode built on the entry stack is copied to the top of the task's
     * stack, and its new address returned, which error_entry makes the stack.
     */
    static void syncRegs(Cpu cpu, long taskStackTop) {
        long from = cpu.reg(Reg.RDI);
        long to = taskStackTop - PT_REGS_SIZE;
        if (to != from) {
            for (int k = 0; k < PT_REGS_SIZE; k += 8) {
                cpu.memory().poke(to + k, 8, cpu.memory().peek(from + k, 8));
            }
        }
        cpu.setReg(Reg.RAX, to);
    }
}

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
        // a plain system call: 5.13+'s do_syscall_64 and do_fast_syscall_32 answer "SYSRET may be
        // used" (true); older ones return nothing and the asm decides
        m.model("do_syscall_64", StubCallHandler.returning((stub, cpu) -> cpu.setReg(Reg.RAX, 1)));
        m.model("do_fast_syscall_32", StubCallHandler.returning((stub, cpu) -> cpu.setReg(Reg.RAX, 1)));
        // CONFIG_RETHUNK's RET is `jmp __x86_return_thunk', whose body (in C-built text) is a ret
        m.model("__x86_return_thunk", StubCallHandler.plainReturn());
    }

    /** {@code pt_regs} offset of the saved R11 (r15 r14 r13 r12 bp bx r11 ...). */
    static final int PT_REGS_R11 = 6 * 8;
    static final long RF = 1L << 16;

    /**
     * {@code do_syscall_64} as a system call that leaves its registers unfit for SYSRET (one that
     * rewrote them, as a signal or ptrace may): it returns false, which 5.13+ kernels take as "use
     * IRET", and its saved R11 no longer equals the saved RFLAGS (RF set), which 4.x's asm checks
     * before SYSRET. Either way the exit is IRET, restoring what the frame holds.
     */
    static void declineSysret(Machine m) {
        m.model("do_syscall_64", StubCallHandler.returning((stub, cpu) -> {
            long regs = cpu.reg(Reg.RDI);
            cpu.memory().poke(regs + PT_REGS_R11, 8, cpu.memory().peek(regs + PT_REGS_R11, 8) | RF);
            cpu.setReg(Reg.RAX, 0);
        }));
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

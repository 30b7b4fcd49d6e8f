package io.entrysim.scenario;

import io.entrysim.cpu.AddressSpace;
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
        // CONFIG_RETHUNK's RET is `jmp __x86_return_thunk', whose body (in C-built text) is a ret
        m.model("__x86_return_thunk", StubCallHandler.plainReturn());
    }

    /** {@code pt_regs} offsets (r15 r14 r13 r12 bp bx r11 r10 r9 r8 ax cx dx si di orig_ax ip cs flags sp ss). */
    static final int PT_REGS_BP = 4 * 8, PT_REGS_R11 = 6 * 8, PT_REGS_IP = 16 * 8, PT_REGS_FLAGS = 18 * 8,
            PT_REGS_SP = 19 * 8;
    static final long IF = 1L << 9;

    /**
     * The 32-bit fast system calls (SYSCALL and SYSENTER from the vDSO's {@code
     * __kernel_vsyscall}). {@code do_fast_syscall_32} returns to the vDSO's {@code
     * int80_landing_pad} (regs->ip), reloads EBP from the user stack where the vDSO pushed it (the
     * fast entries lose it: SYSCALL passes arg2 in EBP, SYSENTER the user ESP) and answers "SYSRETL
     * may be used". 5.x+'s {@code do_SYSENTER_32} first takes the user ESP from EBP and sets IF in
     * the saved flags (SYSENTER cleared it).
     */
    static void fastSyscall32(Machine m, long landingPad) {
        StubCallHandler fast = StubCallHandler.returning((stub, cpu) -> fastSyscall32(cpu, landingPad));
        m.model("do_fast_syscall_32", fast);
        m.model("do_SYSENTER_32", StubCallHandler.returning((stub, cpu) -> {
            long regs = cpu.reg(Reg.RDI);
            cpu.memory().poke(regs + PT_REGS_SP, 8, cpu.memory().peek(regs + PT_REGS_BP, 8));
            cpu.memory().poke(regs + PT_REGS_FLAGS, 8, cpu.memory().peek(regs + PT_REGS_FLAGS, 8) | IF);
            fastSyscall32(cpu, landingPad);
        }));
    }

    private static void fastSyscall32(Cpu cpu, long landingPad) {
        long regs = cpu.reg(Reg.RDI);
        cpu.memory().poke(regs + PT_REGS_IP, 8, landingPad);
        long userSp = cpu.memory().peek(regs + PT_REGS_SP, 8) & 0xffff_ffffL;
        // get_user(*(u32 *)&regs->bp, (u32 __user *)(u32)regs->sp): the low half only
        long bp = cpu.memory().peek(regs + PT_REGS_BP, 8);
        cpu.memory().poke(regs + PT_REGS_BP, 8, (bp & ~0xffff_ffffL) | cpu.memory().peek(userSp, 4));
        cpu.setReg(Reg.RAX, 1);
    }

    /**
     * The page fault handler ({@code exc_page_fault}, 4.x's {@code do_page_fault}) as demand
     * paging: the page CR2 names is mapped, so the faulting access succeeds when retried. A fault
     * elsewhere is left as it is (the access faults again, until the step limit).
     */
    static void demandPaging(Machine m, AddressSpace space) {
        StubCallHandler handler = (stub, cpu) -> space.mapDemandPage(cpu.cr2());
        m.model("exc_page_fault", handler);
        m.model("do_page_fault", handler);
    }
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

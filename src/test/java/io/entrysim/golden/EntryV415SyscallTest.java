package io.entrysim.golden;

import io.entrysim.session.RunOutcome;
import io.entrysim.session.Machine;
import static io.entrysim.golden.EntryV415.ENTRY_STACK;
import static io.entrysim.golden.EntryV415.ENTRY_STACK_TOP;
import static io.entrysim.golden.EntryV415.FLUSH_MASK;
import static io.entrysim.golden.EntryV415.KERNEL_STACK_TOP;
import static io.entrysim.golden.EntryV415.NOFLUSH;
import static io.entrysim.golden.EntryV415.PERCPU;
import static io.entrysim.golden.EntryV415.USER_GPRS;
import static io.entrysim.golden.EntryV415.USER_GS;
import static io.entrysim.golden.EntryV415.USER_RETURN;
import static io.entrysim.golden.EntryV415.USER_RFLAGS;
import static io.entrysim.golden.EntryV415.USER_RSP;
import static io.entrysim.golden.EntryV415.kernelCr3;
import static io.entrysim.golden.EntryV415.userCr3;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrysim.assemble.Op;
import io.entrysim.cpu.AccessKind;
import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.Reg;
import io.entrysim.cpu.Tlb;
import io.entrysim.exec.StopReason;
import io.entrysim.exec.Violation;
import io.entrysim.kernel.UserPcidInvalidation;
import io.entrysim.session.Build;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Issue 4, scenario 1: a 64-bit SYSCALL from user mode through v4.15's PTI trampoline
 * (entry_SYSCALL_64_trampoline in cpu_entry_area: swapgs, SWITCH_TO_KERNEL_CR3 scratch_reg=%rsp,
 * TSS.sp1 as the task stack), the C call (a stub that clobbers what C may clobber) and back out
 * through the SYSRET path (SWITCH_TO_USER_CR3_STACK on the trampoline stack, swapgs, sysretq).
 *
 * <p>Expectations come from the SDM (SYSCALL: RCX = next RIP, R11 = RFLAGS, RFLAGS &= ~FMASK;
 * SYSRET: RIP = RCX, RFLAGS = R11 & 0x3C7FD7 | 2, CS/SS from STAR) and from the kernel's code and
 * comments (pt_regs layout, "SYSRET requires RCX == RIP", the flush-mask protocol).
 */
class EntryV415SyscallTest {
    /** Lines of the real entry_64.S (original numbering) that write CR3 on this path. */
    static final int TRAMPOLINE_SWITCH_TO_KERNEL = 174;
    static final int SYSRET_SWITCH_TO_USER = 420;
    /** RSP_SCRATCH: the top word of the 64-word entry stack, where the trampoline stashes the user RSP. */
    static final long RSP_SCRATCH = ENTRY_STACK + 512 - 8;
    static final long CLOBBERED_RAX = 0xdead00000000L;   // ExecOptions.StubCalls.CLOBBER's RAX

    record Run(Build build, Cpu cpu, RunOutcome result, EntryRecorder rec) {
        List<Violation> violations() {
            return result.violations();
        }
    }

    static Run syscall(Build b, Consumer<Cpu> setup, Consumer<EntryRecorder> hooks) {
        Machine m = EntryV415.userMachine(b, "user_syscall", setup);
        EntryRecorder rec = new EntryRecorder(m.cpu());
        hooks.accept(rec);
        m.setTracer(rec);
        return new Run(b, m.cpu(), m.run(), rec);
    }

    /** The state a clean SYSRET return leaves, whatever the CR3 details. */
    static void assertBackInUserMode(Run run, long expectedRax) {
        Cpu c = run.cpu();
        assertEquals(StopReason.RET, run.result().stop(), run.result()::toString);
        assertEquals(USER_RETURN, c.rip(), "the user code's ret ended the run");
        assertEquals(3, c.cpl());
        assertEquals(Cpu.USER_CS, c.cs(), "SYSRET: CS = STAR[63:48] + 16 | 3");
        assertEquals(Cpu.USER_SS, c.ss(), "SYSRET: SS = STAR[63:48] + 8 | 3");
        assertEquals(USER_RSP + 8, c.reg(Reg.RSP), "user RSP restored (then the user ret popped 8)");
        assertEquals(expectedRax, c.reg(Reg.RAX), "the system call's return value");
        assertEquals(EntryV415.symbol(run.build(), "user_after_syscall"), c.reg(Reg.RCX), "SYSCALL/SYSRET: RCX = return RIP");
        assertEquals(USER_RFLAGS, c.reg(Reg.R11), "SYSCALL: R11 = RFLAGS; SYSRET reloads RFLAGS from it");
        assertEquals(USER_RFLAGS, c.rflags(), "SYSRET: RFLAGS = R11 & 0x3C7FD7 | 2");
        for (int r : new int[] {Reg.RDX, Reg.RBX, Reg.RBP, Reg.RSI, Reg.RDI, Reg.R8, Reg.R9, Reg.R10, Reg.R12,
            Reg.R13, Reg.R14, Reg.R15}) {
            assertEquals(USER_GPRS[r], c.reg(r), Reg.name64(r) + " restored (or never touched)");
        }
        assertEquals(USER_GS, c.gsBase(), "swapgs twice: the user GS base is back");
        assertEquals(PERCPU, c.kernelGsBase());
        assertEquals(List.of(), run.violations(), "no lost flush, no PCID bits without PCIDE");
        assertEquals(List.of(), run.rec().deliveries, "no exception on the way (no #PF)");
    }

    /**
     * Under the user CR3 the kernel touches only the top of the entry stack (mapped in both
     * halves): the trampoline's `movq %rsp, RSP_SCRATCH` before its CR3 switch, and on exit the
     * three pops after SWITCH_TO_USER_CR3 (rax pushed by the macro, then rdi and rsp pushed on
     * the trampoline stack). The user's own ret reads the user stack.
     */
    static void assertUserCr3Accesses(Run run) {
        List<EntryRecorder.Access> expected = List.of(
                new EntryRecorder.Access(AccessKind.WRITE, RSP_SCRATCH, 8, 0),
                new EntryRecorder.Access(AccessKind.READ, ENTRY_STACK_TOP - 24, 8, 0),   // popq %rax
                new EntryRecorder.Access(AccessKind.READ, ENTRY_STACK_TOP - 16, 8, 0),   // popq %rdi
                new EntryRecorder.Access(AccessKind.READ, ENTRY_STACK_TOP - 8, 8, 0),    // popq %rsp
                new EntryRecorder.Access(AccessKind.READ, USER_RSP, 8, 3));              // the user's ret
        assertEquals(expected, run.rec().userCr3Accesses);
    }

    @Test
    void roundTripWithPcidKeepsBothTlbs() {
        Build b = EntryV415.build("PTI", "PCID", "SMAP");
        Run run = syscall(b, cpu -> { }, rec -> { });
        assertBackInUserMode(run, CLOBBERED_RAX);
        var w = run.rec().cr3Writes;
        assertEquals(2, w.size(), w::toString);
        assertEquals(kernelCr3(true) | NOFLUSH, w.get(0).write().valueWritten(), "ADJUST_KERNEL_CR3: NOFLUSH, PCID 1, kernel PGD");
        assertEquals(userCr3(true) | NOFLUSH, w.get(1).write().valueWritten(), "no flush pending: user PCID kept");
        assertEquals(List.of(TRAMPOLINE_SWITCH_TO_KERNEL, SYSRET_SWITCH_TO_USER), run.rec().cr3WriteLines());
        assertEquals(userCr3(true), run.cpu().cr3());
        assertEquals(0, run.cpu().memory().peek(FLUSH_MASK, 2));
        assertUserCr3Accesses(run);
        // the fast path called the table entry for RAX=39 on the kernel CR3 and GS, RCX = arg3 (r10)
        var calls = run.rec().calls;
        assertEquals(1, calls.size(), calls::toString);
        assertEquals("sys_call_table", calls.get(0).function());
        assertEquals(kernelCr3(true), calls.get(0).cr3());
        assertEquals(PERCPU, calls.get(0).gsBase());
        assertEquals(USER_GPRS[Reg.RDI], calls.get(0).rdi());
        assertPtRegsFrame(run, CLOBBERED_RAX);
    }

    /** The pt_regs v4.15 builds on the task stack (TSS.sp1), top down: ss sp flags cs ip orig_ax di si dx cx ax. */
    static void assertPtRegsFrame(Run run, long ax) {
        long top = KERNEL_STACK_TOP;
        var m = run.cpu().memory();
        long userRip = EntryV415.symbol(run.build(), "user_after_syscall");
        long[] expected = {Cpu.USER_SS, USER_RSP, USER_RFLAGS, Cpu.USER_CS, userRip, USER_GPRS[Reg.RAX],
            USER_GPRS[Reg.RDI], USER_GPRS[Reg.RSI], USER_GPRS[Reg.RDX], userRip, ax, USER_GPRS[Reg.R8],
            USER_GPRS[Reg.R9], USER_GPRS[Reg.R10], USER_RFLAGS};
        String[] names = {"ss", "sp", "flags", "cs", "ip", "orig_ax", "di", "si", "dx", "cx", "ax", "r8", "r9", "r10",
            "r11"};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], m.peek(top - 8 * (i + 1), 8), "pt_regs->" + names[i]);
        }
        assertEquals(USER_RSP, m.peek(RSP_SCRATCH, 8), "RSP_SCRATCH holds the user RSP (the exit pushed it there again)");
    }

    @Test
    void slowPathReturnsThroughSyscallReturnViaSysret() {
        // _TIF_SYSCALL_TRACE in the task's flags: entry work, so do_syscall_64 (C) runs instead
        // of the table call; the stub stores no result, so pt_regs->ax keeps -ENOSYS.
        Build b = EntryV415.build("PTI", "PCID", "SMAP");
        Run run = syscall(b, cpu -> cpu.memory().poke(EntryV415.symbol(b, "entrysim_task"), 4, 1L << 0), rec -> { });
        assertBackInUserMode(run, -38);
        assertEquals(List.of("do_syscall_64"), run.rec().calls.stream().map(EntryRecorder.CCall::function).toList());
        assertEquals(KERNEL_STACK_TOP - EntryV415.PTREGS_SIZE, run.rec().calls.get(0).rdi(), "arg0 = pt_regs");
        long sysretLabel = EntryV415.symbol(b, "syscall_return_via_sysret");
        assertTrue(run.rec().insns.stream().anyMatch(i -> i.address == sysretLabel), "went through syscall_return_via_sysret");
        assertEquals(List.of(TRAMPOLINE_SWITCH_TO_KERNEL, SYSRET_SWITCH_TO_USER), run.rec().cr3WriteLines());
        assertUserCr3Accesses(run);
        assertPtRegsFrame(run, -38);
    }

    @Test
    void pageTableChangeDuringTheSyscallFlushesTheUserPcidOnExit() {
        // The system call (say munmap) changes this mm's page tables: invalidate_user_asid() for
        // kernel PCID 1 marks user PCID 0x801 stale and sets bit 1 of user_pcid_flush_mask.
        Build b = EntryV415.build("PTI", "PCID", "SMAP");
        Run run = syscall(b, cpu -> { }, rec -> rec.onCall(c -> UserPcidInvalidation.apply(
                rec.cpu(), 1, UserPcidInvalidation.FlushMask.v415(FLUSH_MASK), "munmap")));
        assertBackInUserMode(run, CLOBBERED_RAX);
        var w = run.rec().cr3Writes;
        assertEquals(2, w.size());
        assertEquals(kernelCr3(true) | NOFLUSH, w.get(0).write().valueWritten());
        assertEquals(userCr3(true), w.get(1).write().valueWritten(), "bit 1 was pending: the user PCID is flushed");
        assertFalse(w.get(1).write().noFlush());
        assertEquals(0, run.cpu().memory().peek(FLUSH_MASK, 2), "the request was consumed (btr)");
    }

    @Test
    void flushRequestedBeforeTheRunIsHonouredToo() {
        // --invalidate user-pcid=1 semantics: the request is already pending when the task enters
        Build b = EntryV415.build("PTI", "PCID", "SMAP");
        Run run = syscall(b, cpu -> UserPcidInvalidation.apply(cpu, 1, UserPcidInvalidation.FlushMask.v415(FLUSH_MASK),
                "--invalidate user-pcid=1 before the run"), rec -> { });
        assertBackInUserMode(run, CLOBBERED_RAX);
        assertEquals(userCr3(true), run.rec().cr3Writes.get(1).write().valueWritten());
        assertEquals(0, run.cpu().memory().peek(FLUSH_MASK, 2));
    }

    @Test
    void staleTlbWithoutTheMaskBitIsALostFlush() {
        // Control: the C side marks the user PCID stale but "forgets" the mask bit. The exit then
        // writes NOFLUSH and the return to user mode must be reported -- the check is live.
        Build b = EntryV415.build("PTI", "PCID", "SMAP");
        Run run = syscall(b, cpu -> { }, rec -> rec.onCall(c -> {
            Cpu cpu = rec.cpu();
            cpu.setTlb(cpu.tlb().invalidateUserPcid(1, new Tlb.Staleness("forgot the mask", cpu.cr3Log())));
        }));
        assertEquals(StopReason.RET, run.result().stop());
        assertEquals(1, run.violations().size(), run.violations()::toString);
        assertEquals(Violation.LOST_FLUSH, run.violations().get(0).kind());
        assertEquals(Op.SYSRET, run.violations().get(0).at().op);
    }

    @Test
    void roundTripWithoutPcidFlushesEveryTime() {
        Build b = EntryV415.build("PTI", "SMAP");
        Run run = syscall(b, cpu -> { }, rec -> { });
        assertBackInUserMode(run, CLOBBERED_RAX);
        var w = run.rec().cr3Writes;
        assertEquals(2, w.size());
        assertEquals(kernelCr3(false), w.get(0).write().valueWritten(), "no PCID: no NOFLUSH bit (it would #GP)");
        assertEquals(userCr3(false), w.get(1).write().valueWritten(), "no PCID: only the PGD bit flips");
        assertEquals(List.of(TRAMPOLINE_SWITCH_TO_KERNEL, SYSRET_SWITCH_TO_USER), run.rec().cr3WriteLines());
        assertUserCr3Accesses(run);
    }
}

package io.entrysim.golden;

import static io.entrysim.golden.EntryV415.FLUSH_MASK;
import static io.entrysim.golden.EntryV415.KERNEL_STACK_TOP;
import static io.entrysim.golden.EntryV415.NMI_IST_TOP;
import static io.entrysim.golden.EntryV415.NOFLUSH;
import static io.entrysim.golden.EntryV415.PERCPU;
import static io.entrysim.golden.EntryV415.PTREGS_SIZE;
import static io.entrysim.golden.EntryV415.USER_GPRS;
import static io.entrysim.golden.EntryV415.USER_GS;
import static io.entrysim.golden.EntryV415.USER_RETURN;
import static io.entrysim.golden.EntryV415.USER_RSP;
import static io.entrysim.golden.EntryV415.kernelCr3;
import static io.entrysim.golden.EntryV415.userCr3;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.entrysim.assemble.Insn;
import io.entrysim.assemble.Op;
import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.Reg;
import io.entrysim.exec.Delivery;
import io.entrysim.session.RunOutcome;
import io.entrysim.exec.StopReason;
import io.entrysim.kernel.UserPcidInvalidation;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Issue 4, scenario 3: v4.15's NMI handler ({@code nmi}, IDT vector 2 on IST 2 = NMI_STACK) from
 * user mode and from kernel mode, and the seed question: an NMI that arrives after the SYSRET
 * exit has switched to the user CR3 but before {@code sysretq}. The paranoid path
 * ({@code paranoid_entry}'s SAVE_AND_SWITCH_TO_KERNEL_CR3, RESTORE_CR3 after do_nmi) must run
 * do_nmi on the kernel CR3 and give the interrupted code back exactly the CR3 it had.
 */
class EntryV415NmiTest {
    /** Original entry_64.S lines of the CR3 writes on the NMI paths. */
    static final int NMI_FROM_USER_SWITCH_TO_KERNEL = 1503;
    static final int PARANOID_SAVE_AND_SWITCH = 1290;
    static final int NMI_RESTORE_CR3 = 1756;
    static final int IRET_EXIT_SWITCH_TO_USER = EntryV415IretExitTest.IRET_EXIT_SWITCH_TO_USER;
    static final int TRAMPOLINE_SWITCH_TO_KERNEL = EntryV415SyscallTest.TRAMPOLINE_SWITCH_TO_KERNEL;
    static final int SYSRET_SWITCH_TO_USER = EntryV415SyscallTest.SYSRET_SWITCH_TO_USER;

    /** The values written to CR3, in order (bit 63 included). */
    static List<Long> written(EntrySession s) {
        return s.rec.cr3Writes.stream().map(w -> w.write().valueWritten()).toList();
    }

    /** Exactly one NMI, delivered on IST 2 from {@code fromCpl}; other events (an IRQ) may be delivered too. */
    static Delivery assertNmiDelivery(EntrySession s, int fromCpl) {
        Delivery d = s.rec.deliveries.get(s.rec.nmi());
        assertEquals(Delivery.Stack.IST, d.stack());
        assertEquals(2, d.ist());
        assertEquals(NMI_IST_TOP, d.stackTop());
        assertEquals(fromCpl, d.fromCpl());
        return d;
    }

    /** do_nmi ran once, on the kernel CR3 and the kernel GS base, with (pt_regs, -1). */
    static EntryRecorder.CCall assertDoNmiOnKernelCr3(EntrySession s, boolean pcid) {
        List<EntryRecorder.CCall> c = s.rec.callsTo("do_nmi");
        assertEquals(1, c.size(), s.rec.calls::toString);
        assertEquals(kernelCr3(pcid), c.get(0).cr3(), "do_nmi runs on the kernel page tables, kernel PCID");
        assertEquals(PERCPU, c.get(0).gsBase(), "do_nmi runs with the kernel GS base");
        assertEquals(-1, c.get(0).rsi(), "error code argument: -1");
        return c.get(0);
    }

    /** The NMI's IRET went back to the interrupted instruction with the interrupted CR3, GS and RSP. */
    static void assertResumedAsInterrupted(EntrySession s) {
        int n = s.rec.nmi();
        Delivery d = s.rec.deliveries.get(n);
        // the NMI's IRET is the first one after its delivery that lands on the interrupted RIP
        EntryRecorder.IretAt back = s.rec.irets.stream().filter(i -> i.step() >= d.beforeStep() && i.rip() == d.savedRip())
                .findFirst().orElseThrow(() -> new AssertionError("no IRET back to the NMI's RIP: " + s.rec.irets));
        assertEquals(s.rec.cr3AtDelivery.get(n), back.cr3(), "the interrupted CR3 exactly (bit 63 is never stored)");
        assertEquals(s.rec.gsAtDelivery.get(n), back.gsBase());
        assertEquals(s.rec.rspAtDelivery.get(n), back.rsp());
        assertEquals(d.fromCpl(), back.cs() & 3);
    }

    static void assertSyscallCompleted(EntrySession s, RunOutcome r) {
        Cpu c = s.cpu;
        assertEquals(StopReason.RET, r.stop(), r::toString);
        assertEquals(USER_RETURN, c.rip());
        assertEquals(3, c.cpl());
        assertEquals(0xdead00000000L, c.reg(Reg.RAX), "the system call's own result, not do_nmi's clobbers");
        assertEquals(USER_GPRS[Reg.RDI], c.reg(Reg.RDI));
        assertEquals(USER_GPRS[Reg.R14], c.reg(Reg.R14), "r14 (RESTORE_CR3's save_reg) was restored");
        assertEquals(USER_GPRS[Reg.R15], c.reg(Reg.R15), "r15 (RESTORE_CR3's scratch) was restored");
        assertEquals(USER_RSP + 8, c.reg(Reg.RSP));
        assertEquals(USER_GS, c.gsBase());
        assertEquals(PERCPU, c.kernelGsBase());
        assertEquals(userCr3(EntryV415.pcid(s.build)), c.cr3());
        assertEquals(List.of(), s.violations(), "no lost flush");
        assertFalse(c.events().nmiBlocked(), "the NMI's IRET unblocked NMIs");
    }

    /** The step at which {@code insn} first ran in a run without NMI. */
    static long stepOf(EntrySession s, Predicate<Insn> which) {
        s.run();
        for (int i = 0; i < s.rec.insns.size(); i++) {
            if (which.test(s.rec.insns.get(i))) {
                return i + 1;
            }
        }
        throw new AssertionError("not on the path");
    }

    @Test
    void nmiFromUserMode() {
        EntrySession s = new EntrySession(EntryV415.build("PTI", "PCID", "SMAP"), "user_work");
        RunOutcome r = s.run(2);
        assertEquals(StopReason.RET, r.stop(), r::toString);
        assertEquals(6, s.cpu.reg(Reg.R12), "user code went on after the NMI");
        assertEquals(USER_GPRS[Reg.RDX], s.cpu.reg(Reg.RDX), "nmi's temp register is the user's again");
        assertNmiDelivery(s, 3);
        assertEquals(userCr3(true), s.rec.cr3AtDelivery.get(s.rec.nmi()));
        EntryRecorder.CCall nmi = assertDoNmiOnKernelCr3(s, true);
        assertEquals(KERNEL_STACK_TOP - PTREGS_SIZE, nmi.rdi(), "from user mode do_nmi gets pt_regs on the task stack");
        // the from-user path: SWITCH_TO_KERNEL_CR3 scratch_reg=%rdx, then the IRET exit's switch back
        assertEquals(List.of(NMI_FROM_USER_SWITCH_TO_KERNEL, IRET_EXIT_SWITCH_TO_USER), s.rec.cr3WriteLines());
        assertEquals(List.of(kernelCr3(true) | NOFLUSH, userCr3(true) | NOFLUSH),
                written(s));
        assertResumedAsInterrupted(s);
        assertEquals(List.of(), s.violations());
    }

    @Test
    void nmiFromKernelModeOnTheKernelCr3() {
        // the NMI arrives as the system call's C function is about to run
        EntrySession s = new EntrySession(EntryV415.build("PTI", "PCID", "SMAP"), "user_syscall");
        long k = stepOf(s, i -> i.op == Op.STUB);
        RunOutcome r = s.run(k);
        assertSyscallCompleted(s, r);
        assertNmiDelivery(s, 0);
        assertEquals(kernelCr3(true), s.rec.cr3AtDelivery.get(s.rec.nmi()));
        assertDoNmiOnKernelCr3(s, true);
        // SAVE_AND_SWITCH_TO_KERNEL_CR3 sees bit 12 clear and writes nothing; RESTORE_CR3 writes
        // the saved kernel CR3 back with NOFLUSH ("KERNEL pages can always resume with NOFLUSH")
        assertEquals(List.of(TRAMPOLINE_SWITCH_TO_KERNEL, NMI_RESTORE_CR3, SYSRET_SWITCH_TO_USER), s.rec.cr3WriteLines());
        assertEquals(List.of(kernelCr3(true) | NOFLUSH, kernelCr3(true) | NOFLUSH, userCr3(true) | NOFLUSH),
                written(s));
        assertResumedAsInterrupted(s);
    }

    /** The boundaries of the SYSRET exit after its CR3 write: before popq %rax, popq %rdi, popq %rsp, swapgs, sysretq. */
    static long[] exitWindow(EntrySession s) {
        long write = stepOf(s, i -> EntryRecorder.entryLine(i) == SYSRET_SWITCH_TO_USER && i.text.startsWith("mov %rdi,%cr3"));
        long sysret = stepOf(s, i -> i.op == Op.SYSRET);
        assertEquals(5, sysret - write, "popq %rax, popq %rdi, popq %rsp, swapgs lie between");
        return LongStream.rangeClosed(write + 1, sysret).toArray();
    }

    @Test
    void nmiBetweenTheUserCr3SwitchAndSysret() {
        for (String[] features : new String[][] {{"PTI", "PCID", "SMAP"}, {"PTI", "SMAP"}}) {
            EntrySession s = new EntrySession(EntryV415.build(features), "user_syscall");
            boolean pcid = EntryV415.pcid(s.build);
            long[] window = exitWindow(s);
            for (long k : window) {
                String where = String.join(",", features) + " NMI before step " + k;
                RunOutcome r = s.run(k);
                assertSyscallCompleted(s, r);
                assertNmiDelivery(s, 0);
                assertEquals(userCr3(pcid), s.rec.cr3AtDelivery.get(s.rec.nmi()), where + ": interrupted on the user CR3");
                boolean afterSwapgs = k == window[window.length - 1];
                assertEquals(afterSwapgs ? USER_GS : PERCPU, s.rec.gsAtDelivery.get(s.rec.nmi()), where);
                assertDoNmiOnKernelCr3(s, pcid);
                // paranoid_entry switches to the kernel CR3 and saves the user one in r14;
                // RESTORE_CR3 puts exactly that back (NOFLUSH with PCID: no flush is pending)
                assertEquals(List.of(TRAMPOLINE_SWITCH_TO_KERNEL, SYSRET_SWITCH_TO_USER, PARANOID_SAVE_AND_SWITCH,
                        NMI_RESTORE_CR3), s.rec.cr3WriteLines(), where);
                long nf = pcid ? NOFLUSH : 0;
                assertEquals(List.of(kernelCr3(pcid) | nf, userCr3(pcid) | nf, kernelCr3(pcid) | nf, userCr3(pcid) | nf),
                        written(s), where);
                assertResumedAsInterrupted(s);
            }
        }
    }

    @Test
    void nmiInTheExitWindowAfterAFlushWasConsumed() {
        // The system call changed the page tables: the exit's CR3 write flushes the user PCID and
        // clears the request; an NMI after it restores the user CR3 with NOFLUSH, which is right
        // (the TLB for 0x801 was flushed by the exit's own write) -- no lost flush.
        EntrySession s = new EntrySession(EntryV415.build("PTI", "PCID", "SMAP"), "user_syscall").invalidatingInSyscall();
        for (long k : exitWindow(s)) {
            RunOutcome r = s.run(k);
            assertSyscallCompleted(s, r);
            var w = s.rec.cr3Writes;
            assertEquals(4, w.size());
            assertEquals(userCr3(true), w.get(1).write().valueWritten(), "the exit flushes");
            assertEquals(userCr3(true) | NOFLUSH, w.get(3).write().valueWritten(), "RESTORE_CR3: nothing pending any more");
            assertEquals(0, s.cpu.memory().peek(FLUSH_MASK, 2));
            assertResumedAsInterrupted(s);
        }
    }

    @Test
    void restoreCr3HonoursAFlushRequestedWhileTheNmiRan() {
        // If a flush request for the interrupted user PCID is pending when RESTORE_CR3 runs (here:
        // made while do_nmi runs, the NMI having struck just after the exit's CR3 write),
        // RESTORE_CR3 must write the user CR3 without NOFLUSH and consume the request.
        EntrySession s = new EntrySession(EntryV415.build("PTI", "PCID", "SMAP"), "user_syscall");
        long k = exitWindow(s)[0];
        s.rec.onCall(c -> {
            if (c.function().equals("do_nmi")) {
                UserPcidInvalidation.apply(s.cpu, 1, UserPcidInvalidation.FlushMask.v415(FLUSH_MASK), "page tables changed while do_nmi ran");
            }
        });
        RunOutcome r = s.run(k);
        assertSyscallCompleted(s, r);
        var w = s.rec.cr3Writes;
        assertEquals(4, w.size());
        assertEquals(userCr3(true), w.get(3).write().valueWritten(), "pending bit 1: RESTORE_CR3 writes without NOFLUSH");
        assertFalse(w.get(3).write().noFlush());
        assertEquals(0, s.cpu.memory().peek(FLUSH_MASK, 2), "and clears it (btr)");
    }
}

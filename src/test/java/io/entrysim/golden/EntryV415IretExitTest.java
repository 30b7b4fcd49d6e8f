package io.entrysim.golden;

import io.entrysim.session.RunOutcome;
import io.entrysim.session.Machine;
import static io.entrysim.cpu.AccessKind.READ;
import static io.entrysim.cpu.AccessKind.WRITE;
import static io.entrysim.golden.EntryV415.ENTRY_STACK_TOP;
import static io.entrysim.golden.EntryV415.FLUSH_MASK;
import static io.entrysim.golden.EntryV415.IRQ_STACK_PTR;
import static io.entrysim.golden.EntryV415.KERNEL_STACK_TOP;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrysim.cpu.AccessKind;
import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.Reg;
import io.entrysim.exec.Delivery;
import io.entrysim.exec.StopReason;
import io.entrysim.exec.Violation;
import io.entrysim.kernel.UserPcidInvalidation;
import io.entrysim.session.Build;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Issue 4, scenario 2: the IRET exit through {@code swapgs_restore_regs_and_return_to_usermode}.
 * The way in is an external interrupt (vector 0x20) that arrives while user code runs, delivered
 * through the IDT from CPL 3: the CPU switches to TSS.sp0 (the entry stack in cpu_entry_area,
 * mapped in both halves), the vector stub jumps to {@code common_interrupt}, whose
 * {@code interrupt} macro swaps GS and calls {@code switch_to_thread_stack}
 * (SWITCH_TO_KERNEL_CR3, copy the IRET frame to TSS.sp1), builds pt_regs, moves to the IRQ stack
 * and calls do_IRQ (a stub); {@code ret_from_intr} -> {@code retint_user} ->
 * prepare_exit_to_usermode (a stub) -> swapgs_restore_regs_and_return_to_usermode copies the
 * IRET frame back to the entry stack, SWITCH_TO_USER_CR3_STACK, swapgs, native_iret's iretq.
 */
class EntryV415IretExitTest {
    /** Original entry_64.S lines: switch_to_thread_stack's and the iret exit's CR3 switches. */
    static final int THREAD_STACK_SWITCH_TO_KERNEL = 986;
    static final int IRET_EXIT_SWITCH_TO_USER = 769;
    /** The user code the interrupt lands in: movq $1,%r12 / addq $2,%r12 / addq $3,%r12 / ret. */
    static final long INTERRUPT_BEFORE_STEP = 2;

    static final EntryRecorder.Access TSS_SP0_READ =
            new EntryRecorder.Access(READ, EntryV415.CEA_TSS + 4, 8, 0);

    record Run(Build build, Cpu cpu, RunOutcome result, EntryRecorder rec) {
        List<Violation> violations() {
            return result.violations();
        }
    }

    static Run interrupted(Build b, Consumer<Cpu> setup) {
        Machine m = EntryV415.userMachine(b, "user_work", setup);
        EntryRecorder rec = new EntryRecorder(m.cpu());
        m.setTracer(rec);
        m.injectAt(INTERRUPT_BEFORE_STEP, 0x20);
        return new Run(b, m.cpu(), m.run(), rec);
    }

    static void assertTransparentToUserCode(Run run) {
        Cpu c = run.cpu();
        assertEquals(StopReason.RET, run.result().stop(), run.result()::toString);
        assertEquals(USER_RETURN, c.rip());
        assertEquals(3, c.cpl());
        assertEquals(Cpu.USER_CS, c.cs(), "iretq restored the user CS");
        assertEquals(Cpu.USER_SS, c.ss());
        assertEquals(6, c.reg(Reg.R12), "the interrupted user code finished: 1 + 2 + 3");
        for (int r = 0; r < Reg.COUNT; r++) {
            if (r != Reg.R12 && r != Reg.RSP) {
                assertEquals(USER_GPRS[r], c.reg(r), Reg.name64(r) + " is what user mode left");
            }
        }
        assertEquals(USER_RSP + 8, c.reg(Reg.RSP));
        assertEquals(0x206, c.rflags(), "IF from the IRET frame; PF from 3 + 3 = 6");
        assertEquals(USER_GS, c.gsBase());
        assertEquals(PERCPU, c.kernelGsBase());
        assertEquals(0xffffffffL, c.memory().peek(EntryV415.perCpu("irq_count"), 4), "irq_count back to -1");
        assertEquals(List.of(), run.violations());
    }

    @Test
    void interruptFromUserModeReturnsThroughTheIretExit() {
        Build b = EntryV415.build("PTI", "PCID", "SMAP");
        Run run = interrupted(b, cpu -> { });
        assertTransparentToUserCode(run);

        List<Delivery> d = run.rec().deliveries;
        assertEquals(1, d.size(), d::toString);
        assertEquals(0x20, d.get(0).vector());
        assertEquals(3, d.get(0).fromCpl());
        assertEquals(Delivery.Stack.RSP0, d.get(0).stack(), "no IST: from CPL 3 the CPU takes TSS.sp0");
        assertEquals(ENTRY_STACK_TOP - 5 * 8, d.get(0).rsp(), "SS RSP RFLAGS CS RIP on the entry stack");
        assertEquals(EntryV415.symbol(b, "user_work") + 7, d.get(0).savedRip(), "the second user instruction (movq $1,%r12 is 7 bytes)");
        assertEquals(userCr3(true), run.rec().cr3AtDelivery.get(0));

        var w = run.rec().cr3Writes;
        assertEquals(2, w.size(), w::toString);
        assertEquals(kernelCr3(true) | NOFLUSH, w.get(0).write().valueWritten());
        assertEquals(userCr3(true) | NOFLUSH, w.get(1).write().valueWritten());
        assertEquals(List.of(THREAD_STACK_SWITCH_TO_KERNEL, IRET_EXIT_SWITCH_TO_USER), run.rec().cr3WriteLines());

        // do_IRQ ran on the kernel CR3 and GS, on the IRQ stack, with pt_regs on the task stack
        var calls = run.rec().calls;
        assertEquals(List.of("do_IRQ", "prepare_exit_to_usermode"),
                calls.stream().map(EntryRecorder.CCall::function).toList());
        EntryRecorder.CCall irq = calls.get(0);
        assertEquals(kernelCr3(true), irq.cr3());
        assertEquals(PERCPU, irq.gsBase());
        assertEquals(KERNEL_STACK_TOP - PTREGS_SIZE, irq.rdi(), "arg0 = pt_regs, on TSS.sp1's stack");
        assertEquals(IRQ_STACK_PTR - 16, irq.rsp(), "the old RSP pushed on the IRQ stack, then the return address");
        assertEquals(KERNEL_STACK_TOP - PTREGS_SIZE, calls.get(1).rdi());
        assertEquals(KERNEL_STACK_TOP - PTREGS_SIZE, calls.get(1).rsp() + 8, "back on the task stack for exit work");
        assertEquals(~0x20L, run.cpu().memory().peek(KERNEL_STACK_TOP - 6 * 8, 8), "pt_regs->orig_ax = ~vector");
        assertEquals(USER_GPRS[Reg.RDI], run.cpu().memory().peek(KERNEL_STACK_TOP - 7 * 8, 8), "pt_regs->di");

        // the way out is a single iretq to CPL 3 with the user CR3 in force
        var irets = run.rec().irets;
        assertEquals(1, irets.size());
        assertEquals(EntryV415.symbol(b, "user_work") + 7, irets.get(0).rip());
        assertEquals(userCr3(true), irets.get(0).cr3());
        assertEquals(USER_GS, irets.get(0).gsBase());
        assertEquals(USER_RSP, irets.get(0).rsp());
        long iretAt = EntryV415.symbol(b, "native_irq_return_iret");
        assertTrue(run.rec().insns.stream().anyMatch(i -> i.address == iretAt), "INTERRUPT_RETURN -> native_iret");

        // Under the user CR3 the kernel touched only the entry stack (no #PF), and the CPU read
        // TSS.sp0 through cpu_entry_area's read-only TSS to deliver the interrupt.
        assertEquals(expectedUserCr3Accesses(), run.rec().userCr3Accesses);
    }

    /** Worked out from the code, top of the entry stack (TSS.sp0) down. */
    static List<EntryRecorder.Access> expectedUserCr3Accesses() {
        long t = ENTRY_STACK_TOP;
        List<EntryRecorder.Access> a = new ArrayList<>();
        a.add(TSS_SP0_READ);
        for (int i = 1; i <= 5; i++) {
            a.add(access(WRITE, t - 8 * i, 8));  // the CPU pushes SS RSP RFLAGS CS RIP
        }
        a.add(access(WRITE, t - 48, 8));          // the vector stub's pushq $(~0x20+0x80)
        a.add(access(READ, t - 48, 8));           // common_interrupt: addq $-0x80, (%rsp)
        a.add(access(WRITE, t - 48, 8));
        a.add(access(READ, t - 32, 1));           // interrupt: testb $3, CS-ORIG_RAX(%rsp)
        a.add(access(WRITE, t - 56, 8));          // call switch_to_thread_stack
        a.add(access(WRITE, t - 64, 8));          // pushq %rdi, then SWITCH_TO_KERNEL_CR3
        // the exit rebuilt the frame at the same place, pushed RDI at t-48 and RAX at t-56
        a.add(access(READ, t - 56, 8));           // SWITCH_TO_USER_CR3_STACK's popq %rax
        a.add(access(READ, t - 48, 8));           // popq %rdi
        a.add(access(READ, t - 8, 1));            // native_iret: testb $4, (SS-RIP)(%rsp) (ESPFIX64)
        for (int i = 5; i >= 1; i--) {
            a.add(access(READ, t - 8 * i, 8));    // iretq pops RIP CS RFLAGS RSP SS
        }
        a.add(new EntryRecorder.Access(READ, USER_RSP, 8, 3));  // the user code's ret
        return a;
    }

    static EntryRecorder.Access access(AccessKind kind, long address, int size) {
        return new EntryRecorder.Access(kind, address, size, 0);
    }

    @Test
    void pendingFlushIsDoneByTheIretExit() {
        Build b = EntryV415.build("PTI", "PCID", "SMAP");
        Run run = interrupted(b, cpu -> UserPcidInvalidation.apply(cpu, 1, UserPcidInvalidation.FlushMask.v415(FLUSH_MASK),
                "--invalidate user-pcid=1 before the run"));
        assertTransparentToUserCode(run);
        var w = run.rec().cr3Writes;
        assertEquals(userCr3(true), w.get(1).write().valueWritten(), "flush requested: written without NOFLUSH");
        assertEquals(0, run.cpu().memory().peek(FLUSH_MASK, 2));
    }

    @Test
    void withoutPcid() {
        Build b = EntryV415.build("PTI", "SMAP");
        Run run = interrupted(b, cpu -> { });
        assertTransparentToUserCode(run);
        var w = run.rec().cr3Writes;
        assertEquals(2, w.size());
        assertEquals(kernelCr3(false), w.get(0).write().valueWritten());
        assertEquals(userCr3(false), w.get(1).write().valueWritten());
        assertEquals(userCr3(false), run.rec().irets.get(0).cr3());
    }
}

package io.entrysim.golden;

import static io.entrysim.golden.EntryV415.CEA_TSS;
import static io.entrysim.golden.EntryV415.ENTRY_STACK_TOP;
import static io.entrysim.golden.EntryV415.NMI_IST_TOP;
import static io.entrysim.golden.EntryV415.USER_RSP;
import static io.entrysim.golden.EntryV415.USER_STACK_TOP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrysim.cpu.AddressSpace;
import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.Reg;
import io.entrysim.session.RunOutcome;
import io.entrysim.exec.StopReason;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A v4.15 round trip from user mode and back with one NMI injected at each instruction boundary
 * in turn: one build and one CPU per configuration, restored from a snapshot for every
 * boundary. Two round trips: the SYSCALL one (user `syscall` .. PTI trampoline .. C call ..
 * SYSRET exit .. the user's `ret`) and an external interrupt from user mode (vector stub ..
 * common_interrupt .. do_IRQ .. the IRET exit .. user code to its `ret`).
 *
 * <p>For each boundary: the run completes exactly as without the NMI (every register, RFLAGS,
 * CR3, both GS bases, CS, SS, RIP); do_nmi ran once, on the kernel CR3 and the kernel GS base;
 * the NMI's IRET gave the interrupted instruction back its CR3 (exactly: bit 63 is never
 * stored), GS base, RSP and CPL; nothing faulted (no #PF: every access under the user CR3 hit the
 * entry stack, the NMI stack, the TSS or the user stack); no flush was lost; and the NMI found
 * the CPU in the state the run without NMI had at that boundary.
 *
 * <p>Boundaries are classified by that state. The expected counts are read off the code:
 * <ul>
 * <li>SYSCALL, entry on the user CR3: swapgs on the user GS; then the user-RSP stash and
 *     SWITCH_TO_KERNEL_CR3's mov, bts, andq, mov (no bts without PCID) on the kernel GS.
 * <li>SYSCALL, exit after SWITCH_TO_USER_CR3's write: popq %rax, popq %rdi, popq %rsp, swapgs on
 *     the kernel GS; sysretq on the user GS.
 * <li>IRQ, entry: jmp common_interrupt, clac, addq, cld, testb, jz, swapgs on the user GS (the
 *     stub's first instruction shares its boundary with the user instruction the IRQ interrupts,
 *     and the NMI wins there); then call switch_to_thread_stack, pushq %rdi, mov, bts, andq, mov.
 * <li>IRQ, exit: popq %rax, popq %rdi, swapgs on the kernel GS; jmp native_iret, testb (ESPFIX64's
 *     LDT check), jnz, iretq on the user GS.
 * <li>User mode: SYSCALL path before `syscall' and `ret'; IRQ path before each of the 4 user
 *     instructions, plus the one the IRQ interrupted, once more after the iretq.
 * </ul>
 */
class EntryV415NmiSweepTest {
    static final List<String> CLASSES = List.of("user mode", "entry, user CR3, user GS", "entry, user CR3, kernel GS",
            "kernel CR3", "exit, user CR3, kernel GS", "exit, user CR3, user GS");

    @ParameterizedTest(name = "{0} [{1}] invalidate: {2}")
    @CsvSource({
        // path, features, invalidate in the C call, then the counts per class (kernel CR3: -1 = the rest)
        "syscall, PTI PCID SMAP, false, 2, 1, 5, -1, 4, 1",
        "syscall, PTI PCID SMAP, true,  2, 1, 5, -1, 4, 1",
        "syscall, PTI SMAP,      false, 2, 1, 4, -1, 4, 1",
        "irq,     PTI PCID SMAP, false, 5, 7, 6, -1, 3, 4",
        "irq,     PTI PCID SMAP, true,  5, 7, 6, -1, 3, 4",
        "irq,     PTI SMAP,      false, 5, 7, 5, -1, 3, 4"})
    void nmiAtEveryBoundary(String path, String features, boolean invalidate, int user, int entryUserGs,
                            int entryKernelGs, int kernelCr3, int exitKernelGs, int exitUserGs) {
        boolean irq = path.equals("irq");
        EntrySession s = new EntrySession(EntryV415.build(features.split(" ")), irq ? "user_work" : "user_syscall");
        if (irq) {
            s.interruptAt(EntryV415IretExitTest.INTERRUPT_BEFORE_STEP, 0x20);
        }
        if (invalidate) {
            s.invalidatingIn(irq ? "do_IRQ" : "sys_call_table");
        }
        boolean pcid = EntryV415.pcid(s.build);

        RunOutcome base = s.run();
        assertEquals(StopReason.RET, base.stop(), base::toString);
        assertEquals(List.of(), s.violations());
        State expected = State.of(s.cpu);
        List<String> classOf = classes(s, (int) base.steps());

        Map<String, Integer> count = new LinkedHashMap<>();
        for (long k = 1; k <= base.steps(); k++) {
            String where = path + " [" + features + (invalidate ? ", invalidate" : "") + "]: NMI before step " + k
                    + " (" + classOf.get((int) k - 1) + ")";
            RunOutcome r = s.run(k);
            assertEquals(StopReason.RET, r.stop(), where + ": " + r);
            assertEquals(expected, State.of(s.cpu), where + ": the program ends as without the NMI");
            assertEquals(List.of(), s.violations(), where + ": lost flush?");
            int n = s.rec.nmi();
            EntryV415NmiTest.assertNmiDelivery(s, s.rec.deliveries.get(n).fromCpl());
            assertEquals(classOf.get((int) k - 1), classify(s.rec.deliveries.get(n).fromCpl(), s.rec.cr3AtDelivery.get(n),
                    s.rec.gsAtDelivery.get(n), classOf.get((int) k - 1).startsWith("exit")), where);
            assertEquals(irq ? 2 : 1, s.rec.deliveries.size(), where + ": " + s.rec.deliveries);
            EntryV415NmiTest.assertDoNmiOnKernelCr3(s, pcid);
            EntryV415NmiTest.assertResumedAsInterrupted(s);
            assertUserCr3AccessesAreMapped(s, where);
            count.merge(classOf.get((int) k - 1), 1, Integer::sum);
        }
        int[] want = {user, entryUserGs, entryKernelGs, kernelCr3, exitKernelGs, exitUserGs};
        int others = 0;
        for (int i = 0; i < want.length; i++) {
            if (want[i] >= 0) {
                assertEquals(want[i], count.getOrDefault(CLASSES.get(i), 0), CLASSES.get(i) + ": " + count);
                others += want[i];
            }
        }
        assertEquals(base.steps() - others, (long) count.get("kernel CR3"), count::toString);
        assertTrue(count.get("kernel CR3") > 30, count::toString);
        System.out.printf("v4.15 NMI sweep, %s [%s%s]: %d boundaries, all clean: %s%n", path, features,
                invalidate ? ", invalidated in the C call" : "", base.steps(), count);
    }

    /** The class of each boundary (index k-1: before step k), from the run without NMI. */
    static List<String> classes(EntrySession s, int steps) {
        List<String> out = new ArrayList<>();
        boolean kernelCr3Seen = false;
        for (int k = 1; k <= steps; k++) {
            int cpl = k == 1 ? 3 : s.rec.cplAfter.get(k - 2);
            long cr3 = k == 1 ? EntryV415.userCr3(EntryV415.pcid(s.build)) : s.rec.cr3After.get(k - 2);
            long gs = k == 1 ? EntryV415.USER_GS : s.rec.gsAfter.get(k - 2);
            kernelCr3Seen |= cpl == 0 && !AddressSpace.isUserView(cr3);
            out.add(classify(cpl, cr3, gs, kernelCr3Seen));
        }
        return out;
    }

    static String classify(int cpl, long cr3, long gs, boolean exit) {
        if (cpl == 3) {
            return "user mode";
        }
        if (!AddressSpace.isUserView(cr3)) {
            return "kernel CR3";
        }
        return (exit ? "exit" : "entry") + ", user CR3, " + (gs == EntryV415.PERCPU ? "kernel GS" : "user GS");
    }

    /** Every data access made while the user page tables were in force went to memory they map. */
    static void assertUserCr3AccessesAreMapped(EntrySession s, String where) {
        for (EntryRecorder.Access a : s.rec.userCr3Accesses) {
            long lo = a.address();
            long hi = lo + a.size();
            boolean entryStack = lo >= ENTRY_STACK_TOP - 512 && hi <= ENTRY_STACK_TOP;
            boolean nmiStack = lo >= NMI_IST_TOP - 4096 && hi <= NMI_IST_TOP;
            boolean tss = lo >= CEA_TSS && hi <= CEA_TSS + 0x68;   // the CPU reading TSS.sp0 / TSS.ist[1]
            boolean userStack = a.cpl() == 3 && lo >= USER_RSP && hi <= USER_STACK_TOP;
            assertTrue(entryStack || nmiStack || tss || userStack, where + ": " + a);
        }
    }

    /** Everything the user program can see at the end. */
    record State(List<Long> gprs, long rip, long rflags, long cr3, long gsBase, long kernelGsBase, int cs, int ss) {
        static State of(Cpu c) {
            List<Long> g = new ArrayList<>();
            for (int r = 0; r < Reg.COUNT; r++) {
                g.add(c.reg(r));
            }
            return new State(g, c.rip(), c.rflags(), c.cr3(), c.gsBase(), c.kernelGsBase(), c.cs(), c.ss());
        }
    }
}

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
import io.entrysim.exec.RunResult;
import io.entrysim.exec.StopReason;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The whole v4.15 SYSCALL round trip (user `syscall` .. PTI trampoline .. C call .. SYSRET exit
 * .. the user's `ret`) with one NMI injected at each instruction boundary in turn: one build and
 * one CPU per configuration, restored from a snapshot for every boundary. For each boundary:
 * the run completes exactly as without the NMI (every register, RFLAGS, CR3, both GS bases);
 * do_nmi ran once, on the kernel CR3 and the kernel GS base; the NMI's IRET gave the interrupted
 * instruction back its CR3 (exactly: bit 63 is never stored), GS base, RSP and CPL; nothing
 * faulted (no #PF: every access under the user CR3 hit the entry stack, the NMI stack, the TSS or
 * the user stack); and no flush was lost.
 *
 * <p>The boundaries are classified by what the NMI interrupts. Expected counts come from the
 * code: on the user CR3 the trampoline runs swapgs (on the user GS), then the user-RSP stash and
 * SWITCH_TO_KERNEL_CR3's mov, bts, andq, mov (no bts without PCID) before its CR3 write takes
 * effect; the exit runs popq %rax, popq %rdi, popq %rsp, swapgs and sysretq on the user CR3, the
 * last one on the user GS.
 */
class EntryV415NmiSweepTest {
    @ParameterizedTest(name = "{0}, invalidate in syscall: {1}")
    @CsvSource({"PTI PCID SMAP, false, 5, 4", "PTI PCID SMAP, true, 5, 4", "PTI SMAP, false, 4, 4"})
    void nmiAtEveryBoundaryOfTheSyscallRoundTrip(String features, boolean invalidate, int entryWindowKernelGs,
                                                 int exitWindowKernelGs) {
        EntrySession s = new EntrySession(EntryV415.build(features.split(" ")), "user_syscall");
        if (invalidate) {
            s.invalidatingInSyscall();
        }
        boolean pcid = EntryV415.pcid(s.build);

        RunResult base = s.run();
        assertEquals(StopReason.RET, base.stop(), base::toString);
        assertEquals(List.of(), s.violations());
        long steps = base.steps();
        State expected = State.of(s.cpu);

        Map<String, Integer> byClass = new TreeMap<>();
        for (long k = 1; k <= steps; k++) {
            String where = features + (invalidate ? " +invalidate" : "") + ": NMI before step " + k;
            RunResult r = s.run(k);
            assertEquals(StopReason.RET, r.stop(), where + ": " + r);
            assertEquals(expected, State.of(s.cpu), where + ": the program ends as without the NMI");
            assertEquals(List.of(), s.violations(), where + ": lost flush?");
            EntryV415NmiTest.assertNmiDelivery(s, s.rec.deliveries.get(0).fromCpl());
            EntryV415NmiTest.assertDoNmiOnKernelCr3(s, pcid);
            EntryV415NmiTest.assertResumedAsInterrupted(s);
            assertUserCr3AccessesAreMapped(s, where);
            byClass.merge(classify(s), 1, Integer::sum);
        }
        // boundaries before `syscall' and before the user's `ret'
        assertEquals(2, byClass.get("user mode"), byClass::toString);
        assertEquals(1, byClass.get("kernel mode, user CR3, user GS"), byClass::toString);   // before the trampoline's swapgs
        assertEquals(entryWindowKernelGs + exitWindowKernelGs, byClass.get("kernel mode, user CR3, kernel GS"),
                byClass::toString);
        assertEquals(1, byClass.get("kernel mode, user CR3, user GS after swapgs"), byClass::toString); // before sysretq
        int kernelCr3 = byClass.get("kernel mode, kernel CR3");
        assertEquals(steps, 2 + 1 + entryWindowKernelGs + exitWindowKernelGs + 1 + kernelCr3);
        assertTrue(kernelCr3 > 50, byClass::toString);
        System.out.printf("v4.15 NMI sweep [%s%s]: %d boundaries, all clean: %s%n", features,
                invalidate ? ", invalidate in syscall" : "", steps, byClass);
    }

    /** Where the NMI struck, from the state it interrupted. */
    static String classify(EntrySession s) {
        int cpl = s.rec.deliveries.get(0).fromCpl();
        long cr3 = s.rec.cr3AtDelivery.get(0);
        long gs = s.rec.gsAtDelivery.get(0);
        if (cpl == 3) {
            return "user mode";
        }
        if (!AddressSpace.isUserView(cr3)) {
            return "kernel mode, kernel CR3";
        }
        if (gs == EntryV415.PERCPU) {
            return "kernel mode, user CR3, kernel GS";
        }
        // on the user GS at CPL 0 with the user CR3: before the trampoline's swapgs, or after the exit's
        long rip = s.rec.deliveries.get(0).savedRip();
        return rip == EntryV415.symbol(s.build, "entry_SYSCALL_64_trampoline")
                ? "kernel mode, user CR3, user GS" : "kernel mode, user CR3, user GS after swapgs";
    }

    /** Every data access made while the user page tables were in force went to memory they map. */
    static void assertUserCr3AccessesAreMapped(EntrySession s, String where) {
        for (EntryRecorder.Access a : s.rec.userCr3Accesses) {
            long lo = a.address();
            long hi = lo + a.size();
            boolean entryStack = lo >= ENTRY_STACK_TOP - 512 && hi <= ENTRY_STACK_TOP;
            boolean nmiStack = lo >= NMI_IST_TOP - 4096 && hi <= NMI_IST_TOP;
            boolean tss = lo >= CEA_TSS && hi <= CEA_TSS + 0x68;   // the CPU reading TSS.ist2
            boolean userStack = a.cpl() == 3 && lo >= USER_RSP && hi <= USER_STACK_TOP;
            assertTrue(entryStack || nmiStack || tss || userStack, where + ": " + a);
        }
    }

    /** Everything the user program can see at the end. */
    record State(List<Long> gprs, long rip, long rflags, long cr3, long gsBase, long kernelGsBase, int cs, int ss) {
        static State of(Cpu c) {
            List<Long> g = new java.util.ArrayList<>();
            for (int r = 0; r < Reg.COUNT; r++) {
                g.add(c.reg(r));
            }
            return new State(g, c.rip(), c.rflags(), c.cr3(), c.gsBase(), c.kernelGsBase(), c.cs(), c.ss());
        }
    }
}

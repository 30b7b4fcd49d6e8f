package io.entrysim.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.CpuSnapshot;
import io.entrysim.cpu.Tlb;
import io.entrysim.exec.Executor;
import io.entrysim.exec.RunResult;
import io.entrysim.exec.StopReason;
import io.entrysim.exec.Violation;
import io.entrysim.session.Build;
import io.entrysim.session.BuildOptions;
import io.entrysim.session.MachineSetup;
import io.entrysim.session.Toolchain;
import io.entrysim.diag.AsmError;
import io.entrysim.source.SourceFile;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** "Is a requested user-PCID flush ever lost?": the C side invalidates, the exit path must flush. */
class LostFlushTest {
    static final long MASK = MachineDefaults.PERCPU_BASE + PerCpuLayout.known().get("user_asid_flush_mask");
    static final String CAUSE = "--invalidate user-pcid=1 before the run";

    /** An exit path in the style of the 2017 KAISER patches; {@code flushJump} decides whether a pending flush is honoured. */
    static String exitPath(String flushJump) {
        return """
                movq %cr3, %rdi
                movq %rdi, %rax
                andq $0x7ff, %rdi
                btrq %rdi, %gs:user_asid_flush_mask
                movq %rax, %rdi
            """ + flushJump + """
                btsq $63, %rdi
            1:  orq $0x1800, %rdi
                movq %rdi, %cr3
            """;
    }

    static final String CORRECT = exitPath("    jc 1f\n");
    static final String ALWAYS_NOFLUSH = exitPath("");

    record Run(Build build, Cpu cpu, Executor executor) {}

    static Run pcidRun(String source, Set<String> features) {
        Build build = Toolchain.build(new SourceFile("t.S", source), BuildOptions.defaults().withFeatures(features));
        Cpu cpu = MachineSetup.newCpu(build);
        return new Run(build, cpu, new Executor(build.program(), cpu));
    }

    @Test
    void theInvalidationSetsTheMaskBitAndMarksTheUserPcidStale() {
        Run r = pcidRun("nop\n", Set.of("PCID"));
        r.cpu().memory().poke(MASK, 8, 0x4);
        UserPcidInvalidation.apply(r.cpu(), 1, UserPcidInvalidation.FlushMask.kaiser2017(MASK), CAUSE);
        assertEquals(0x6, r.cpu().memory().peek(MASK, 8));
        assertEquals(Tlb.State.STALE, r.cpu().tlb().state(0x801));
        assertEquals(CAUSE, r.cpu().tlb().staleness(0x801).cause());
        assertEquals(0, r.cpu().memory().writeCount()); // the C side's write is not one of the program's
    }

    @Test
    void aHonouredFlushRequestLeavesNothingStale() {
        Run r = pcidRun(CORRECT, Set.of("PCID"));
        UserPcidInvalidation.apply(r.cpu(), 1, UserPcidInvalidation.FlushMask.kaiser2017(MASK), CAUSE);
        RunResult result = r.executor().run(0, 100);
        assertEquals(StopReason.END, result.stop());
        assertEquals(0x1c0b801L, r.cpu().cr3());
        assertEquals(0, r.cpu().memory().peek(MASK, 8)); // request consumed
        assertEquals(Optional.empty(), r.executor().exitToUser(null));
        assertEquals(List.of(), r.executor().violations());
        assertEquals(List.of(), result.violations());
    }

    @Test
    void aNoFlushWriteAfterConsumingTheRequestLosesIt() {
        Run r = pcidRun(ALWAYS_NOFLUSH, Set.of("PCID"));
        UserPcidInvalidation.apply(r.cpu(), 1, UserPcidInvalidation.FlushMask.kaiser2017(MASK), CAUSE);
        RunResult result = r.executor().run(0, 100);
        assertEquals(StopReason.END, result.stop());
        assertEquals(0, r.cpu().memory().peek(MASK, 8)); // consumed, yet not honoured
        var last = r.build().program().code()[7];
        Violation v = r.executor().exitToUser(last).orElseThrow();
        assertEquals("lost-flush", v.kind());
        assertEquals("returning to user mode with PCID 0x801 (CR3 0x1c0b801) whose TLB entries are stale: "
            + CAUSE + "; CR3 writes since then: 0x8000000001c0b801 (no-flush, PCID 0x801) at t.S:8"
            + " -- none of them flushed PCID 0x801", v.message());
        assertEquals("t.S:8", v.where());
        assertEquals(List.of(v), r.executor().violations());
    }

    @Test
    void noCr3WriteAtAllIsReportedAsSuch() {
        Run r = pcidRun("nop\n", Set.of("PCID"));
        r.cpu().setCr3(0x1c0b801L); // already on the user PCID
        UserPcidInvalidation.apply(r.cpu(), 1, UserPcidInvalidation.FlushMask.v415(MASK), CAUSE);
        r.executor().run(0, 10);
        Violation v = r.executor().exitToUser(null).orElseThrow();
        assertEquals("returning to user mode with PCID 0x801 (CR3 0x1c0b801) whose TLB entries are stale: "
            + CAUSE + "; no CR3 write since then", v.message());
        assertEquals(null, v.where());
    }

    @Test
    void sweepsRestoreTheTlbAndTheViolations() {
        Run r = pcidRun(ALWAYS_NOFLUSH, Set.of("PCID"));
        UserPcidInvalidation.apply(r.cpu(), 1, UserPcidInvalidation.FlushMask.kaiser2017(MASK), CAUSE);
        CpuSnapshot start = r.cpu().snapshot();
        for (int round = 0; round < 3; round++) {
            r.executor().run(0, 100);
            r.executor().exitToUser(null);
            assertEquals(1, r.executor().violations().size());
            assertEquals(1, r.cpu().violationLog().size());
            r.cpu().restore(start);
            assertEquals(0, r.cpu().violationLog().size());
            assertEquals(Tlb.State.STALE, r.cpu().tlb().state(0x801));
            assertEquals(2, r.cpu().memory().peek(MASK, 8));
        }
    }

    @Test
    void pcidBitsWithoutPcidAreReported() {
        Run r = pcidRun("""
                movq %cr3, %rax
                orq $0x1800, %rax
                movq %rax, %cr3
                andq $~0x800, %rax
                orq $0x18, %rax
                movq %rax, %cr3
            """, Set.of());
        RunResult result = r.executor().run(0, 100);
        assertEquals(StopReason.END, result.stop());
        assertEquals(0x1c0b018L, r.cpu().cr3());
        assertEquals(1, result.violations().size()); // PWT/PCD (0x18) are not PCID bits
        Violation v = result.violations().get(0);
        assertEquals("pcid-bits-without-pcid", v.kind());
        assertEquals("t.S:3", v.where());
        assertEquals("mov to %cr3 of 0x1c0b800 sets CR3[11:0] bits 0x800 while CR4.PCIDE=0: the CPU ignores them"
            + " (no PCID is selected; bits 3 and 4 are PWT/PCD), so code that means to select a PCID is running"
            + " on a CPU without PCID enabled", v.message());

        Run withPcid = pcidRun("""
                movq %cr3, %rax
                orq $0x1800, %rax
                movq %rax, %cr3
            """, Set.of("PCID"));
        assertEquals(List.of(), withPcid.executor().run(0, 100).violations());
    }

    @Test
    void invalidationArgumentsAreChecked() {
        Cpu cpu = new Cpu();
        var mask = UserPcidInvalidation.FlushMask.v415(MASK);
        assertEquals("kernel PCID 0x801 out of range: kernel PCIDs are 0..0x7ff (bit 11 marks the user twin)",
            assertThrows(AsmError.class, () -> UserPcidInvalidation.apply(cpu, 0x801, mask, CAUSE)).getMessage());
        assertEquals("kernel PCID 16 has no bit in a 2-byte flush mask (bits 0..15)",
            assertThrows(AsmError.class, () -> UserPcidInvalidation.apply(cpu, 16, mask, CAUSE)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new UserPcidInvalidation.FlushMask(MASK, 3));
    }
}

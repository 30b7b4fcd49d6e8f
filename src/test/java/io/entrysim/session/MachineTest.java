package io.entrysim.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrysim.cpu.Reg;
import io.entrysim.diag.AsmError;
import io.entrysim.exec.ExecOptions;
import io.entrysim.exec.StepResult;
import io.entrysim.exec.StopReason;
import io.entrysim.kernel.MachineLayout;
import io.entrysim.source.SourceFile;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The session every front door drives: stepping, run conditions, snapshots, the program's hooks. */
class MachineTest {
    static final String TWICE = String.join("\n",
            ".macro bump reg:req",
            "\taddq $1, \\reg",          // line 2: the macro body line, expanded twice
            ".endm",
            "\t.text",
            "start:",
            "\tbump %rax",                // line 6
            "\tmovq $5, %rbx",
            "\tbump %rbx",                // line 8
            "\thlt",
            "");

    static Build build(String text) {
        return Toolchain.build(new SourceFile("t.S", text), BuildOptions.defaults());
    }

    @Test
    void aMacroBodyLineStopsTheRunInEveryExpansion() {
        Machine m = Machine.create(build(TWICE), RunSpec.defaults());
        Until body = Until.line(m.program(), "t.S", 2);
        assertEquals(StopReason.UNTIL, m.run(body).stop(), "the first instruction is never a stop of its own call");
        assertEquals(2, m.steps(), "stopped before the second expansion's addq");
        assertEquals(5, m.cpu().reg(Reg.RBX));
        assertEquals(StopReason.HLT, m.run(body).stop());
        assertEquals(6, m.cpu().reg(Reg.RBX));
        assertTrue(m.finished());
    }

    @Test
    void stepsAndAddressesAndAfterTheEnd() {
        Machine m = Machine.create(build(TWICE), RunSpec.defaults());
        long hlt = m.program().code()[3].address;
        assertEquals(StopReason.UNTIL, m.run(Until.steps(2)).stop());
        assertEquals(2, m.steps());
        assertEquals(StopReason.UNTIL, m.run(Until.addresses(m.program(), List.of(hlt))).stop());
        assertEquals(hlt, m.cpu().rip());
        StepResult s = m.step();
        assertEquals(StopReason.HLT, s.stop());
        StepResult after = m.step();
        assertEquals(StopReason.HLT, after.stop(), "a finished run stays finished");
        assertNull(after.insn());
        assertEquals(4, m.steps());
    }

    /** Outcomes are given again while identical (the sweep path): a run that differs gets its own. */
    @Test
    void runsFromOneSnapshotReportTheirOwnOutcome() {
        String text = "\t.text\n\tmovq %cr3, %rax\n\tandq $(~0x1fff), %rax\n\torq %rdx, %rax\n"
                + "\tbtsq $63, %rax\n\tmovq %rax, %cr3\n\thlt\n";
        Build b = Toolchain.build(new SourceFile("t.S", text), BuildOptions.defaults()
                .withFeatures(Set.of("PTI", "PCID")).withMachine(MachineLayout.pti()));
        Machine m = Machine.create(b, RunSpec.defaults());
        Machine.Snapshot start = m.snapshot();
        for (long pcid : new long[] {1, 2, 2, 1}) {
            m.restore(start);
            m.cpu().setReg(Reg.RDX, pcid);
            RunOutcome o = m.run();
            Machine fresh = Machine.create(b, RunSpec.defaults());
            fresh.cpu().setReg(Reg.RDX, pcid);
            assertEquals(fresh.run(), o, "PCID " + pcid);
            assertEquals(1, o.cr3Writes().size());
            assertEquals(pcid, o.cr3Writes().get(0).write().stored() & 0xfff, "the write of this run, not the last");
        }
    }

    @Test
    void theSpecsStepLimitCountsFromTheStart() {
        Machine m = Machine.create(build("\t.text\n1:\tjmp 1b\n"), RunSpec.defaults().withMaxSteps(10));
        assertEquals(StopReason.UNTIL, m.run(Until.steps(4)).stop());
        assertEquals(StopReason.MAX_STEPS, m.run().stop());
        assertEquals(10, m.steps());
    }

    @Test
    void restartGoesBackToTheStart() {
        Machine m = Machine.create(build(TWICE), RunSpec.defaults().withSets(List.of("rax=40")));
        m.run();
        assertEquals(41, m.cpu().reg(Reg.RAX));
        m.restart();
        assertEquals(40, m.cpu().reg(Reg.RAX));
        assertEquals(0, m.steps());
        assertNull(m.outcome().stop());
        assertEquals(StopReason.HLT, m.run().stop());
    }

    @Test
    void theInvalidationHookSeesItsArgumentBeforeTheClobber() {
        String text = "\t.text\n\tmovq $3, %rdi\n\tcall invalidate_user_asid\n\thlt\n";
        Machine m = Machine.create(build(text), RunSpec.defaults()
                .withExec(ExecOptions.DEFAULT.withStubCalls(ExecOptions.StubCalls.CLOBBER)));
        m.run();
        // kern_pcid(3) = 4: user PCID 0x804 is stale and bit 4 of the flush mask is set
        assertTrue(m.cpu().tlb().staleness(0x804) != null);
        assertTrue(m.cpu().tlb().staleness(0x801) == null);
        assertEquals(0xdead00000007L, m.cpu().reg(Reg.RDI), "then clobbered");
    }

    @Test
    void gsRelativeMemIsThePerCpuAreaEvenWithAUserGsBase() {
        Machine m = Machine.create(build("\t.text\n\thlt\n"), RunSpec.defaults()
                .withSets(List.of("gs_base=0x7f0000000000")).withMems(List.of("%gs:0x40=0x1234")));
        assertEquals(0x1234, m.cpu().memory().peek(MachineLayout.flat().percpuBase() + 0x40, 8));
        assertEquals(0, m.cpu().memory().peek(0x7f0000000040L, 8));
    }

    @Test
    void badSpecsAreErrors() {
        Build b = build(TWICE);
        assertThrows(AsmError.class, () -> Machine.create(b, RunSpec.defaults().withNmiAt(List.of(0L))));
        assertThrows(AsmError.class, () -> Machine.create(b, RunSpec.defaults().withEntry("nowhere")));
        assertThrows(AsmError.class, () -> Machine.create(b, RunSpec.defaults().withInvalidations(List.of("pcid=1"))));
    }

    @Test
    void aDirectJumpIntoDataFaultsWhereItLands() {
        Build b = build("\t.data\nx:\t.quad 1\n\t.text\n\tjc x\n\tjmp x\n");
        Machine m = Machine.create(b, RunSpec.defaults());
        RunOutcome o = m.run();
        assertEquals(StopReason.FAULT, o.stop());
        assertEquals(b.program().symbols().get("x"), m.cpu().rip(), "the jmp committed; fetching at x faults");
        assertTrue(o.fault().summary().contains("jmp to non-code address"), o.fault().summary());
    }

    @Test
    void aBranchToANonCanonicalAddressIsGpZeroNotCommitted() {
        for (String branch : new String[] {"pushq %rax\n\tret", "jmp *%rax", "call *%rax"}) {
            Build b = build("\t.text\n\tmovabsq $0x8000000000000000, %rax\n\t" + branch + "\n");
            Machine m = Machine.create(b, RunSpec.defaults());
            long rsp = m.cpu().reg(Reg.RSP);
            RunOutcome o = m.run();
            assertEquals(StopReason.FAULT, o.stop(), branch);
            assertTrue(o.fault().summary().startsWith("#GP(0)"), o.fault().summary());
            assertEquals(o.faultingInsn().address, m.cpu().rip(), "RIP stays at the branch: " + branch);
            assertEquals(branch.startsWith("push") ? rsp - 8 : rsp, m.cpu().reg(Reg.RSP), "nothing popped or pushed: " + branch);
        }
    }
}

package io.entrysim.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.entrysim.assemble.Program;
import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.Reg;
import io.entrysim.exec.RunResult;
import io.entrysim.exec.StopReason;
import io.entrysim.session.RunOutcome;
import io.entrysim.source.SourceLine;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each benchmark's workload does what its score claims, one invocation each: the sizes behind
 * {@code @OperationsPerInvocation}, the program paths, the sweep's outcomes. (Speed itself is
 * measured by bin/bench, never here.)
 */
class BenchmarkWorkloadsTest {
    private static int lineCount(String text) {
        return (int) text.chars().filter(c -> c == '\n').count();
    }

    @Test
    void preprocessReadsTheCountedLinesAndExpandsEveryKindOfBlock() {
        assertEquals(Workloads.PREPROCESS_INPUT_LINES, lineCount(Workloads.preprocessMain().text())
                + lineCount(Workloads.DEFS_H) + lineCount(Workloads.MACROS_H));
        PreprocessBenchmark b = new PreprocessBenchmark();
        b.setUp();
        List<String> out = b.lines().stream().map(SourceLine::text).toList();
        // The gas macro (5 lines, #else branch dropped), .text, then 4 lines per block; the same as gcc -E.
        assertEquals(5 + 1 + 4 * Workloads.PREPROCESS_BLOCKS, out.size());
        assertEquals(List.of(".macro SWITCH_CR3 reg:req", "\tmovq %cr3, \\reg", "\torq $(1 << 12), \\reg",
                "\tmovq \\reg, %cr3", ".endm"), out.subList(0, 5));
        int block0 = out.indexOf("\t.text") + 1;
        assertEquals(List.of(
                "\tSWITCH_CR3 %rdi", "\t.ascii \"block 0\"", "\tmovq $((1 << 12) | 0x0), %rax", "\tpushq $(6 * 8 + 3)",
                "\tmovq ((1) + (2) * (8 * (2)))(%rsp), %rdi", "\t.ascii \"block 1\"",
                "\tmovq $((1 << 12) | 0x1), %rax", "\tpushq $(6 * 8 + 3)",
                "\tmovq %rdi, %gs:cpu_tlbstate + (8 * (2))", "\t.ascii \"block 2\""),
                out.subList(block0, block0 + 10));
    }

    @Test
    void macroExpansionYieldsTheCountedStatements() {
        MacroExpandBenchmark b = new MacroExpandBenchmark();
        b.setUp();
        List<SourceLine> out = b.statements();
        assertEquals(Workloads.EXPANDED_STATEMENTS, out.size());
        assertEquals("movq %r8,8*8(%rsp)", out.get(0).text());
    }

    @Test
    void parseReadsEveryLine() {
        ParseBenchmark b = new ParseBenchmark();
        b.setUp();
        assertEquals(Workloads.PARSE_LINES, Workloads.parseLines().size());
        // "661: jmp ..." is a label and an instruction: one line in 16 gives two statements.
        assertEquals(Workloads.PARSE_LINES + Workloads.PARSE_LINES / 16, b.statements());
    }

    @Test
    void assembleTakesTheCountedStatements() {
        AssembleBenchmark b = new AssembleBenchmark();
        b.setUp();
        assertEquals(AssembleBenchmark.STATEMENTS, b.parsedStatements().size());
        Program p = b.statements();
        // 14 instructions per function, and the stub of the undefined bench_helper.
        assertEquals(14 * Workloads.ASSEMBLE_FUNCTIONS + 1, p.code().length);
        assertEquals("<stub bench_helper>", p.code()[p.code().length - 1].text);
        assertEquals(p.code()[0].address, p.symbols().get("func_0").longValue());
    }

    @Test
    void executeLoopRunsTheCountedInstructionsToHlt() {
        ExecuteBenchmark b = new ExecuteBenchmark();
        b.setUp();
        RunResult r = b.instructions();
        assertEquals(StopReason.HLT, r.stop());
        assertEquals(Workloads.EXECUTE_STEPS, r.steps());
    }

    @Test
    void snapshotCyclesLeaveTheStateAsTheyFoundIt() {
        SnapshotBenchmark b = new SnapshotBenchmark();
        b.setUp();
        Cpu cpu = b.cpu();
        long before = cpu.memory().peek(b.stackSlot(), 8);
        long rsp = cpu.reg(Reg.RSP);
        b.states();
        b.restores();
        b.states();
        assertEquals(before, cpu.memory().peek(b.stackSlot(), 8));
        assertEquals(0, cpu.memory().writeCount());
        assertEquals(rsp, cpu.reg(Reg.RSP));
    }

    @Test
    void everySweepPointTakesTheNmiAndReachesHlt() {
        NmiSweepBenchmark b = new NmiSweepBenchmark();
        b.setUp();
        long nmiCount = SweepMachine.create().nmiCountAddress();
        for (int k = 1; k <= Workloads.SWEEP_MAIN_STEPS; k++) {
            RunResult r = b.runAt(k);
            assertEquals(StopReason.HLT, r.stop(), "NMI before step " + k + ": " + r);
            assertEquals(Workloads.SWEEP_MAIN_STEPS + Workloads.SWEEP_HANDLER_STEPS, r.steps(), "k=" + k);
            assertEquals(1, b.cpu().memory().peek(nmiCount, 8), "k=" + k);
            assertEquals(List.of(), r.violations(), "k=" + k);
        }
        for (int i = 0; i < Workloads.SWEEP_MAIN_STEPS; i++) {
            assertEquals(StopReason.HLT, b.runs().stop());
        }
        for (int k = 1; k <= Workloads.SWEEP_MAIN_STEPS; k++) {
            RunOutcome viaMachine = b.runsViaMachine();
            assertEquals(StopReason.HLT, viaMachine.stop(), "k=" + k);
            assertEquals(Workloads.SWEEP_MAIN_STEPS + Workloads.SWEEP_HANDLER_STEPS, viaMachine.steps(), "k=" + k);
            assertEquals(3, viaMachine.cr3Writes().size(), "k=" + k);
            assertEquals(1, b.machineCpu().memory().peek(nmiCount, 8), "k=" + k);
        }
    }

    @Test
    void theDebuggerBenchmarkReversesOverTheSpanItClaims() {
        DebuggerBenchmark b = new DebuggerBenchmark();
        b.setUp();
        b.forward();
        assertEquals(DebuggerBenchmark.SPAN, b.dbg().step());
        assertEquals(io.entrysim.debug.Stop.Kind.BREAKPOINT, b.reverseContinue().kind());
        assertEquals(0, b.dbg().step(), "the breakpoint at start is before the first instruction ran");
        assertEquals(io.entrysim.debug.Stop.Kind.HISTORY_START, b.reverseContinueWatch().kind(),
                "the watched %rbx never changes: the whole span is searched");
        b.forward();
        assertEquals(DebuggerBenchmark.SPAN, b.dbg().step());
        b.step();
        assertEquals(DebuggerBenchmark.SPAN, b.dbg().step(), "step then reverse-stepi: back where it was");
    }

    @Test
    void everyCr3SweepStateRunsTheSnippetToHlt() {
        Cr3SweepBenchmark b = new Cr3SweepBenchmark();
        b.setUp();
        for (int k = 0; k < 4; k++) {
            RunOutcome r = b.states();
            assertEquals(StopReason.HLT, r.stop(), "state " + k + ": " + r);
            assertEquals(Workloads.CR3_SNIPPET_STEPS, r.steps(), "state " + k);
            assertEquals(2, r.cr3Writes().size(), "state " + k);
            assertEquals(List.of(), r.violations(), "state " + k);
            assertEquals(StopReason.HLT, b.statesToStop(), "state " + k);
            assertEquals(r, b.machine().outcome(), "the next state, with only its stop returned");
        }
    }

    @Test
    void machineLoopsRunTheCountedInstructionsToHlt() {
        MachineLoopBenchmark b = new MachineLoopBenchmark();
        b.setUp();
        RunOutcome dec = b.decJnz();
        assertEquals(StopReason.HLT, dec.stop());
        assertEquals(Workloads.DEC_LOOP_STEPS, dec.steps());
        RunOutcome bits = b.bitStack();
        assertEquals(StopReason.HLT, bits.stop());
        assertEquals(Workloads.BIT_LOOP_STEPS, bits.steps());
        assertEquals(StopReason.HLT, b.decJnz().stop());
    }
}

package io.entrysim.debug;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrysim.cpu.Reg;
import io.entrysim.diag.AsmError;
import io.entrysim.session.Machine;
import io.entrysim.session.RunSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The engine's commands on {@link DebugPrograms#CR3}: frames, breakpoints, stepping, watchpoints, reverse, NMI. */
class DebuggerTest {

    private static int line(Debugger d) {
        return d.frame().line().line();
    }

    @Test
    void aBreakpointOnAMacroBodyLineStopsInEveryExpansion() {
        Debugger d = DebugPrograms.cr3();
        Breakpoint b = d.breakAt("t.S:3", false);
        assertEquals(3, b.locations(), "two top-level expansions and one inside outer");
        Stop s = d.cont();
        assertEquals(Stop.Kind.BREAKPOINT, s.kind());
        assertEquals(3, d.step());
        assertEquals(List.of("to_user_cr3 at t.S:14"), d.frames().stream().skip(1).map(f -> f.line().fileLine())
                .map(l -> "to_user_cr3 at " + l).toList());
        assertEquals(Stop.Kind.BREAKPOINT, d.cont().kind());
        assertEquals(8, d.step());
        assertEquals(17, d.frames().get(1).line().line(), "the second expansion, invoked at line 17");
        assertEquals(Stop.Kind.BREAKPOINT, d.cont().kind());
        assertEquals(14, d.step());
        assertEquals(3, d.frames().size(), "body line, outer's line 7, the .S line 19");
        assertEquals(Stop.Kind.FINISHED, d.cont().kind());
        assertEquals(3, b.hits());
    }

    @Test
    void breakpointsOnLabelsAddressesMacrosAndConditions() {
        Debugger d = DebugPrograms.cr3();
        d.breakAt("helper", false);
        assertEquals(Stop.Kind.BREAKPOINT, d.cont().kind());
        assertEquals(11, d.step());
        d.deleteAll();
        d.restart();
        Breakpoint m = d.breakAt("macro to_user_cr3", false);
        assertEquals(3, m.locations());
        d.cont();
        assertEquals(2, d.step());
        d.deleteAll();
        d.restart();
        d.breakAt("t.S:3 if $rsi != 0", false);
        d.machine().cpu().setReg(Reg.RSI, 0);
        d.cont();
        assertEquals(8, d.step(), "the first expansion's %rdi is not %rsi: the condition skips it");
        d.deleteAll();
        d.restart();
        Breakpoint t = d.breakAt("*helper+7", true);
        assertEquals(Stop.Kind.BREAKPOINT, d.cont().kind());
        assertTrue(d.breakpoints().isEmpty(), "tbreak deletes itself");
        assertEquals(12, d.step());
        assertEquals(1, t.hits());
        assertThrows(AsmError.class, () -> d.breakAt("nosuchlabel", false));
        Breakpoint moved = d.breakAt("t.S:5", false);
        assertTrue(moved.where().contains("line 7") || moved.where().contains("line 12"), moved.where());
    }

    @Test
    void stepEntersAMacroNextStepsOverItFinishLeavesIt() {
        Debugger d = DebugPrograms.cr3();
        assertEquals(12, line(d));
        d.next(1);
        assertEquals(13, line(d));
        d.next(1);
        assertEquals(2, d.step());
        assertEquals(1, d.selectedFrame(), "at the invocation line, not inside the body");
        assertEquals(14, line(d));
        long userCr3Before = d.machine().cpu().cr3();
        d.next(1);
        assertEquals(5, d.step(), "the whole expansion was one step");
        assertEquals(15, line(d));
        assertNotEquals(userCr3Before, d.machine().cpu().cr3());

        d.restart();
        d.next(2);
        assertEquals(Stop.Kind.STEP, d.step(1).kind());
        assertEquals(2, d.step(), "entering the invocation executes nothing");
        assertEquals(0, d.selectedFrame());
        assertEquals(2, line(d));
        assertEquals("to_user_cr3", d.frame().macro());
        d.step(1);
        assertEquals(3, line(d));
        d.finish();
        assertEquals(5, d.step(), "finish ran the rest of the expansion");
        assertEquals(15, line(d));

        // next over a call: the helper runs as one step
        d.breakAt("t.S:18", true);
        d.cont();
        assertEquals(10, d.step());
        d.next(1);
        assertEquals(13, d.step());
        assertEquals(5, d.machine().cpu().reg(Reg.RBX));
        assertEquals(19, line(d), "shown at outer's invocation line");
        assertEquals(2, d.selectedFrame());
        // step into outer, then into to_user_cr3 within it
        d.step(1);
        assertEquals(7, line(d));
        d.step(1);
        assertEquals(2, line(d));
        d.stepi(1);
        d.finish();
        assertEquals(16, d.step(), "finishing frame 0 leaves the to_user_cr3 expansion inside outer");
        assertEquals(8, line(d));
        assertEquals("outer", d.frame().macro());
        d.reverseStepi(2);
        assertEquals(14, d.step());
        assertEquals("outer", d.selectFrame(1).macro());
        d.finish();
        assertEquals(17, d.step(), "finishing frame 1 (outer's line 7) leaves outer");
        assertEquals(20, line(d));
    }

    @Test
    void watchCr3StopsOnEveryWriteWithOldAndNew() {
        Debugger d = DebugPrograms.cr3();
        assertEquals(0x1c0a000L, d.machine().cpu().cr3(), "line 13 rewrites the CR3 the machine starts with");
        Watchpoint w = d.watch("$cr3");
        Stop s = d.cont();
        assertEquals(Stop.Kind.WATCHPOINT, s.kind());
        assertEquals(w, s.watchpoint());
        assertEquals(0x1c0a000L, s.oldValue());
        assertEquals(0x1c0b000L, s.newValue());
        assertEquals(4, s.changedBy().origin.pos().line(), "the macro body's movq \\tmp, %cr3");
        assertEquals(5, d.step());
        s = d.cont();
        assertEquals(0x1c0b000L, s.oldValue());
        assertEquals(0x1c0a000L, s.newValue());
        assertEquals(16, s.changedBy().origin.pos().line());
        assertEquals(2, w.hits());
    }

    @Test
    void reverseStepAcrossTheCr3WriteRestoresTheOldCr3Exactly() {
        Debugger d = DebugPrograms.cr3();
        d.breakAt("t.S:15", false);
        d.cont();
        assertEquals(5, d.step());
        assertEquals(0x1c0b000L, d.machine().cpu().cr3());
        d.reverseStepi(1);
        assertEquals(4, d.step());
        assertEquals(0x1c0a000L, d.machine().cpu().cr3());
        assertEquals("", DebugPrograms.difference(d.machine(), DebugPrograms.freshRun(d.machine(), 4)));
        d.stepi(1);
        d.reverseStep();
        assertEquals(4, d.step(), "back to the start of the previous line: the CR3 write");
        assertEquals("", DebugPrograms.difference(d.machine(), DebugPrograms.freshRun(d.machine(), 4)));
        d.stepi(1);
        d.reverseNext();
        assertEquals(2, d.step(), "the whole expansion is one line of the outer frame");
        assertEquals(1, d.selectedFrame());
        assertEquals("", DebugPrograms.difference(d.machine(), DebugPrograms.freshRun(d.machine(), 2)));
        d.stepi(2);
        d.reverseFinish();
        assertEquals(2, d.step(), "back to where the expansion began");
        assertEquals(14, line(d));
    }

    @Test
    void reverseContinueFindsTheLastBreakpointAndTheLastWatchChange() {
        Debugger d = DebugPrograms.cr3();
        d.breakAt("t.S:3", false);
        d.cont();
        d.cont();
        d.cont();
        assertEquals(14, d.step());
        assertEquals(Stop.Kind.BREAKPOINT, d.reverseContinue().kind());
        assertEquals(8, d.step());
        d.deleteAll();
        d.watch("$cr3");
        Stop s = d.reverseContinue();
        assertEquals(Stop.Kind.WATCHPOINT, s.kind());
        assertEquals(6, d.step(), "stopped before the movq %rax, %cr3 at line 16 that changed it");
        assertEquals(0x1c0a000L, s.oldValue(), "reversed: old is the value after the write");
        assertEquals(0x1c0b000L, s.newValue());
        assertEquals("", DebugPrograms.difference(d.machine(), DebugPrograms.freshRun(d.machine(), 6)));
        d.deleteAll();
        assertEquals(Stop.Kind.HISTORY_START, d.reverseContinue().kind());
        assertEquals(0, d.step());
    }

    @Test
    void aPageFaultInsideAMacroStopsWithTheMacroFrames() {
        String text = String.join("\n",
                ".macro switch_then_push tmp:req",
                "\tmovq\t%cr3, \\tmp",
                "\torq\t$(1 << 12), \\tmp",
                "\tmovq\t\\tmp, %cr3",
                "\tpushq\t%rax",
                ".endm",
                "\t.section .entry.text, \"ax\"",
                "start:",
                "\tswitch_then_push %rdi",
                "\thlt",
                "");
        Debugger d = new Debugger(Machine.create(DebugPrograms.buildPti(text), RunSpec.defaults()));
        Stop s = d.cont();
        assertEquals(Stop.Kind.FINISHED, s.kind());
        assertNotNull(s.outcome().fault());
        assertEquals("#PF", s.outcome().fault().vector());
        List<Frame> frames = Frame.of(s.outcome().faultingInsn());
        assertEquals(2, frames.size());
        assertEquals("switch_then_push", frames.get(0).macro());
        assertEquals(5, frames.get(0).line().line());
        assertEquals(9, frames.get(1).line().line());
        assertEquals(5, line(d), "the machine stands at the faulting push");
        d.reverseStepi(1);
        assertTrue(!d.machine().finished(), "the fault is undone: the push can be retried");
        assertEquals(3, d.step());
    }

    @Test
    void anNmiDeliveredMidMacroRunsTheHandlerAndReturnsIntoTheExpansion() {
        Debugger d = DebugPrograms.cr3();
        d.breakAt("t.S:3", true);
        d.cont();
        assertEquals(3, d.step());
        d.nmi();
        d.stepi(1);
        assertEquals(26, line(d), "the handler's first instruction ran: its iretq is next");
        assertEquals(1, d.callDepth());
        assertEquals(7, d.machine().cpu().reg(Reg.R12));
        d.finish();
        assertEquals(0, d.callDepth());
        assertEquals(3, line(d), "back in the expansion where the NMI struck, before line 3 ran");
        assertEquals("to_user_cr3", d.frame().macro());
        long step = d.step();
        // reverse across the NMI and forward again: the same history
        d.reverseStepi(3);
        d.stepi(3);
        assertEquals(step, d.step());
        assertEquals(3, line(d));
        assertEquals(7, d.machine().cpu().reg(Reg.R12));
    }

    @Test
    void aViolationStopsTheRunAfterTheInstructionThatBrokeTheRule() {
        String text = String.join("\n",
                "\t.text",
                "start:",
                "\tmovq\t$0x1c0a001, %rax",
                "\tmovq\t%rax, %cr3",      // PCID bits while CR4.PCIDE=0
                "\tnop",
                "\thlt",
                "");
        Debugger d = new Debugger(Machine.create(DebugPrograms.build(text), RunSpec.defaults()));
        Stop s = d.cont();
        assertEquals(Stop.Kind.VIOLATION, s.kind());
        assertEquals(2, d.step());
        assertEquals("pcid-bits-without-pcid", s.violations().get(0).kind());
        assertEquals(4, s.changedBy().origin.pos().line());
        assertEquals(Stop.Kind.FINISHED, d.cont().kind(), "continuing goes on past it");
    }

    @Test
    void runStopsAtABreakpointOnTheFirstInstructionContinueDoesNot() {
        Debugger d = DebugPrograms.cr3();
        d.breakAt("start", false);
        assertEquals(Stop.Kind.BREAKPOINT, d.run().kind());
        assertEquals(0, d.step());
        assertEquals(Stop.Kind.FINISHED, d.cont().kind(), "continue leaves the breakpoint it stands on");
    }
}

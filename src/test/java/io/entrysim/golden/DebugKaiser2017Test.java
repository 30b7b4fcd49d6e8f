package io.entrysim.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrysim.debug.Breakpoint;
import io.entrysim.debug.Debugger;
import io.entrysim.debug.MachineComparison;
import io.entrysim.debug.Stop;
import io.entrysim.session.Build;
import io.entrysim.session.Machine;
import io.entrysim.session.RunSpec;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The debugger on the seed-era SWITCH_TO_USER_CR3 (the Nov 2017 KAISER calling.h after 5/6, run
 * unchanged, static key on, PCID): two expansions of it with a switch back to the kernel CR3
 * between, stepped into, finished out of, watched and reversed. Skipped when the corpus is absent.
 */
class DebugKaiser2017Test {
    static final long KERNEL_CR3 = 0x1c0a000L | 2;   // kernel PGD, ASID 2
    static final String BODY = String.join("\n",
            "\tSWITCH_TO_USER_CR3 scratch_reg=%rsi",     // snippet.S:5
            "\tSWITCH_TO_KERNEL_CR3 scratch_reg=%rsi",   // snippet.S:6
            "\tSWITCH_TO_USER_CR3 scratch_reg=%rdi");    // snippet.S:7

    static Machine machine() {
        CorpusRun corpus = CallingKaiser2017Test.after(Map.of("kaiser_enabled_key", true), "PCID");
        Build b = corpus.build(BODY);
        return Machine.create(b, RunSpec.defaults().withMaxSteps(10_000), cpu -> cpu.setCr3(KERNEL_CR3));
    }

    @Test
    void stepIntoFinishOutOfAndNextOverSwitchToUserCr3() {
        Debugger d = new Debugger(machine());
        Breakpoint b = d.breakAt("macro SWITCH_TO_USER_CR3", false);
        assertEquals(2, b.locations());
        assertEquals(Stop.Kind.BREAKPOINT, d.run().kind(), "run stops at a breakpoint on the first instruction");
        assertEquals(5, d.frame().line().line(), "shown at the invocation line");
        d.step(1);
        assertEquals("SWITCH_TO_USER_CR3", d.frame().macro());
        assertTrue(d.frame().line().file().endsWith("calling.h"), d.frame().line().file());
        d.finish();
        assertEquals(6, d.frame().line().line());
        assertEquals(KERNEL_CR3 | 0x1800, d.machine().cpu().cr3(), "user PGD and user ASID, no flush pending");
        Stop next = d.next(1);
        assertEquals(KERNEL_CR3, d.machine().cpu().cr3(), "SWITCH_TO_KERNEL_CR3 as one step");
        assertEquals(Stop.Kind.BREAKPOINT, next.kind(), "next lands on the second expansion, where the breakpoint is");
        assertEquals(7, d.frame().line().line());
    }

    @Test
    void theCr3WriteLineStopsInBothExpansionsAndReversesExactly() {
        Debugger d = new Debugger(machine());
        d.watch("$cr3");
        Stop first = d.cont();
        assertEquals(Stop.Kind.WATCHPOINT, first.kind());
        int writeLine = first.changedBy().origin.pos().line();
        d.deleteAll();
        d.restart();
        Breakpoint write = d.breakAt("calling.h:" + writeLine, false);
        assertTrue(write.locations() >= 2, write.where());
        d.run();
        assertEquals(5, d.frames().get(d.frames().size() - 1).line().line(), "in the expansion at snippet.S:5");
        Stop second;
        do {
            second = d.cont();
        } while (second.kind() == Stop.Kind.BREAKPOINT && d.frames().get(d.frames().size() - 1).line().line() != 7);
        assertEquals(Stop.Kind.BREAKPOINT, second.kind());
        long before = d.machine().cpu().cr3();
        long step = d.step();
        d.stepi(1);
        assertEquals(KERNEL_CR3 | 0x1800, d.machine().cpu().cr3());
        d.reverseStepi(1);
        assertEquals(before, d.machine().cpu().cr3());
        Machine fresh = machine();
        for (long i = 0; i < step; i++) {
            fresh.step();
        }
        assertEquals("", MachineComparison.difference(d.machine(), fresh));
    }
}

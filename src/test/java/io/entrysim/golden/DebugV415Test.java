package io.entrysim.golden;

import static io.entrysim.golden.EntryV415.kernelCr3;
import static io.entrysim.golden.EntryV415.userCr3;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrysim.cpu.Cpu;
import io.entrysim.debug.Breakpoint;
import io.entrysim.debug.Debugger;
import io.entrysim.debug.Frame;
import io.entrysim.debug.MachineComparison;
import io.entrysim.debug.Stop;
import io.entrysim.exec.StopReason;
import io.entrysim.session.Build;
import io.entrysim.session.Machine;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The debugger on v4.15's SYSCALL round trip (real entry_64.S and calling.h, PTI+PCID; see
 * {@link EntryV415}): steps 3-6 are the trampoline's SWITCH_TO_KERNEL_CR3 (entry_64.S:174),
 * 60-71 the SYSRET path's SWITCH_TO_USER_CR3_STACK (entry_64.S:420, with
 * SWITCH_TO_USER_CR3_NOSTACK inside it), 76 the user's ret. Skipped when the corpus is absent.
 */
class DebugV415Test {
    /** calling.h's SET_NOFLUSH_BIT body ({@code bts $63, \reg}): run once in each CR3 switch. */
    static final int SET_NOFLUSH_BIT_BODY = 208;

    static Debugger syscall(Consumer<Cpu> setup) {
        return new Debugger(EntryV415.userMachine(EntryV415.build("PTI", "PCID"), "user_syscall", setup));
    }

    static List<String> macros(Debugger d) {
        return d.frames().stream().map(f -> f.macro() == null ? f.line().fileLine().replaceAll(".*/", "") : f.macro()).toList();
    }

    /** A fresh v4.15 machine run {@code steps} instructions. */
    static Machine fresh(long steps) {
        Machine m = EntryV415.userMachine(EntryV415.build("PTI", "PCID"), "user_syscall", cpu -> { });
        for (long i = 0; i < steps && !m.finished(); i++) {
            m.step();
        }
        return m;
    }

    @Test
    void aCallingHBodyLineStopsInBothCr3Switches() {
        Debugger d = syscall(cpu -> { });
        Breakpoint b = d.breakAt("calling.h:" + SET_NOFLUSH_BIT_BODY, false);
        assertTrue(b.locations() >= 2, b.where());
        assertEquals(Stop.Kind.BREAKPOINT, d.cont().kind());
        assertEquals(4, d.step());
        assertEquals(List.of("SET_NOFLUSH_BIT", "ALTERNATIVE", "ADJUST_KERNEL_CR3", "SWITCH_TO_KERNEL_CR3", "entry_64.S:174"),
                macros(d));
        assertEquals(Stop.Kind.BREAKPOINT, d.cont().kind());
        assertEquals(67, d.step());
        assertEquals(List.of("SET_NOFLUSH_BIT", "SWITCH_TO_USER_CR3_NOSTACK", "SWITCH_TO_USER_CR3_STACK", "entry_64.S:420"),
                macros(d));
        Stop end = d.cont();
        assertEquals(Stop.Kind.FINISHED, end.kind());
        assertEquals(StopReason.RET, end.outcome().stop());
    }

    @Test
    void stepIntoOverAndOutOfSwitchToUserCr3() {
        Debugger d = syscall(cpu -> { });
        d.breakAt("entry_64.S:420", false);
        d.cont();
        assertEquals(60, d.step());
        assertEquals(420, d.frame().line().line(), "stopped at the invocation line");
        d.next(1);
        assertEquals(72, d.step(), "next: the whole SWITCH_TO_USER_CR3_STACK");
        assertEquals(userCr3(true), d.machine().cpu().cr3());

        d.restart();
        d.cont();
        d.step(1);
        assertEquals("SWITCH_TO_USER_CR3_STACK", d.frame().macro());
        assertEquals(263, d.frame().line().line(), "its first body line, pushq %rax");
        d.step(1);
        assertEquals(61, d.step());
        assertEquals("SWITCH_TO_USER_CR3_NOSTACK", d.frame().macro());
        d.finish();
        assertEquals(71, d.step(), "out of NOSTACK: the popq %rax left in STACK");
        assertEquals("SWITCH_TO_USER_CR3_STACK", d.frame().macro());
        d.finish();
        assertEquals(72, d.step());
        assertEquals(422, d.frame().line().line());
    }

    @Test
    void watchCr3AndReverseStepBackAcrossTheWrite() {
        Debugger d = syscall(cpu -> { });
        d.watch("$cr3");
        Stop s = d.cont();
        assertEquals(Stop.Kind.WATCHPOINT, s.kind());
        assertEquals(userCr3(true), s.oldValue());
        assertEquals(kernelCr3(true), s.newValue());
        assertEquals(221, s.changedBy().origin.pos().line(), "SWITCH_TO_KERNEL_CR3's mov \\scratch_reg, %cr3");
        s = d.cont();
        assertEquals(kernelCr3(true), s.oldValue());
        assertEquals(userCr3(true), s.newValue());
        assertEquals(71, d.step());
        d.reverseStep();
        assertEquals(70, d.step(), "back to the start of calling.h:258, the CR3 write");
        assertEquals(kernelCr3(true), d.machine().cpu().cr3());
        assertEquals("", MachineComparison.difference(d.machine(), fresh(70)));
        Stop back = d.reverseContinue();
        assertEquals(Stop.Kind.WATCHPOINT, back.kind());
        assertEquals(6, d.step(), "before the trampoline's write");
        assertEquals(userCr3(true), d.machine().cpu().cr3());
        assertEquals("", MachineComparison.difference(d.machine(), fresh(6)));
    }

    @Test
    void aPageFaultInsideSwitchToUserCr3StackStopsWithItsFrames() {
        // the trampoline stack pointer (TSS.sp0) at the task stack, which the user tables do not map
        Debugger d = syscall(cpu -> cpu.memory().poke(EntryV415.perCpu("cpu_tss_rw") + 4, 8, EntryV415.KERNEL_STACK_TOP));
        Stop s = d.cont();
        assertEquals(Stop.Kind.FINISHED, s.kind());
        assertNotNull(s.outcome().fault(), s.outcome().toString());
        assertEquals("#PF", s.outcome().fault().vector());
        List<Frame> frames = Frame.of(s.outcome().faultingInsn());
        assertEquals("SWITCH_TO_USER_CR3_STACK", frames.get(0).macro());
        assertEquals(265, frames.get(0).line().line(), "popq %rax after the switch to the user CR3");
        assertEquals(420, frames.get(1).line().line());
    }

    @Test
    void anNmiDeliveredInsideSwitchToUserCr3ReturnsToTheSameCr3() {
        Debugger d = syscall(cpu -> { });
        d.breakAt("calling.h:239", true);
        d.cont();
        assertEquals(64, d.step());
        long cr3 = d.machine().cpu().cr3();
        d.nmi();
        d.stepi(1);
        assertEquals(1 + 1, d.callDepth(), "in the NMI handler, inside the system call");
        d.finish();
        assertEquals(1, d.callDepth());
        assertEquals(239, d.frame().line().line(), "back before the bt the NMI interrupted");
        assertEquals(cr3, d.machine().cpu().cr3(), "the NMI handler put back the CR3 it found");
        Stop end = d.cont();
        assertEquals(StopReason.RET, end.outcome().stop(), end.outcome().toString());
        assertEquals(userCr3(true), d.machine().cpu().cr3());
    }
}

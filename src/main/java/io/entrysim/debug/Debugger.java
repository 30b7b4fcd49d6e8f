package io.entrysim.debug;

import io.entrysim.assemble.Insn;
import io.entrysim.cpu.Vectors;
import io.entrysim.diag.AsmError;
import io.entrysim.diag.Site;
import io.entrysim.exec.StepResult;
import io.entrysim.exec.StopReason;
import io.entrysim.exec.Violation;
import io.entrysim.session.Machine;
import io.entrysim.session.RunOutcome;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The debugging engine every front end ({@code entrysim debug}'s REPL, the DAP server, tests)
 * drives: gdb's execution commands over macro frames, breakpoints, watchpoints, stops on faults
 * and violations, reverse execution and interrupts on demand, on one {@link Machine}.
 *
 * <p>Frames are macro expansions ({@link Frame}); the engine keeps a selected frame, which the
 * stepping commands work at: {@code next} at frame 1 steps over the whole invocation line of
 * frame 1's macro. Calls (and SYSCALL, and event deliveries) nest a call depth: {@code next} and
 * {@code finish} treat what runs deeper as one step.
 *
 * <p>Reverse execution is exact: a {@link Timeline} logs every state and keeps snapshots, and a
 * reverse command restores the nearest snapshot before its target and re-executes to it. What
 * the user adds to the future ({@code nmi}, {@code irq}) is kept in a list re-applied after each
 * restore, and forgets the recorded future after the current step (as gdb's record does when
 * the state is changed by hand).
 *
 * <p>Not thread-safe, except {@link #interrupt()}, which any thread may call during a command.
 */
public final class Debugger {
    private final Machine machine;
    private final Timeline timeline = new Timeline();
    private final ReverseCommands reverse = new ReverseCommands(this, timeline);
    private final BreakpointResolver resolver;
    private final List<Breakpoint> breakpoints = new ArrayList<>();
    private final List<Watchpoint> watchpoints = new ArrayList<>();
    /** Injections the user asked for: {step, vector} pairs, in order of asking. */
    private final List<long[]> injections = new ArrayList<>();
    private final long percpuBase;
    private int nextNumber = 1;
    private int depth;
    private int selectedFrame;
    private volatile boolean interrupted;
    /** Where a forward run ends besides the machine's own stops (a scenario's return), or null. */
    private java.util.function.Predicate<Machine> programEnd;
    private StopReason programEndReason;

    public Debugger(Machine machine) {
        this.machine = machine;
        this.percpuBase = machine.build().options().machine().percpuBase();
        this.resolver = new BreakpointResolver(machine.program(), machine.expressions(), percpuBase);
        machine.restart();
        reschedule(0);
        timeline.snapshotIfDue(0, machine);
        timeline.record(0, machine.currentIndex(), 0);
    }

    public Machine machine() {
        return machine;
    }

    /**
     * Makes a forward run stop, as the machine's own end does, when {@code end} holds after an
     * instruction (a scenario's return to the interrupted context), reported as {@code reason}.
     */
    public void stopWhen(java.util.function.Predicate<Machine> end, StopReason reason) {
        this.programEnd = end;
        this.programEndReason = reason;
    }

    /** Instructions executed since the start: the state the machine is in. */
    public long step() {
        return machine.steps();
    }

    /** The instruction about to run, or null (at the end, or where RIP has no code). */
    public Insn currentInsn() {
        return machine.currentInsn();
    }

    /** The macro frames of the current instruction, innermost first; empty when there is none. */
    public List<Frame> frames() {
        Insn insn = currentInsn();
        return insn == null || insn.origin == null ? List.of() : Frame.of(insn);
    }

    public int selectedFrame() {
        return selectedFrame;
    }

    /** Selects frame {@code level} (gdb's {@code frame N}, {@code up}, {@code down}); clamped to the frames there are. */
    public Frame selectFrame(int level) {
        List<Frame> frames = frames();
        if (frames.isEmpty()) {
            throw new AsmError(null, "No stack.");
        }
        if (level < 0 || level >= frames.size()) {
            throw new AsmError(null, level < 0 ? "Bottom (innermost) frame selected; you cannot go down."
                    : "Initial frame selected; you cannot go up.");
        }
        selectedFrame = level;
        return frames.get(level);
    }

    /** The selected frame, or null when there is no instruction. */
    public Frame frame() {
        List<Frame> frames = frames();
        return frames.isEmpty() ? null : frames.get(Math.min(selectedFrame, frames.size() - 1));
    }

    /** The call depth now: calls, SYSCALLs and event deliveries minus returns since the start. */
    public int callDepth() {
        return depth;
    }

    // ---- expressions

    /** Compiles an expression (see {@link DebugExpression}). */
    public DebugExpression expression(String text) {
        return DebugExpression.compile(text, machine.expressions(), percpuBase);
    }

    public long evaluate(String text) {
        return expression(text).value(machine.cpu());
    }

    /**
     * The path the program's origins use for the file the user typed ({@code switch-to-user.S}
     * for {@code asm-samples/switch-to-user.S}, as breakpoints match it); the typed name when
     * no instruction came from such a file.
     */
    public String sourceFile(String typed) {
        for (Insn insn : machine.program().code()) {
            if (insn.origin == null) {
                continue;
            }
            for (Frame f : Frame.of(insn)) {
                if (BreakpointResolver.sameFile(f.line().file(), typed)) {
                    return f.line().file();
                }
            }
        }
        return typed;
    }

    // ---- breakpoints and watchpoints

    /** {@code SPEC if COND}, SPEC possibly empty. */
    private static final java.util.regex.Pattern CONDITION = java.util.regex.Pattern.compile("^(|.*?\\s)if\\s+(.*)$");

    /** {@code break SPEC [if COND]} / {@code tbreak}; an empty SPEC is the current instruction. */
    public Breakpoint breakAt(String spec, boolean temporary) {
        String where = spec;
        DebugExpression cond = null;
        java.util.regex.Matcher m = CONDITION.matcher(spec);
        if (m.matches()) {
            where = m.group(1).trim();
            cond = expression(m.group(2));
        }
        if (where.isBlank()) {
            Insn insn = currentInsn();
            if (insn == null) {
                throw new AsmError(null, "No default breakpoint address now.");
            }
            where = String.format("*0x%x", insn.address);
        }
        Frame f = frame();
        BreakpointResolver.Resolved r = resolver.resolve(where, f == null ? null : f.line().file(), machine.cpu());
        Breakpoint b = new Breakpoint(nextNumber++, where, r.where(), r.indices(), temporary, cond, r.level(), r.line());
        breakpoints.add(b);
        return b;
    }

    /** {@code watch EXPR}: its value now is the baseline. */
    public Watchpoint watch(String text) {
        DebugExpression e = expression(text);
        Watchpoint w = new Watchpoint(nextNumber++, e, e.value(machine.cpu()));
        watchpoints.add(w);
        return w;
    }

    public List<Breakpoint> breakpoints() {
        return Collections.unmodifiableList(breakpoints);
    }

    public List<Watchpoint> watchpoints() {
        return Collections.unmodifiableList(watchpoints);
    }

    /** Deletes breakpoint or watchpoint {@code number}; false when there is none. */
    public boolean delete(int number) {
        return breakpoints.removeIf(b -> b.number() == number) | watchpoints.removeIf(w -> w.number() == number);
    }

    public void deleteAll() {
        breakpoints.clear();
        watchpoints.clear();
    }

    /** Enables or disables breakpoint or watchpoint {@code number}; false when there is none. */
    public boolean setEnabled(int number, boolean enabled) {
        boolean found = false;
        for (Breakpoint b : breakpoints) {
            if (b.number() == number) {
                b.setEnabled(enabled);
                found = true;
            }
        }
        for (Watchpoint w : watchpoints) {
            if (w.number() == number) {
                w.setEnabled(enabled);
                w.setLast(w.expression().value(machine.cpu()));
                found = true;
            }
        }
        return found;
    }

    /** {@code condition N [EXPR]}: sets or (without EXPR) removes the condition; false when there is no such breakpoint. */
    public boolean condition(int number, String text) {
        for (Breakpoint b : breakpoints) {
            if (b.number() == number) {
                b.setCondition(text == null || text.isBlank() ? null : expression(text));
                return true;
            }
        }
        return false;
    }

    // ---- interrupts on demand

    /** Delivers an NMI before the next instruction (held while NMIs are blocked, as the CPU holds it). */
    public void nmi() {
        inject(Vectors.NMI);
    }

    /** Raises interrupt or exception {@code vector} before the next instruction. */
    public void irq(int vector) {
        if (vector < 0 || vector > 255) {
            throw new AsmError(null, "vector must be 0..255, not " + vector);
        }
        inject(vector);
    }

    private void inject(int vector) {
        long s = step();
        // the recorded future did not have this event: forget it, and the injections made in it
        timeline.truncateAfter(s);
        injections.removeIf(i -> i[0] > s + 1);
        injections.add(new long[] {s + 1, vector});
        reschedule(s);
    }

    /** After a restore to state {@code s}: the schedule holds exactly the events still to come. */
    private void reschedule(long s) {
        machine.clearInjections();
        for (long at : machine.spec().nmiAt()) {
            if (at > s) {
                machine.injectNmiAt(at);
            }
        }
        for (io.entrysim.session.RunSpec.IrqAt irq : machine.spec().irqAt()) {
            if (irq.step() > s) {
                machine.injectAt(irq.step(), irq.vector());
            }
        }
        for (long[] i : injections) {
            if (i[0] > s) {
                machine.injectAt(i[0], (int) i[1]);
            }
        }
    }

    /** Asks the running command to stop at the next instruction boundary (Ctrl-C); callable from any thread. */
    public void interrupt() {
        interrupted = true;
    }

    // ---- forward execution

    /** What a stepping command waits for: the frame level to show at, or -1 to go on (next is null where there is no code). */
    @FunctionalInterface
    private interface Target {
        int levelAt(Insn next, int depth);
    }

    /** {@code continue}. */
    public Stop cont() {
        return forward((insn, d) -> -1);
    }

    /** {@code stepi N}. */
    public Stop stepi(long n) {
        long end = step() + Math.max(1, n);
        return forward((insn, d) -> step() >= end ? 0 : -1);
    }

    /** {@code nexti}: one instruction, a call (or SYSCALL) with everything it runs. */
    public Stop nexti() {
        int d0 = depth;
        return forward((insn, d) -> d <= d0 ? 0 : -1);
    }

    /**
     * {@code step}: to the next instruction whose innermost line differs, entering macro bodies
     * and calls. At an outer frame, entering the invocation shown is a step of its own: the frame
     * one level in becomes selected (the first line of the macro's body), without executing.
     */
    public Stop step(int times) {
        return repeated(times, this::stepOnceByLine);
    }

    /** {@code once} {@code times} times (at least once), ending early at any stop that is not a plain step. */
    private static Stop repeated(int times, java.util.function.Supplier<Stop> once) {
        Stop last = null;
        for (int i = 0; i < Math.max(1, times); i++) {
            last = once.get();
            if (last.kind() != Stop.Kind.STEP) {
                return last;
            }
        }
        return last;
    }

    private Stop stepOnceByLine() {
        Insn start = currentInsn();
        if (selectedFrame > 0 && start != null) {
            selectedFrame--;
            return Stop.of(Stop.Kind.STEP, step());
        }
        Frame from = start == null || start.origin == null ? null : Frame.of(start).get(0);
        return forward((insn, d) -> from == null || insn == null || !Frame.of(insn).get(0).sameLine(from) ? 0 : -1);
    }

    /** {@code next}: the next line of the selected frame; macro invocations and calls it makes are one step. */
    public Stop next(int times) {
        return repeated(times, this::nextOnce);
    }

    private Stop nextOnce() {
        Frame from = frame();
        if (from == null) {
            return forward((insn, d) -> 0);
        }
        int d0 = depth;
        List<Site> context = from.context();
        return forward((insn, d) -> {
            if (insn == null) {
                return 0;
            }
            if (d > d0) {
                return -1;
            }
            FrameMatch m = FrameMatch.of(insn, context);
            if (d < d0 || m.left() > 0 || !m.frame().sameLine(from)) {
                return m.frame().level();
            }
            return -1;
        });
    }

    /** {@code finish}: until the selected frame's macro expansion is left (in the outermost frame: the function returns). */
    public Stop finish() {
        Frame from = frame();
        int d0 = depth;
        if (from == null || from.context().isEmpty()) {
            return forward((insn, d) -> d < d0 ? 0 : -1);
        }
        List<Site> context = from.context();
        return forward((insn, d) -> {
            if (insn == null) {
                return 0;
            }
            if (d > d0) {
                return -1;
            }
            return d < d0 || !FrameMatch.inside(insn, context) ? FrameMatch.of(insn, context).frame().level() : -1;
        });
    }

    /** {@code run}/{@code start}: back to the first instruction (the history is kept: the machine is deterministic). */
    public Stop restart() {
        goTo(0);
        selectedFrame = 0;
        return Stop.of(Stop.Kind.STEP, 0);
    }

    /**
     * {@code run}: from the first instruction to a stop, as {@link #cont()}, except that a
     * breakpoint on the first instruction stops there (as gdb's {@code run} stops at one on the
     * entry point) before anything runs.
     */
    public Stop run() {
        restart();
        Breakpoint b = breakpointAt(machine.currentIndex());
        if (b == null) {
            return cont();
        }
        b.hit();
        if (b.temporary()) {
            breakpoints.remove(b);
        }
        selectedFrame = currentInsn() == null ? 0 : b.levelAt(currentInsn());
        return new Stop(Stop.Kind.BREAKPOINT, step(), b, null, 0, 0, null, null, List.of());
    }

    /**
     * Runs until {@code target} says where to show, or something stops the run: the machine's own
     * stop, a violation, a watchpoint, a breakpoint, Ctrl-C. Checked after each instruction.
     */
    private Stop forward(Target target) {
        interrupted = false;
        while (true) {
            if (machine.finished()) {
                return Stop.of(Stop.Kind.FINISHED, step()).withOutcome(machine.outcome());
            }
            int violationsBefore = machine.cpu().violationLog().size();
            StepResult r = stepOnce();
            if (r.stop() == StopReason.MAX_STEPS) {
                return Stop.of(Stop.Kind.LIMIT, step()).withOutcome(machine.outcome());
            }
            if (r.stopped()) {
                selectedFrame = 0;
                return Stop.of(Stop.Kind.FINISHED, step()).withOutcome(machine.outcome());
            }
            if (machine.cpu().violationLog().size() > violationsBefore) {
                selectedFrame = 0;
                List<Violation> all = machine.outcome().violations();
                return new Stop(Stop.Kind.VIOLATION, step(), null, null, 0, 0, r.insn(), null,
                        all.subList(Math.min(violationsBefore, all.size()), all.size()));
            }
            for (Watchpoint w : watchpoints) {
                if (!w.enabled()) {
                    continue;
                }
                long now = w.expression().value(machine.cpu());
                if (now != w.last()) {
                    long old = w.last();
                    updateWatchBaselines();
                    w.hit();
                    selectedFrame = 0;
                    return new Stop(Stop.Kind.WATCHPOINT, step(), null, w, old, now, r.insn(), null, List.of());
                }
            }
            if (programEnd != null && programEnd.test(machine)) {
                selectedFrame = 0;
                RunOutcome o = machine.outcome();
                return Stop.of(Stop.Kind.FINISHED, step()).withOutcome(new RunOutcome(programEndReason, o.steps(),
                        o.fault(), o.faultingInsn(), o.lastInsn(), o.cr3Writes(), o.flagViolations(), o.violations(),
                        o.detail()));
            }
            Insn next = currentInsn();
            Breakpoint hit = breakpointAt(machine.currentIndex());
            if (hit != null) {
                hit.hit();
                if (hit.temporary()) {
                    breakpoints.remove(hit);
                }
                selectedFrame = next == null ? 0 : hit.levelAt(next);
                return new Stop(Stop.Kind.BREAKPOINT, step(), hit, null, 0, 0, r.insn(), null, List.of());
            }
            int level = target.levelAt(next == null || next.origin == null ? null : next, depth);
            if (level >= 0) {
                selectedFrame = next == null ? 0 : level;
                return Stop.of(Stop.Kind.STEP, step());
            }
            if (interrupted) {
                interrupted = false;
                selectedFrame = 0;
                return Stop.of(Stop.Kind.INTERRUPTED, step());
            }
        }
    }

    /** The enabled breakpoint at {@code index} whose condition holds now, or null. */
    Breakpoint breakpointAt(int index) {
        for (Breakpoint b : breakpoints) {
            if (b.enabled() && b.covers(index) && (b.condition() == null || b.condition().value(machine.cpu()) != 0)) {
                return b;
            }
        }
        return null;
    }

    private void updateWatchBaselines() {
        for (Watchpoint w : watchpoints) {
            w.setLast(w.expression().value(machine.cpu()));
        }
    }

    /** One instruction, with the history logged and the call depth kept. */
    StepResult stepOnce() {
        long before = step();
        timeline.snapshotIfDue(before, machine);
        Insn expected = machine.currentInsn();
        StepResult r = machine.step();
        if (r.insn() != null && step() > before) {
            if (r.insn() != expected) {
                depth++; // an event was delivered: its handler ran instead, as if called
            }
            depth += depthChange(r.insn());
            timeline.record(step(), machine.currentIndex(), depth);
        }
        return r;
    }

    private static int depthChange(Insn insn) {
        return switch (insn.op) {
            case CALL, SYSCALL -> 1;
            case RET, IRET, SYSRET, STUB -> -1;
            default -> 0;
        };
    }

    // ---- reverse execution

    /** Puts the machine in state {@code target} (0..the current step): restore, then re-execute. */
    void goTo(long target) {
        Machine.Snapshot snap = timeline.floor(target);
        machine.restore(snap);
        long s = step();
        reschedule(s);
        depth = timeline.depthAt(s);
        while (step() < target && !machine.finished()) {
            StepResult r = stepOnce();
            if (r.stopped()) {
                break;
            }
        }
        updateWatchBaselines();
    }

    /** {@code reverse-stepi N}. */
    public Stop reverseStepi(long n) {
        return reverse.stepi(n);
    }

    /** {@code reverse-step}: back to the start of the previous innermost line. */
    public Stop reverseStep() {
        return reverse.step();
    }

    /** {@code reverse-next}: back to the start of the previous line of the selected frame. */
    public Stop reverseNext() {
        return reverse.next();
    }

    /** {@code reverse-finish}: back to where the selected frame's expansion (or function) began. */
    public Stop reverseFinish() {
        return reverse.finish();
    }

    /** {@code reverse-continue}: back to the latest earlier breakpoint hit or watchpoint change. */
    public Stop reverseContinue() {
        return reverse.cont();
    }

    // ---- for ReverseCommands

    /** Shows the run at frame {@code level} (a reverse command chose it). */
    void showFrame(int level) {
        selectedFrame = level;
    }

    boolean interruptRequested() {
        return interrupted;
    }

    void clearInterrupt() {
        interrupted = false;
    }
}

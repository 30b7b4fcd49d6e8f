package io.entrysim.debug;

import io.entrysim.assemble.Insn;
import io.entrysim.diag.Site;
import io.entrysim.exec.StepResult;
import java.util.ArrayList;
import java.util.List;

/**
 * The reverse execution commands of a {@link Debugger}: each finds its target state in the
 * {@link Timeline}'s logs (or, for conditions and watchpoints, by re-executing the history one
 * snapshot interval at a time, newest first), then puts the machine there with
 * {@link Debugger#goTo}, which restores a snapshot and re-executes: exact, since the machine is
 * deterministic.
 */
final class ReverseCommands {
    private final Debugger d;
    private final Timeline timeline;

    ReverseCommands(Debugger d, Timeline timeline) {
        this.d = d;
        this.timeline = timeline;
    }

    private Insn insnAt(long s) {
        int i = timeline.indexAt(s);
        Insn[] code = d.machine().program().code();
        return i >= 0 && i < code.length && code[i].origin != null ? code[i] : null;
    }

    /** {@code reverse-stepi N}. */
    Stop stepi(long n) {
        long s = d.step();
        long left = Math.max(1, n);
        d.showFrame(0);
        if (d.machine().finished()) {
            // a stop that executed nothing (a fault) is undone first: back to the state before it
            d.goTo(s);
            if (!d.machine().finished() && --left == 0) {
                return Stop.of(Stop.Kind.STEP, s);
            }
        }
        if (s == 0) {
            return Stop.of(Stop.Kind.HISTORY_START, 0);
        }
        long target = Math.max(0, s - left);
        d.goTo(target);
        return Stop.of(s - left < 0 ? Stop.Kind.HISTORY_START : Stop.Kind.STEP, target);
    }

    /** {@code reverse-step}: back to the start of the previous innermost line. */
    Stop step() {
        long s = d.step();
        if (s == 0) {
            return Stop.of(Stop.Kind.HISTORY_START, 0);
        }
        long t = s - 1;
        Insn at = insnAt(t);
        if (at != null) {
            Frame line = Frame.of(at).get(0);
            while (t > 0 && insnAt(t - 1) != null && Frame.of(insnAt(t - 1)).get(0).sameLine(line)) {
                t--;
            }
        }
        d.goTo(t);
        d.showFrame(0);
        return Stop.of(Stop.Kind.STEP, t);
    }

    /** {@code reverse-next}: back to the start of the previous line of the selected frame. */
    Stop next() {
        long s = d.step();
        if (s == 0) {
            return Stop.of(Stop.Kind.HISTORY_START, 0);
        }
        Frame from = d.frame();
        List<Site> context = from == null ? List.of() : from.context();
        int d0 = timeline.depthAt(s);
        long t = s - 1;
        while (t > 0 && timeline.depthAt(t) > d0) {
            t--;
        }
        Insn at = insnAt(t);
        if (timeline.depthAt(t) < d0 || at == null) {
            d.goTo(t);
            d.showFrame(0);
            return Stop.of(Stop.Kind.STEP, t);
        }
        Frame line = FrameMatch.of(at, context).frame();
        while (t > 0) {
            long u = t - 1;
            int du = timeline.depthAt(u);
            Insn iu = insnAt(u);
            if (du > d0 || (du == d0 && iu != null && FrameMatch.of(iu, context).frame().sameLine(line))) {
                t = u;
            } else {
                break;
            }
        }
        d.goTo(t);
        d.showFrame(line.level());
        return Stop.of(Stop.Kind.STEP, t);
    }

    /** {@code reverse-finish}: back to where the selected frame's expansion (or function) began. */
    Stop finish() {
        long s = d.step();
        Frame from = d.frame();
        int d0 = timeline.depthAt(s);
        if (from == null || from.context().isEmpty()) {
            for (long t = s - 1; t >= 0; t--) {
                if (timeline.depthAt(t) < d0) {
                    d.goTo(t);
                    d.showFrame(0);
                    return Stop.of(Stop.Kind.STEP, t);
                }
            }
            d.goTo(0);
            d.showFrame(0);
            return Stop.of(Stop.Kind.HISTORY_START, 0);
        }
        List<Site> context = from.context();
        long t = s;
        while (t > 0) {
            int du = timeline.depthAt(t - 1);
            Insn iu = insnAt(t - 1);
            if (du > d0 || (du == d0 && iu != null && FrameMatch.inside(iu, context))) {
                t--;
            } else {
                break;
            }
        }
        d.goTo(t);
        // shown at the line that invoked the expansion
        d.showFrame(Math.min(d.frames().size() - 1, d.currentInsn().origin.macroChain().size() - context.size() + 1));
        return Stop.of(t == 0 ? Stop.Kind.HISTORY_START : Stop.Kind.STEP, t);
    }

    /** {@code reverse-continue}: back to the latest earlier breakpoint hit or watchpoint change. */
    Stop cont() {
        d.clearInterrupt();
        long s = d.step();
        boolean replayNeeded = d.watchpoints().stream().anyMatch(Watchpoint::enabled)
                || d.breakpoints().stream().anyMatch(b -> b.enabled() && b.condition() != null);
        long hit = replayNeeded ? lastHitByReplay(s) : lastBreakpointInLog(s);
        if (hit < 0) {
            d.goTo(0);
            d.showFrame(0);
            return Stop.of(Stop.Kind.HISTORY_START, 0);
        }
        // a watch change found at t means "the instruction at t changed it": stop before it
        long watchOld = 0;
        Watchpoint changed = null;
        d.goTo(hit);
        d.showFrame(0);
        Breakpoint b = d.breakpointAt(d.machine().currentIndex());
        if (b != null) {
            b.hit();
            d.showFrame(d.currentInsn() == null ? 0 : b.levelAt(d.currentInsn()));
            return new Stop(Stop.Kind.BREAKPOINT, hit, b, null, 0, 0, null, null, List.of());
        }
        List<Long> before = watchValues();
        StepResult r = d.stepOnce();
        for (int i = 0; i < d.watchpoints().size(); i++) {
            Watchpoint w = d.watchpoints().get(i);
            long now = w.expression().value(d.machine().cpu());
            if (w.enabled() && now != before.get(i)) {
                changed = w;
                watchOld = now;
                break;
            }
        }
        d.goTo(hit);
        if (changed == null) {
            return Stop.of(Stop.Kind.STEP, hit);
        }
        changed.hit();
        // reversed: "old" is the value after the instruction, "new" the value before it
        return new Stop(Stop.Kind.WATCHPOINT, hit, null, changed, watchOld, changed.last(), r.insn(), null, List.of());
    }

    private List<Long> watchValues() {
        List<Long> v = new ArrayList<>();
        for (Watchpoint w : d.watchpoints()) {
            v.add(w.expression().value(d.machine().cpu()));
        }
        return v;
    }

    /** The latest state before {@code s} at an enabled unconditional breakpoint, or -1 (the index log is enough). */
    private long lastBreakpointInLog(long s) {
        for (long t = s - 1; t >= 0; t--) {
            int i = timeline.indexAt(t);
            for (Breakpoint b : d.breakpoints()) {
                if (b.enabled() && b.covers(i)) {
                    return t;
                }
            }
        }
        return -1;
    }

    /**
     * The latest state t before {@code s} where a breakpoint holds, or where the next
     * instruction changes a watched value; -1 when none. Re-executes the history one snapshot
     * interval at a time, newest first.
     */
    private long lastHitByReplay(long s) {
        long segEnd = s;
        while (segEnd > 0) {
            long segStart = ((segEnd - 1) / Timeline.INTERVAL) * Timeline.INTERVAL;
            d.goTo(segStart);
            long found = -1;
            List<Long> previous = watchValues();
            while (true) {
                long t = d.step();
                if (t > segStart) {
                    List<Long> now = watchValues();
                    for (int i = 0; i < now.size(); i++) {
                        if (d.watchpoints().get(i).enabled() && !now.get(i).equals(previous.get(i))) {
                            found = t - 1;
                        }
                    }
                    previous = now;
                }
                if (t < s && d.breakpointAt(d.machine().currentIndex()) != null) {
                    found = t;
                }
                if (t >= segEnd || d.machine().finished() || d.interruptRequested()) {
                    break;
                }
                if (d.stepOnce().stopped()) {
                    break;
                }
            }
            if (found >= 0) {
                return found;
            }
            if (d.interruptRequested()) {
                return segStart;
            }
            segEnd = segStart;
        }
        return -1;
    }
}

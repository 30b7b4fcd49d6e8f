package io.entrysim.debug;

import io.entrysim.assemble.Insn;
import io.entrysim.exec.Violation;
import io.entrysim.session.RunOutcome;
import java.util.List;

/**
 * Why a debugger command gave control back, with what a front end shows about it.
 *
 * @param kind the reason
 * @param step the state the machine is now in (instructions executed since the start)
 * @param breakpoint the breakpoint hit (BREAKPOINT), else null
 * @param watchpoint the watchpoint that changed (WATCHPOINT), else null
 * @param oldValue the watched value before the change (in a reverse run: after it)
 * @param newValue the watched value now
 * @param changedBy the instruction that changed it, or the last one executed
 * @param outcome the machine's own stop (FINISHED, LIMIT) with its fault, else null
 * @param violations rule violations detected by the last instruction (VIOLATION)
 */
public record Stop(Kind kind, long step, Breakpoint breakpoint, Watchpoint watchpoint, long oldValue, long newValue,
                   Insn changedBy, RunOutcome outcome, List<Violation> violations) {

    public enum Kind {
        /** A stepping command got where it was going. */
        STEP,
        BREAKPOINT,
        WATCHPOINT,
        /** The machine stopped by itself: hlt, ret from the entry frame, the end, a fault, return to user... */
        FINISHED,
        /** The instruction broke a rule (lost flush, PCID bits without PCID): as gdb stops on a signal. */
        VIOLATION,
        /** The run's step limit (--max-steps). */
        LIMIT,
        /** Ctrl-C (or a DAP pause). */
        INTERRUPTED,
        /** A reverse command reached the start of the recorded history. */
        HISTORY_START
    }

    /** A stop with nothing attached (a step, an interrupt, the start of history). */
    public static Stop of(Kind kind, long step) {
        return new Stop(kind, step, null, null, 0, 0, null, null, List.of());
    }

    /** This stop with the machine's outcome attached. */
    Stop withOutcome(RunOutcome o) {
        return new Stop(kind, step, breakpoint, watchpoint, oldValue, newValue, changedBy, o, violations);
    }
}

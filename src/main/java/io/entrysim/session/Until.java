package io.entrysim.session;

import io.entrysim.exec.StopReason;
import io.entrysim.assemble.Insn;
import io.entrysim.assemble.Program;
import java.util.BitSet;
import java.util.Collection;
import java.util.function.Predicate;

/**
 * When {@link Machine#run(Until)} stops, besides the machine's own stops (hlt, fault, ...): after
 * a number of further steps, or at an instruction boundary whose next instruction matches. A
 * condition on the next instruction is checked before it runs (as a breakpoint is), never before
 * the first one of the call, so running on from a stop makes progress.
 */
public final class Until {
    /** No condition, no step count: the machine's own stops and the spec's limit. */
    static final Until FOREVER = new Until(Long.MAX_VALUE, null);

    private final long steps;
    private final Predicate<Machine> before;
    /** The stop reason reported when the condition holds. */
    private final StopReason reason;

    private Until(long steps, Predicate<Machine> before) {
        this(steps, before, StopReason.UNTIL);
    }

    private Until(long steps, Predicate<Machine> before, StopReason reason) {
        this.steps = steps;
        this.before = before;
        this.reason = reason;
    }

    /** At most {@code n} more instructions. */
    public static Until steps(long n) {
        return new Until(n, null);
    }

    /** Before an instruction at one of these code indices. */
    public static Until indices(BitSet indices) {
        BitSet copy = (BitSet) indices.clone();
        return new Until(Long.MAX_VALUE, m -> {
            int i = m.currentIndex();
            return i >= 0 && copy.get(i);
        });
    }

    /** Before the instruction at one of these addresses. */
    public static Until addresses(Program program, Collection<Long> addresses) {
        BitSet indices = new BitSet();
        for (long a : addresses) {
            int i = program.indexOf(a);
            if (i >= 0) {
                indices.set(i);
            }
        }
        return indices(indices);
    }

    /** Before an instruction emitted by {@code file:line} (a macro-body line matches in every expansion). */
    public static Until line(Program program, String file, int line) {
        BitSet indices = new BitSet();
        Insn[] code = program.code();
        for (int i = 0; i < code.length; i++) {
            if (code[i].origin != null && code[i].origin.pos().line() == line && code[i].origin.pos().file().equals(file)) {
                indices.set(i);
            }
        }
        return indices(indices);
    }

    /** Before the next instruction when {@code condition} holds of the machine. */
    public static Until when(Predicate<Machine> condition) {
        return new Until(Long.MAX_VALUE, condition);
    }

    /** This condition or at most {@code n} more steps, whichever comes first. */
    public Until orSteps(long n) {
        return new Until(Math.min(steps, n), before, reason);
    }

    /**
     * This condition, reported as {@code stop} when it holds (a scenario's "back in the
     * interrupted context" is a {@link StopReason#RETURN_TO_USER}, not a debugger's stop).
     */
    public Until reportedAs(StopReason stop) {
        return new Until(steps, before, stop);
    }

    StopReason reason() {
        return reason;
    }

    long steps() {
        return steps;
    }

    /** Null when only a step count limits the run (the fast path). */
    Predicate<Machine> before() {
        return before;
    }
}

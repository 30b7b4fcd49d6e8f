package io.entrysim.macro;

import io.entrysim.diag.AsmError;
import io.entrysim.diag.Origin;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The stack of open conditionals (gas cond.c). Each frame remembers the macro nesting level it
 * was opened at, because gas lets a conditional outlive nothing: leaving a macro with one still
 * open is an error, and {@code .exitm} silently drops those of the macro it leaves.
 */
final class ConditionStack {
    private static final class Frame {
        final Origin ifAt;
        final int nest;
        boolean ignoring;
        boolean deadTree;
        boolean elseSeen;

        Frame(Origin ifAt, int nest, boolean deadTree) {
            this.ifAt = ifAt;
            this.nest = nest;
            this.deadTree = deadTree;
        }
    }

    private final Deque<Frame> frames = new ArrayDeque<>();

    /** True while the current branch is not assembled. */
    boolean ignoring() {
        Frame top = frames.peek();
        return top != null && top.ignoring;
    }

    /** Opens a conditional; {@code condition} is only consulted when the enclosing branch is live. */
    void push(Origin at, int nest, boolean condition) {
        Frame f = new Frame(at, nest, ignoring());
        f.ignoring = f.deadTree || !condition;
        frames.push(f);
    }

    /**
     * Starts an {@code .elseif} branch.
     *
     * @return true when its condition must be evaluated (no earlier branch was taken)
     */
    boolean elseIf(Origin at) {
        Frame f = frames.peek();
        if (f == null) {
            throw new AsmError(at, "\".elseif\" without matching \".if\"");
        }
        if (f.elseSeen) {
            throw new AsmError(at, "\".elseif\" after \".else\"");
        }
        f.deadTree |= !f.ignoring;
        f.ignoring = f.deadTree;
        return !f.ignoring;
    }

    /** Records the value of the condition of the {@code .elseif} just started. */
    void elseIfResult(boolean condition) {
        frames.peek().ignoring = !condition;
    }

    void otherwise(Origin at) {
        Frame f = frames.peek();
        if (f == null) {
            throw new AsmError(at, "\".else\" without matching \".if\"");
        }
        if (f.elseSeen) {
            throw new AsmError(at, "duplicate \".else\"");
        }
        f.ignoring = f.deadTree || !f.ignoring;
        f.elseSeen = true;
    }

    void end(Origin at) {
        if (frames.isEmpty()) {
            throw new AsmError(at, "\".endif\" without \".if\"");
        }
        frames.pop();
    }

    /** At the end of a macro expansion running at {@code nest}: gas's {@code cond_finish_check}. */
    void checkMacroEnd(int nest) {
        Frame f = frames.peek();
        if (f != null && f.nest >= nest) {
            throw new AsmError(f.ifAt, "end of macro inside conditional");
        }
    }

    /** {@code .exitm}: drops the conditionals opened inside the expansion being left. */
    void exitMacro(int nest) {
        while (!frames.isEmpty() && frames.peek().nest >= nest) {
            frames.pop();
        }
    }

    void clear() {
        frames.clear();
    }

    void checkEndOfInput() {
        Frame f = frames.peek();
        if (f != null) {
            throw new AsmError(f.ifAt, "end of file inside conditional");
        }
    }
}

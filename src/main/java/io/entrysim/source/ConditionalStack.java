package io.entrysim.source;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The {@code #if} nesting, with libcpp's bookkeeping: each level remembers whether the enclosing
 * text was being skipped and whether a later branch may still be taken ({@code skipElses}).
 */
final class ConditionalStack {
    static final class Level {
        String kind;              // "if", "ifdef", "ifndef", then "elif"/"else" as branches go by
        final int line;           // where the opener's directive name is, in its file
        final int col;
        final boolean wasSkipping;
        boolean skipElses;

        Level(String kind, int line, int col, boolean wasSkipping) {
            this.kind = kind;
            this.line = line;
            this.col = col;
            this.wasSkipping = wasSkipping;
        }
    }

    private final Deque<Level> levels = new ArrayDeque<>();
    private boolean skipping;

    boolean skipping() {
        return skipping;
    }

    int depth() {
        return levels.size();
    }

    Level top() {
        return levels.peek();
    }

    /** Opens a level; {@code value} is ignored when already skipping (it was not evaluated). */
    void open(String kind, PpToken at, boolean value) {
        Level level = new Level(kind, at.line(), at.col(), skipping);
        level.skipElses = skipping || value;
        skipping = skipping || !value;
        levels.push(level);
    }

    /** {@code #elif}-style branch; {@code condition} is asked only when this branch could be taken. */
    void elseIf(String kind, java.util.function.BooleanSupplier condition) {
        Level level = levels.peek();
        level.kind = kind;
        if (level.skipElses) {
            skipping = true;
        } else {
            skipping = !condition.getAsBoolean();
            level.skipElses = !skipping;
        }
    }

    void otherwise() {
        Level level = levels.peek();
        level.kind = "else";
        skipping = level.skipElses;
        level.skipElses = true;
    }

    Level close() {
        Level level = levels.pop();
        skipping = level.wasSkipping;
        return level;
    }
}

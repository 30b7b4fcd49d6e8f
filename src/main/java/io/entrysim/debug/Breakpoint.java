package io.entrysim.debug;

import java.util.BitSet;

/**
 * A breakpoint: the code indices it stops before (every expansion of a macro-body line, a
 * label's instruction, the first instruction of each expansion of a macro...), an optional
 * condition, and gdb's bookkeeping (enabled, temporary, hit count).
 */
public final class Breakpoint {
    private final int number;
    private final String spec;
    private final String where;
    private final BitSet indices;
    private final boolean temporary;
    private final java.util.function.ToIntFunction<io.entrysim.assemble.Insn> level;
    private DebugExpression condition;
    private boolean enabled = true;
    private long hits;

    private final int line;

    Breakpoint(int number, String spec, String where, BitSet indices, boolean temporary, DebugExpression condition,
               java.util.function.ToIntFunction<io.entrysim.assemble.Insn> level, int line) {
        this.level = level;
        this.line = line;
        this.number = number;
        this.spec = spec;
        this.where = where;
        this.indices = indices;
        this.temporary = temporary;
        this.condition = condition;
    }

    public int number() {
        return number;
    }

    /** What the user typed after {@code break} (without the condition). */
    public String spec() {
        return spec;
    }

    /** Where it resolved to, in words ({@code file switch-to-user.S, line 22, 2 locations}). */
    public String where() {
        return where;
    }

    /** The code indices it stops before (a copy). */
    public BitSet indices() {
        return (BitSet) indices.clone();
    }

    boolean covers(int index) {
        return index >= 0 && indices.get(index);
    }

    /** For a FILE:LINE breakpoint, the line it stops at (the next line with code when the one named has none); else -1. */
    public int line() {
        return line;
    }

    /** The frame level a hit at {@code insn} shows: that of the line the breakpoint names. */
    int levelAt(io.entrysim.assemble.Insn insn) {
        return level.applyAsInt(insn);
    }

    public int locations() {
        return indices.cardinality();
    }

    public boolean temporary() {
        return temporary;
    }

    public DebugExpression condition() {
        return condition;
    }

    void setCondition(DebugExpression condition) {
        this.condition = condition;
    }

    public boolean enabled() {
        return enabled;
    }

    void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public long hits() {
        return hits;
    }

    void hit() {
        hits++;
    }
}

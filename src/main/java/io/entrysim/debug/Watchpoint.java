package io.entrysim.debug;

/**
 * A watchpoint: an expression whose value is compared after every instruction; a change stops
 * the run with the old and the new value. {@link #last} is the value at the current state.
 */
public final class Watchpoint {
    private final int number;
    private final DebugExpression expression;
    private long last;
    private boolean enabled = true;
    private long hits;

    Watchpoint(int number, DebugExpression expression, long current) {
        this.number = number;
        this.expression = expression;
        this.last = current;
    }

    public int number() {
        return number;
    }

    public DebugExpression expression() {
        return expression;
    }

    public long last() {
        return last;
    }

    void setLast(long value) {
        last = value;
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

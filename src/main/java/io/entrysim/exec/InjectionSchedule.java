package io.entrysim.exec;

import java.util.Arrays;

/**
 * Events to inject at instruction boundaries, sorted by step (ties keep insertion order). The
 * executor asks {@link #nextStep()} once per boundary, a field read, so a run with nothing
 * scheduled costs nothing; {@link #rewind()} makes the schedule apply again to the next run.
 */
final class InjectionSchedule {
    private long[] steps = new long[4];
    private int[] vectors = new int[4];
    private int count;
    private int cursor;
    private long next = Long.MAX_VALUE;

    void add(long step, int vector) {
        if (count == steps.length) {
            steps = Arrays.copyOf(steps, count * 2);
            vectors = Arrays.copyOf(vectors, count * 2);
        }
        int at = count;
        while (at > cursor && steps[at - 1] > step) {
            at--; // never before the cursor: events there were taken already
        }
        System.arraycopy(steps, at, steps, at + 1, count - at);
        System.arraycopy(vectors, at, vectors, at + 1, count - at);
        steps[at] = step;
        vectors[at] = vector;
        count++;
        refresh();
    }

    /** A copy with the same events and position, for the executor's state snapshot. */
    InjectionSchedule copy() {
        InjectionSchedule c = new InjectionSchedule();
        c.steps = steps.clone();
        c.vectors = vectors.clone();
        c.count = count;
        c.cursor = cursor;
        c.next = next;
        return c;
    }

    /** Becomes a copy of {@code other}. */
    void setTo(InjectionSchedule other) {
        if (steps.length < other.count) {
            steps = new long[other.steps.length];
            vectors = new int[other.vectors.length];
        }
        System.arraycopy(other.steps, 0, steps, 0, other.count);
        System.arraycopy(other.vectors, 0, vectors, 0, other.count);
        count = other.count;
        cursor = other.cursor;
        next = other.next;
    }

    void clear() {
        count = 0;
        cursor = 0;
        refresh();
    }

    void rewind() {
        // Events added while running may sit out of order before a taken one: re-sort (stable).
        for (int i = 1; i < count; i++) {
            long s = steps[i];
            int v = vectors[i];
            int j = i;
            while (j > 0 && steps[j - 1] > s) {
                steps[j] = steps[j - 1];
                vectors[j] = vectors[j - 1];
                j--;
            }
            steps[j] = s;
            vectors[j] = v;
        }
        cursor = 0;
        refresh();
    }

    /** The step of the next event not yet taken, or {@link Long#MAX_VALUE}. */
    long nextStep() {
        return next;
    }

    /** Step of the event {@link #take()} returns next. */
    long peekStep() {
        return steps[cursor];
    }

    /** The next event's vector; moves past it. */
    int take() {
        int v = vectors[cursor++];
        refresh();
        return v;
    }

    private void refresh() {
        next = cursor < count ? steps[cursor] : Long.MAX_VALUE;
    }
}

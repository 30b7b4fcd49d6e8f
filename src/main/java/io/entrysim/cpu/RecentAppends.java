package io.entrysim.cpu;

/**
 * The last few appends made to {@link PersistentLog}s, by the log appended to. A sweep restores
 * the same log and makes the same appends run after run: handing back the log made the first
 * time (it is immutable, so sharing it is exact) allocates nothing. The caller checks that the
 * remembered entry is the one it would append; a miss costs a scan of a few slots.
 */
public final class RecentAppends<T> {
    private static final int SLOTS = 16;

    private final Object[] before = new Object[SLOTS];
    private final Object[] after = new Object[SLOTS];
    private int next;

    /** The first remembered append to {@code log} at slot {@code from} or later, or -1. */
    public int find(PersistentLog<T> log, int from) {
        for (int i = from; i < SLOTS; i++) {
            if (before[i] == log) {
                return i;
            }
        }
        return -1;
    }

    /** The log slot {@code i}'s append made. */
    @SuppressWarnings("unchecked")
    public PersistentLog<T> made(int i) {
        return (PersistentLog<T>) after[i];
    }

    /** Remembers that appending to {@code log} made {@code appended} (the oldest slot goes). */
    public void remember(PersistentLog<T> log, PersistentLog<T> appended) {
        before[next] = log;
        after[next] = appended;
        next = (next + 1) % SLOTS;
    }
}

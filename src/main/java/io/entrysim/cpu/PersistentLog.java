package io.entrysim.cpu;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * An append-only log as an immutable persistent list: appending shares the older entries, so a
 * snapshot keeps a log by reference (O(1)) and restoring it is exact even after the live log
 * was rewound to an older state in between. The CPU keeps its CR3 writes and rule violations
 * this way; the executor the sites of a run's CR3 writes.
 */
public final class PersistentLog<T> {
    private static final PersistentLog<Object> EMPTY = new PersistentLog<>(null, null, 0);

    private final T last;
    private final PersistentLog<T> before;
    private final int size;

    private PersistentLog(T last, PersistentLog<T> before, int size) {
        this.last = last;
        this.before = before;
        this.size = size;
    }

    @SuppressWarnings("unchecked")
    public static <T> PersistentLog<T> empty() {
        return (PersistentLog<T>) EMPTY;
    }

    public PersistentLog<T> append(T entry) {
        return new PersistentLog<>(entry, this, size + 1);
    }

    public int size() {
        return size;
    }

    /** The most recent entry, or null if none. */
    public T last() {
        return last;
    }

    /** The entries older than {@link #last()}. */
    public PersistentLog<T> before() {
        return size == 0 ? this : before;
    }

    /** Oldest first. */
    public List<T> toList() {
        return since(empty());
    }

    /**
     * The entries appended after the newest state this log shares with {@code older} (normally
     * {@code older} is a prefix: the entries added since), oldest first.
     */
    public List<T> since(PersistentLog<T> older) {
        if (older == this) {
            return List.of();
        }
        PersistentLog<T> a = this;
        PersistentLog<T> b = older;
        while (b.size > a.size) {
            b = b.before;
        }
        // The common ancestor: walk both back until they meet (no restore in between: at once).
        PersistentLog<T> common = b;
        PersistentLog<T> x = a;
        while (x.size > common.size) {
            x = x.before;
        }
        while (x != common) { // diverged (a restore in between): back to the common ancestor
            x = x.before;
            common = common.before;
        }
        int n = a.size - common.size;
        Object[] out = new Object[n];
        for (PersistentLog<T> e = a; e != common; e = e.before) {
            out[--n] = e.last;
        }
        @SuppressWarnings("unchecked")
        List<T> list = (List<T>) Arrays.asList(out);
        return Collections.unmodifiableList(list);
    }

    @Override
    public String toString() {
        return toList().toString();
    }
}

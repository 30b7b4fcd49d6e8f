package io.entrysim.cpu;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The CR3 writes so far, as an immutable persistent list: appending shares the older entries,
 * so a CPU snapshot keeps the log by reference (O(1)) and restoring it is exact even after the
 * live log was rewound to an older state in between.
 */
public final class Cr3Log {
    public static final Cr3Log EMPTY = new Cr3Log(null, null, 0);

    private final Cr3Write last;
    private final Cr3Log before;
    private final int size;

    private Cr3Log(Cr3Write last, Cr3Log before, int size) {
        this.last = last;
        this.before = before;
        this.size = size;
    }

    public Cr3Log append(Cr3Write write) {
        return new Cr3Log(write, this, size + 1);
    }

    public int size() {
        return size;
    }

    /** The most recent write, or null if none. */
    public Cr3Write last() {
        return last;
    }

    /** Oldest first. */
    public List<Cr3Write> toList() {
        List<Cr3Write> out = new ArrayList<>(size);
        for (Cr3Log l = this; l.size > 0; l = l.before) {
            out.add(l.last);
        }
        Collections.reverse(out);
        return Collections.unmodifiableList(out);
    }

    /** The writes appended after {@code older} (which must be a prefix of this log), oldest first. */
    public List<Cr3Write> since(Cr3Log older) {
        if (size <= older.size) {
            return List.of();
        }
        List<Cr3Write> out = new ArrayList<>(size - older.size);
        for (Cr3Log l = this; l.size > older.size; l = l.before) {
            out.add(l.last);
        }
        Collections.reverse(out);
        return Collections.unmodifiableList(out);
    }

    @Override
    public String toString() {
        return toList().toString();
    }
}

package io.entrysim.cpu;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Rule violations found while running (a lost TLB flush, PCID bits without PCIDE, ...), as an
 * immutable persistent list like {@link Cr3Log}: the CPU keeps it so a {@link CpuSnapshot}
 * holds it by reference and restoring rewinds it exactly. Entries are supplied by the executor
 * (which knows instructions and source lines); the CPU only stores them.
 */
public final class ViolationLog {
    /** One violation: a short kind ("lost-flush") and a message for people. */
    public interface Entry {
        String kind();

        String message();
    }

    public static final ViolationLog EMPTY = new ViolationLog(null, null, 0);

    private final Entry last;
    private final ViolationLog before;
    private final int size;

    private ViolationLog(Entry last, ViolationLog before, int size) {
        this.last = last;
        this.before = before;
        this.size = size;
    }

    public ViolationLog append(Entry entry) {
        return new ViolationLog(entry, this, size + 1);
    }

    public int size() {
        return size;
    }

    /** Oldest first. */
    public List<Entry> toList() {
        return since(EMPTY);
    }

    /**
     * The entries appended after the newest state this log shares with {@code older} (normally
     * {@code older} is a prefix: the entries added since), oldest first.
     */
    public List<Entry> since(ViolationLog older) {
        ViolationLog a = this;
        ViolationLog b = older;
        List<Entry> out = new ArrayList<>();
        while (a.size > b.size) {
            out.add(a.last);
            a = a.before;
        }
        while (b.size > a.size) {
            b = b.before;
        }
        while (a != b) { // diverged (a restore in between): back to the common ancestor
            out.add(a.last);
            a = a.before;
            b = b.before;
        }
        Collections.reverse(out);
        return Collections.unmodifiableList(out);
    }

    @Override
    public String toString() {
        return toList().toString();
    }
}

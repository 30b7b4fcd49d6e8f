package io.entrysim.exec;

import io.entrysim.assemble.Insn;
import io.entrysim.cpu.Cr3Write;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Which instruction made each CR3 write of a run, as an immutable persistent list (like the
 * CPU's {@code Cr3Log}): appending shares the older entries, so the executor's state snapshot
 * holds it by reference and a restore is exact. It lives with the run, so a sweep that restores
 * and reruns a million times keeps nothing alive.
 */
final class Cr3Sites {
    static final Cr3Sites EMPTY = new Cr3Sites(null, null, 0);

    private final Cr3WriteSite last;
    private final Cr3Sites before;
    private final int size;

    private Cr3Sites(Cr3WriteSite last, Cr3Sites before, int size) {
        this.last = last;
        this.before = before;
        this.size = size;
    }

    Cr3Sites append(Cr3Write write, Insn insn) {
        return new Cr3Sites(new Cr3WriteSite(write, insn), this, size + 1);
    }

    /** The instruction that made {@code write} (by identity), or null if it was not made in this run. */
    Insn siteOf(Cr3Write write) {
        for (Cr3Sites s = this; s.size > 0; s = s.before) {
            if (s.last.write() == write) {
                return s.last.insn();
            }
        }
        return null;
    }

    /** Oldest first. */
    List<Cr3WriteSite> toList() {
        List<Cr3WriteSite> out = new ArrayList<>(size);
        for (Cr3Sites s = this; s.size > 0; s = s.before) {
            out.add(s.last);
        }
        Collections.reverse(out);
        return Collections.unmodifiableList(out);
    }
}

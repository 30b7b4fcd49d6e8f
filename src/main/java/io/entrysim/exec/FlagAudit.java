package io.entrysim.exec;

import io.entrysim.assemble.Insn;
import io.entrysim.cpu.Cpu;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/** Strict-flags bookkeeping: who left each flag undefined, and who read one while undefined. */
final class FlagAudit {
    private final Cpu cpu;
    private final Insn[] undefinedBy = new Insn[Long.SIZE];
    private final List<FlagViolation> violations = new ArrayList<>();
    private final BitSet reported = new BitSet();

    Insn current;
    int currentIndex;
    long step;

    FlagAudit(Cpu cpu) {
        this.cpu = cpu;
    }

    void reset() {
        violations.clear();
        reported.clear();
        Arrays.fill(undefinedBy, null);
    }

    /** The current instruction leaves {@code mask} undefined. */
    void undefined(long mask) {
        for (long m = mask; m != 0; m &= m - 1) {
            undefinedBy[Long.numberOfTrailingZeros(m)] = current;
        }
    }

    /** The current instruction reads {@code mask}; reported once per instruction index. */
    void read(long mask) {
        long bad = cpu.undefinedFlags() & mask;
        if (bad != 0 && !reported.get(currentIndex)) {
            reported.set(currentIndex);
            violations.add(new FlagViolation(current, currentIndex, step, bad,
                undefinedBy[Long.numberOfTrailingZeros(bad)]));
        }
    }

    /** What {@link #restore} puts back: the bookkeeping as of now. */
    record Saved(Insn[] undefinedBy, List<FlagViolation> violations, BitSet reported) {}

    Saved save() {
        return new Saved(undefinedBy.clone(), List.copyOf(violations), (BitSet) reported.clone());
    }

    void restore(Saved s) {
        System.arraycopy(s.undefinedBy(), 0, undefinedBy, 0, undefinedBy.length);
        violations.clear();
        violations.addAll(s.violations());
        reported.clear();
        reported.or(s.reported());
    }

    List<FlagViolation> violations() {
        return List.copyOf(violations);
    }
}

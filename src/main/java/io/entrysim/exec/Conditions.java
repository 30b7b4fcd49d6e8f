package io.entrysim.exec;

import static io.entrysim.cpu.Flags.CF;
import static io.entrysim.cpu.Flags.OF;
import static io.entrysim.cpu.Flags.PF;
import static io.entrysim.cpu.Flags.SF;
import static io.entrysim.cpu.Flags.ZF;

import io.entrysim.assemble.Cond;

/** Condition codes over RFLAGS (SDM Vol. 1, Appendix B, "EFLAGS Condition Codes"). */
final class Conditions {
    private Conditions() {}

    /** Flags read by each condition pair (indexed by ordinal / 2: O, B, E, BE, S, P, L, LE). */
    private static final long[] READS = {OF, CF, ZF, CF | ZF, SF, PF, SF | OF, ZF | SF | OF};

    static boolean holds(Cond cond, long rflags) {
        int c = cond.ordinal();
        boolean r = switch (c >> 1) {
            case 0 -> (rflags & OF) != 0;
            case 1 -> (rflags & CF) != 0;
            case 2 -> (rflags & ZF) != 0;
            case 3 -> (rflags & (CF | ZF)) != 0;
            case 4 -> (rflags & SF) != 0;
            case 5 -> (rflags & PF) != 0;
            case 6 -> ((rflags & SF) != 0) != ((rflags & OF) != 0);
            default -> (rflags & ZF) != 0 || ((rflags & SF) != 0) != ((rflags & OF) != 0);
        };
        return r ^ ((c & 1) != 0);
    }

    static long reads(Cond cond) {
        return READS[cond.ordinal() >> 1];
    }
}

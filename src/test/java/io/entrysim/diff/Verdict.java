package io.entrysim.diff;

import io.entrysim.cpu.Flags;
import io.entrysim.cpu.Reg;
import io.entrysim.diff.Programs.FinalState;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * How one program's two runs compare. Everything is compared: the 16 GPRs, RFLAGS' status flags,
 * DF and ID except the flags entrysim reports undefined at the end (their last writer left them
 * undefined, see {@code io.entrysim.exec.UndefinedFlags}), and the whole buffer.
 */
record Verdict(Kind kind, List<String> details) {
    enum Kind {
        /** Same final state. */
        AGREE,
        /** The host ran it cleanly and entrysim disagrees (different state, or stopped abnormally): a bug to shrink. */
        MISMATCH,
        /** The host faulted: the generator made an invalid program. */
        HOST_FAULT,
        /** entrysim saw a read of an undefined flag: the generator's flag model or entrysim's table is wrong. */
        UNDEFINED_FLAG_READ
    }

    static Verdict of(FinalState host, FinalState sim) {
        if (host.problem() != null) {
            return new Verdict(Kind.HOST_FAULT, List.of(host.problem()));
        }
        if (sim.problem() != null) {
            return sim.problem().startsWith("entrysim strict flags")
                ? new Verdict(Kind.UNDEFINED_FLAG_READ, List.of(sim.problem()))
                : new Verdict(Kind.MISMATCH, List.of(sim.problem()));
        }
        List<String> d = differences(host, sim);
        return new Verdict(d.isEmpty() ? Kind.AGREE : Kind.MISMATCH, d);
    }

    boolean mismatch() {
        return kind == Kind.MISMATCH;
    }

    private static List<String> differences(FinalState host, FinalState sim) {
        List<String> d = new ArrayList<>();
        for (int r = 0; r < Reg.COUNT; r++) {
            if (host.regs()[r] != sim.regs()[r]) {
                d.add(String.format("%%%-3s host 0x%016x  entrysim 0x%016x", Reg.name64(r), host.regs()[r], sim.regs()[r]));
            }
        }
        long compared = DiffLayout.COMPARED_FLAGS & ~sim.undefinedFlags();
        if (((host.rflags() ^ sim.rflags()) & compared) != 0) {
            d.add(String.format("rflags host [%s]  entrysim [%s]  (differ: %s; undefined, not compared: %s)",
                Flags.names(host.rflags() & compared), Flags.names(sim.rflags() & compared),
                Flags.names((host.rflags() ^ sim.rflags()) & compared), Flags.names(sim.undefinedFlags())));
        }
        ByteBuffer h = ByteBuffer.wrap(host.buffer()).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer s = ByteBuffer.wrap(sim.buffer()).order(ByteOrder.LITTLE_ENDIAN);
        for (int off = 0; off < DiffLayout.BUFFER_SIZE; off += 8) {
            if (h.getLong(off) != s.getLong(off)) {
                d.add(String.format("mem 0x%x host 0x%016x  entrysim 0x%016x (qword, little-endian)",
                    DiffLayout.BUFFER_BASE + off, h.getLong(off), s.getLong(off)));
            }
        }
        return d;
    }
}

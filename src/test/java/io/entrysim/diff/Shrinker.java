package io.entrysim.diff;

import io.entrysim.cpu.Flags;
import io.entrysim.cpu.Reg;
import io.entrysim.diff.Programs.GenProgram;
import io.entrysim.diff.Programs.InitialState;
import io.entrysim.diff.Programs.Unit;
import java.util.ArrayList;
import java.util.List;

/**
 * Delta debugging over a failing program's units: drop chunks of units (halving the chunk size
 * when no removal keeps the failure) until no single unit can go, then zero initial registers
 * that don't matter. Every round's candidates are judged in one batch, so a round costs one
 * native build. A candidate only counts if it still fails the same clean way (the host runs it
 * without a fault and entrysim reads no undefined flag), which keeps the operand setups,
 * flag definers and stack balance a program needs.
 */
final class Shrinker {
    /** Judges candidates: true for each one that still fails. */
    interface Oracle {
        List<Boolean> stillFails(List<GenProgram> candidates) throws Exception;
    }

    private Shrinker() {}

    static GenProgram shrink(GenProgram failing, Oracle oracle) throws Exception {
        List<Unit> units = failing.units();
        int chunk = Math.max(1, removable(units) / 2);
        while (removable(units) > 0) {
            int n = removable(units);
            chunk = Math.min(chunk, n);
            List<GenProgram> candidates = new ArrayList<>();
            for (int start = 0; start < n; start += chunk) {
                candidates.add(failing.withUnits(without(units, start, chunk)));
            }
            int hit = oracle.stillFails(candidates).indexOf(true);
            if (hit >= 0) {
                units = candidates.get(hit).units();
            } else if (chunk == 1) {
                break;
            } else {
                chunk /= 2;
            }
        }
        return simplifyState(failing.withUnits(dropUnusedLabels(units)), oracle);
    }

    static int removable(List<Unit> units) {
        return (int) units.stream().filter(u -> u.kind() != Unit.Kind.LABEL).count();
    }

    /** {@code units} without the removable units number {@code start} .. {@code start + count - 1}. */
    static List<Unit> without(List<Unit> units, int start, int count) {
        List<Unit> out = new ArrayList<>();
        int k = 0;
        for (Unit u : units) {
            if (u.kind() == Unit.Kind.LABEL) {
                out.add(u);
            } else {
                if (k < start || k >= start + count) {
                    out.add(u);
                }
                k++;
            }
        }
        return dropUnusedLabels(out);
    }

    /** Labels no remaining jump targets. */
    static List<Unit> dropUnusedLabels(List<Unit> units) {
        List<Unit> out = new ArrayList<>();
        for (Unit u : units) {
            if (u.kind() == Unit.Kind.LABEL) {
                String label = u.lines().get(0).substring(0, u.lines().get(0).length() - 1);
                boolean used = units.stream().anyMatch(j -> j.kind() == Unit.Kind.JUMP && j.lines().get(0).endsWith(" " + label));
                if (!used) {
                    continue;
                }
            }
            out.add(u);
        }
        return out;
    }

    /** Zeroes the initial registers (and clears the status flags) that the failure does not depend on. */
    private static GenProgram simplifyState(GenProgram p, Oracle oracle) throws Exception {
        List<GenProgram> candidates = new ArrayList<>();
        for (int r = 0; r < Reg.COUNT; r++) {
            if (r != Reg.RSP && p.initial().regs()[r] != 0) {
                candidates.add(p.withInitial(p.initial().withReg(r, 0)));
            }
        }
        InitialState s = p.initial();
        long plainFlags = Flags.FIXED1 | Flags.IF;
        if (s.rflags() != plainFlags) {
            candidates.add(p.withInitial(new InitialState(s.regs(), plainFlags, s.bufferSeed())));
        }
        if (candidates.isEmpty()) {
            return p;
        }
        List<Boolean> fails = oracle.stillFails(candidates);
        List<GenProgram> good = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            if (fails.get(i)) {
                good.add(candidates.get(i));
            }
        }
        if (good.isEmpty()) {
            return p;
        }
        // All the individually irrelevant ones together, else just the first.
        long[] regs = p.initial().regs().clone();
        long rflags = p.initial().rflags();
        for (GenProgram g : good) {
            for (int r = 0; r < Reg.COUNT; r++) {
                if (g.initial().regs()[r] == 0) {
                    regs[r] = 0;
                }
            }
            if (g.initial().rflags() == plainFlags) {
                rflags = plainFlags;
            }
        }
        GenProgram all = p.withInitial(new InitialState(regs, rflags, s.bufferSeed()));
        return oracle.stillFails(List.of(all)).get(0) ? all : good.get(0);
    }
}

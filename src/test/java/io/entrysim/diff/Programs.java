package io.entrysim.diff;

import java.util.ArrayList;
import java.util.List;

/** The data a differential run passes around: generated programs and the states around them. */
final class Programs {
    private Programs() {}

    /**
     * One shrinkable piece of a program. {@code CODE} and {@code JUMP} units can be dropped by the
     * shrinker; a {@code LABEL} (a jump target) stays while anything may jump to it. Lines spell
     * local labels with a {@code {L}} placeholder that rendering replaces by a per-program prefix.
     */
    record Unit(Kind kind, List<String> lines) {
        enum Kind { CODE, JUMP, LABEL }

        static Unit code(List<String> lines) {
            return new Unit(Kind.CODE, List.copyOf(lines));
        }
    }

    /** Registers in {@link io.entrysim.cpu.Reg} order, RFLAGS, and the seed of the buffer's contents. */
    record InitialState(long[] regs, long rflags, long bufferSeed) {
        InitialState withReg(int reg, long value) {
            long[] r = regs.clone();
            r[reg] = value;
            return new InitialState(r, rflags, bufferSeed);
        }
    }

    /**
     * A side's state after a run. {@code undefinedFlags} is entrysim's mask of flags whose last
     * writer left them undefined (0 on the native side); {@code problem} is a fault, a strict-flags
     * report or another reason the run does not count, else null.
     */
    record FinalState(long[] regs, long rflags, byte[] buffer, long undefinedFlags, String problem) {
        static FinalState failed(String problem) {
            return new FinalState(new long[16], 0, new byte[0], 0, problem);
        }
    }

    /** A generated program: {@code seed} regenerates it; {@code units} may be a shrunk subset. */
    record GenProgram(long seed, List<Unit> units, InitialState initial) {
        GenProgram withUnits(List<Unit> u) {
            return new GenProgram(seed, List.copyOf(u), initial);
        }

        GenProgram withInitial(InitialState s) {
            return new GenProgram(seed, units, s);
        }

        /** The program's lines, local labels prefixed with {@code labelPrefix}. */
        List<String> lines(String labelPrefix) {
            List<String> out = new ArrayList<>();
            for (Unit u : units) {
                for (String line : u.lines()) {
                    out.add(line.replace("{L}", labelPrefix));
                }
            }
            return out;
        }

        int instructionCount() {
            int n = 0;
            for (Unit u : units) {
                for (String line : u.lines()) {
                    if (!line.endsWith(":")) {
                        n++;
                    }
                }
            }
            return n;
        }
    }
}

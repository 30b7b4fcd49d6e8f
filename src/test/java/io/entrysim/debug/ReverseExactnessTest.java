package io.entrysim.debug;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.entrysim.session.Machine;
import io.entrysim.session.RunSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Reverse execution is exact: after any sequence of forward and reverse commands the machine is
 * in the state a fresh run reaches after the same number of steps. Sequences are random but
 * seeded (each failure names its seed and its commands), over a loop long enough to cross
 * several snapshot intervals.
 */
class ReverseExactnessTest {
    static final int SEQUENCES = 60;
    static final int COMMANDS = 12;

    @Test
    void anySequenceOfForwardAndReverseCommandsEqualsAFreshRun() {
        Machine machine = Machine.create(DebugPrograms.build(DebugPrograms.LOOP), RunSpec.defaults());
        for (int seed = 0; seed < SEQUENCES; seed++) {
            Random rnd = new Random(seed);
            Debugger d = new Debugger(machine);
            List<String> done = new ArrayList<>();
            for (int c = 0; c < COMMANDS; c++) {
                done.add(command(d, rnd));
                Machine fresh = DebugPrograms.freshRun(machine, d.step());
                assertEquals("", DebugPrograms.difference(d.machine(), fresh),
                        "seed " + seed + " after " + done + " at step " + d.step());
            }
        }
    }

    /** Runs one random command on {@code d}; returns what it ran. */
    private static String command(Debugger d, Random rnd) {
        switch (rnd.nextInt(11)) {
            case 0 -> {
                long n = 1 + rnd.nextInt(3000);
                d.stepi(n);
                return "stepi " + n;
            }
            case 1 -> {
                d.next(1);
                return "next";
            }
            case 2 -> {
                d.step(1);
                return "step";
            }
            case 3 -> {
                d.finish();
                return "finish";
            }
            case 4 -> {
                d.deleteAll();
                d.breakAt("t.S:3 if $rcx == " + rnd.nextInt(3000), false);
                d.cont();
                return "break+continue";
            }
            case 5 -> {
                long n = 1 + rnd.nextInt(3000);
                d.reverseStepi(n);
                return "reverse-stepi " + n;
            }
            case 6 -> {
                d.reverseStep();
                return "reverse-step";
            }
            case 7 -> {
                d.reverseNext();
                return "reverse-next";
            }
            case 8 -> {
                d.reverseFinish();
                return "reverse-finish";
            }
            case 9 -> {
                d.deleteAll();
                d.watch("$rcx == " + rnd.nextInt(3000));
                d.reverseContinue();
                return "watch+reverse-continue";
            }
            default -> {
                d.deleteAll();
                d.breakAt("t.S:11", false);
                d.reverseContinue();
                return "reverse-continue";
            }
        }
    }
}

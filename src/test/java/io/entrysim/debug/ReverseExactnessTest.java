package io.entrysim.debug;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrysim.kernel.MachineLayout;
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
        Machine machine = Machine.create(DebugPrograms.build(DebugPrograms.LOOP),
                RunSpec.defaults().withIdt(List.of(new MachineLayout.IdtEntry(2, "nmi_handler", 0))));
        boolean anNmiRan = false;
        for (int seed = 0; seed < SEQUENCES; seed++) {
            Random rnd = new Random(seed);
            Debugger d = new Debugger(machine);
            List<String> done = new ArrayList<>();
            List<Long> nmis = new ArrayList<>();
            for (int c = 0; c < COMMANDS; c++) {
                done.add(command(d, rnd, nmis));
                Machine fresh = Machine.create(machine.build(), machine.spec());
                nmis.forEach(fresh::injectNmiAt);
                for (long i = 0; i < d.step() && !fresh.finished(); i++) {
                    fresh.step();
                }
                assertEquals("", DebugPrograms.difference(d.machine(), fresh),
                        "seed " + seed + " after " + done + " at step " + d.step());
                anNmiRan |= d.machine().cpu().reg(io.entrysim.cpu.Reg.R15) > 0;
            }
        }
        assertTrue(anNmiRan, "some sequence ran the NMI handler (else the NMI commands proved nothing)");
    }

    /**
     * Runs one random command on {@code d}; returns what it ran. {@code nmis} mirrors the NMIs
     * asked for: one raised at step s arrives before step s + 1 and discards those of the
     * forgotten future.
     */
    private static String command(Debugger d, Random rnd, List<Long> nmis) {
        switch (rnd.nextInt(12)) {
            case 11 -> {
                long s = d.step();
                nmis.removeIf(at -> at > s + 1);
                nmis.add(s + 1);
                d.nmi();
                return "nmi at " + s;
            }
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

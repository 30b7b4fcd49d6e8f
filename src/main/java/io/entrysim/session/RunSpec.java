package io.entrysim.session;

import io.entrysim.exec.ExecOptions;
import io.entrysim.kernel.MachineLayout;
import java.util.List;

/**
 * Everything about a run beyond the build, as the user spells it (so every front door passes
 * the same strings the CLI options take): where it starts, the starting state, what happens
 * during it, and when it stops.
 *
 * @param entry         label to start at ({@code --entry}); null = the first instruction
 * @param sets          {@code --set REG=VALUE}
 * @param mems          {@code --mem ADDR_EXPR=VALUE[:SIZE]}
 * @param invalidations {@code --invalidate user-pcid=N}
 * @param idt           {@code --idt VECTOR=HANDLER[:IST]}, parsed ({@link RunOptionParsing#idt})
 * @param maxSteps      {@code --max-steps}
 * @param exec          strict flags, fault delivery, stub calls
 * @param exitToUser    the end of the run stands for a return to user mode (lost-flush check)
 * @param nmiAt         steps before which an NMI arrives (1-based, as trace step numbers)
 * @param irqAt         external interrupts: before which step, which vector ({@code --irq-at STEP=VECTOR})
 */
public record RunSpec(String entry, List<String> sets, List<String> mems, List<String> invalidations,
                      List<MachineLayout.IdtEntry> idt, long maxSteps, ExecOptions exec, boolean exitToUser,
                      List<Long> nmiAt, List<IrqAt> irqAt) {
    /** An external interrupt raised before step {@code step} with vector {@code vector}. */
    public record IrqAt(long step, int vector) {}

    public RunSpec(String entry, List<String> sets, List<String> mems, List<String> invalidations,
                   List<MachineLayout.IdtEntry> idt, long maxSteps, ExecOptions exec, boolean exitToUser,
                   List<Long> nmiAt) {
        this(entry, sets, mems, invalidations, idt, maxSteps, exec, exitToUser, nmiAt, List.of());
    }

    public static final long DEFAULT_MAX_STEPS = 1_000_000;

    public RunSpec {
        sets = List.copyOf(sets);
        mems = List.copyOf(mems);
        invalidations = List.copyOf(invalidations);
        idt = List.copyOf(idt);
        nmiAt = List.copyOf(nmiAt);
        irqAt = List.copyOf(irqAt);
    }

    public static RunSpec defaults() {
        return new RunSpec(null, List.of(), List.of(), List.of(), List.of(), DEFAULT_MAX_STEPS, ExecOptions.DEFAULT,
                false, List.of());
    }

    public RunSpec withIrqAt(List<IrqAt> irqs) {
        return new RunSpec(entry, sets, mems, invalidations, idt, maxSteps, exec, exitToUser, nmiAt, irqs);
    }

    public RunSpec withEntry(String label) {
        return new RunSpec(label, sets, mems, invalidations, idt, maxSteps, exec, exitToUser, nmiAt, irqAt);
    }

    public RunSpec withMaxSteps(long n) {
        return new RunSpec(entry, sets, mems, invalidations, idt, n, exec, exitToUser, nmiAt, irqAt);
    }

    public RunSpec withExec(ExecOptions options) {
        return new RunSpec(entry, sets, mems, invalidations, idt, maxSteps, options, exitToUser, nmiAt, irqAt);
    }

    public RunSpec withNmiAt(List<Long> steps) {
        return new RunSpec(entry, sets, mems, invalidations, idt, maxSteps, exec, exitToUser, steps, irqAt);
    }

    public RunSpec withSets(List<String> s) {
        return new RunSpec(entry, s, mems, invalidations, idt, maxSteps, exec, exitToUser, nmiAt, irqAt);
    }

    public RunSpec withMems(List<String> m) {
        return new RunSpec(entry, sets, m, invalidations, idt, maxSteps, exec, exitToUser, nmiAt, irqAt);
    }

    public RunSpec withInvalidations(List<String> i) {
        return new RunSpec(entry, sets, mems, i, idt, maxSteps, exec, exitToUser, nmiAt, irqAt);
    }

    public RunSpec withIdt(List<MachineLayout.IdtEntry> gates) {
        return new RunSpec(entry, sets, mems, invalidations, gates, maxSteps, exec, exitToUser, nmiAt, irqAt);
    }

    public RunSpec withExitToUser(boolean exit) {
        return new RunSpec(entry, sets, mems, invalidations, idt, maxSteps, exec, exit, nmiAt, irqAt);
    }
}

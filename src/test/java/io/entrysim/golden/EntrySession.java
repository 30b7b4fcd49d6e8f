package io.entrysim.golden;

import io.entrysim.cpu.Cpu;
import io.entrysim.exec.Violation;
import io.entrysim.kernel.UserPcidInvalidation;
import io.entrysim.session.Build;
import io.entrysim.session.Machine;
import io.entrysim.session.RunOutcome;
import java.util.List;

/**
 * One v4.15 machine in user mode about to run {@code entry} (see {@link EntryV415#userMachine}),
 * with a recorder that stays the same across runs: every {@link #run} restores the starting
 * snapshot, so a sweep over injection points builds nothing and allocates little. Calls into
 * the C side are stubs that clobber what C may clobber.
 */
final class EntrySession {
    final Build build;
    final Cpu cpu;
    final EntryRecorder rec;
    private final Machine machine;
    private final Machine.Snapshot start;
    private long irqStep;
    private int irqVector;
    private RunOutcome last;

    EntrySession(Build build, String entry) {
        this.build = build;
        this.machine = EntryV415.userMachine(build, entry, cpu -> { });
        this.cpu = machine.cpu();
        this.rec = new EntryRecorder(cpu);
        machine.setTracer(rec);
        this.start = machine.snapshot();
    }

    /**
     * The system call's C code changes this mm's page tables (munmap, say): when the
     * sys_call_table stub runs, v4.15's invalidate_user_asid() for kernel PCID 1 is done.
     */
    EntrySession invalidatingInSyscall() {
        return invalidatingIn("sys_call_table");
    }

    /** As {@link #invalidatingInSyscall()}, when the stub for {@code function} runs. */
    EntrySession invalidatingIn(String function) {
        rec.onCall(c -> {
            if (c.function().equals(function)) {
                UserPcidInvalidation.apply(cpu, (int) EntryV415.KERNEL_PCID,
                        UserPcidInvalidation.FlushMask.v415(EntryV415.FLUSH_MASK), "munmap in the system call");
            }
        });
        return this;
    }

    /** Also raise external interrupt {@code vector} before {@code step} in every run. */
    EntrySession interruptAt(long step, int vector) {
        this.irqStep = step;
        this.irqVector = vector;
        return this;
    }

    /** A fresh run from the starting state, with an NMI before each of the given (1-based) steps. */
    RunOutcome run(long... nmiBeforeStep) {
        machine.restore(start);
        rec.reset();
        if (irqStep > 0) {
            machine.injectAt(irqStep, irqVector);
        }
        for (long k : nmiBeforeStep) {
            machine.injectNmiAt(k);
        }
        last = machine.run();
        return last;
    }

    List<Violation> violations() {
        return last.violations();
    }
}

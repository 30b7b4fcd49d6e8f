package io.entrysim.golden;

import io.entrysim.cpu.Cpu;
import io.entrysim.cpu.CpuSnapshot;
import io.entrysim.exec.ExecOptions;
import io.entrysim.exec.Executor;
import io.entrysim.exec.RunResult;
import io.entrysim.exec.Violation;
import io.entrysim.kernel.UserPcidInvalidation;
import io.entrysim.session.Build;
import java.util.List;

/**
 * One v4.15 CPU in user mode about to run {@code entry} (see {@link EntryV415#userCpu}), with an
 * executor and a recorder that stay the same across runs: every {@link #run} restores the
 * starting snapshot, so a sweep over injection points builds nothing and allocates little.
 * Calls into the C side are stubs that clobber what C may clobber.
 */
final class EntrySession {
    final Build build;
    final Cpu cpu;
    final EntryRecorder rec;
    private final Executor executor;
    private final CpuSnapshot start;
    private final int entryIndex;
    private long irqStep;
    private int irqVector;

    EntrySession(Build build, String entry) {
        this.build = build;
        this.cpu = EntryV415.userCpu(build);
        this.rec = new EntryRecorder(cpu);
        this.executor = new Executor(build.program(), cpu, ExecOptions.DEFAULT.withStubCalls(ExecOptions.StubCalls.CLOBBER));
        this.executor.setListener(rec);
        this.start = cpu.snapshot();
        this.entryIndex = EntryV415.indexOf(build, entry);
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
    RunResult run(long... nmiBeforeStep) {
        cpu.restore(start);
        rec.reset();
        executor.clearInjections();
        if (irqStep > 0) {
            executor.injectAt(irqStep, irqVector);
        }
        for (long k : nmiBeforeStep) {
            executor.injectNmiAt(k);
        }
        return executor.run(entryIndex, 10_000);
    }

    List<Violation> violations() {
        return executor.violations();
    }
}

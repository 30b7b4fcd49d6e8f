package io.entrysim.exec;

import io.entrysim.assemble.Insn;
import io.entrysim.cpu.CpuFault;

/**
 * The outcome of one {@link Executor#step()}.
 *
 * @param insn the instruction executed or that faulted (null if there was none to run)
 * @param index its index (or the executor's index when there was none)
 * @param stop null if execution can simply go on, else why it stopped (never MAX_STEPS)
 * @param fault the fault when {@code stop == FAULT}
 */
public record StepResult(Insn insn, int index, StopReason stop, CpuFault fault) {
    public boolean stopped() {
        return stop != null;
    }
}

package io.entrysim.session;

import io.entrysim.assemble.Insn;
import io.entrysim.cpu.CpuFault;
import io.entrysim.diag.Origin;
import io.entrysim.exec.Cr3WriteSite;
import io.entrysim.exec.FlagViolation;
import io.entrysim.exec.StopReason;
import io.entrysim.exec.Violation;
import java.util.List;

/**
 * How a run ended (so far), as every front door reports it.
 *
 * @param stop why it stopped; null while it has not
 * @param steps instructions executed since the run began
 * @param fault the fault when {@code stop} is FAULT
 * @param faultingInsn the instruction the stop is about (see {@link io.entrysim.exec.RunResult})
 * @param lastInsn the last instruction that executed
 * @param cr3Writes every CR3 write of the run with the instruction that made it
 * @param flagViolations strict-flags reports
 * @param violations rule violations (lost flush, ...), oldest first
 * @param detail a sentence for stops that need one (return-to-user, undefined-function, ...)
 */
public record RunOutcome(StopReason stop, long steps, CpuFault fault, Insn faultingInsn, Insn lastInsn,
                         List<Cr3WriteSite> cr3Writes, List<FlagViolation> flagViolations,
                         List<Violation> violations, String detail) {

    public boolean maxStepsReached() {
        return stop == StopReason.MAX_STEPS;
    }

    /** Where the run was when it stopped, for diagnostics. */
    public Origin lastOrigin() {
        Insn i = faultingInsn != null ? faultingInsn : lastInsn;
        return i == null ? null : i.origin;
    }
}

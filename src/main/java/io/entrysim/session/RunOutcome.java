package io.entrysim.session;

import io.entrysim.assemble.Insn;
import io.entrysim.cpu.CpuFault;
import io.entrysim.cpu.Cr3Write;
import io.entrysim.diag.Origin;
import java.util.List;

/**
 * How a run ended, in the words users script against ({@code stop} is one of
 * {@code hlt ret end max-steps fault}), with each CR3 write tied to the instruction that did it.
 */
public record RunOutcome(String stop, long steps, CpuFault fault, Insn faultingInsn, Insn lastInsn,
                         List<Cr3WriteAt> cr3Writes, List<io.entrysim.exec.FlagViolation> flagViolations,
                         List<io.entrysim.exec.Violation> violations, String detail) {

    /** A CR3 write and the instruction (with its source line and macro chain) that made it. */
    public record Cr3WriteAt(Cr3Write write, Insn insn) {}

    public boolean maxStepsReached() {
        return stop.equals("max-steps");
    }

    /** Where the run was when it stopped, for diagnostics. */
    public Origin lastOrigin() {
        Insn i = faultingInsn != null ? faultingInsn : lastInsn;
        return i == null ? null : i.origin;
    }
}

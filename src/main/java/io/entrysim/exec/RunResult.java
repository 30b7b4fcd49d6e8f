package io.entrysim.exec;

import io.entrysim.assemble.Insn;
import io.entrysim.cpu.CpuFault;
import java.util.List;

/**
 * The outcome of {@link Executor#run} / {@link Executor#resume}.
 *
 * @param stop why it stopped
 * @param steps instructions executed (committed) by this call
 * @param fault the fault when {@code stop == FAULT}, else null
 * @param faultingInsn the instruction that faulted; for a transfer of control to an address with
 *     no code, the jump/call/ret that went there (it was executed; RIP is the bad address); for a
 *     fault while delivering an event at a boundary, the instruction that was about to run (null
 *     if none); for RETURN_TO_USER and COMPAT_MODE the sysret/iret that got there; for
 *     UNDEFINED_FUNCTION the stub
 * @param finalIndex index of the next instruction to run: {@code code.length} when ended, -1
 *     when RIP is not the address of an instruction
 * @param flagViolations strict-flags reports (first per instruction), empty when not strict
 * @param violations other rule violations found during the run (lost flush, ...), oldest first
 * @param detail for RETURN_TO_USER, COMPAT_MODE and UNDEFINED_FUNCTION a sentence saying what
 *     happened (e.g. "call to undefined function `do_nmi'"); null otherwise
 */
public record RunResult(StopReason stop, long steps, CpuFault fault, Insn faultingInsn, int finalIndex,
                        List<FlagViolation> flagViolations, List<Violation> violations, String detail) {
    public RunResult {
        flagViolations = List.copyOf(flagViolations);
        violations = List.copyOf(violations);
    }

    public RunResult(StopReason stop, long steps, CpuFault fault, Insn faultingInsn, int finalIndex,
                     List<FlagViolation> flagViolations) {
        this(stop, steps, fault, faultingInsn, finalIndex, flagViolations, List.of(), null);
    }

    @Override
    public String toString() {
        String s = stop + " after " + steps + " steps";
        if (fault != null) {
            s += ": " + fault.getMessage() + (faultingInsn == null ? "" : " ('" + faultingInsn.text + "')");
        }
        if (detail != null) {
            s += ": " + detail;
        }
        return s;
    }
}

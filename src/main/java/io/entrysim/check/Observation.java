package io.entrysim.check;

import io.entrysim.cpu.Cpu;
import io.entrysim.assemble.Insn;
import io.entrysim.exec.Cr3WriteSite;
import io.entrysim.session.Machine;
import io.entrysim.session.RunOutcome;
import java.util.List;
import java.util.Map;

/**
 * A finished run as expectations see it: the machine in its final state, how the run ended,
 * the registers as the run began, and the CR3 writes that count (an NMI sweep leaves out the
 * handler's own, so {@code cr3-writes == [...]} still speaks of the code under test).
 *
 * @param initial the registers {@link StateValues#NAMES} names, as the run began
 * @param initialRsp RSP as the run began (the entry frame)
 */
public record Observation(Machine machine, RunOutcome outcome, Map<String, Long> initial, long initialRsp,
                          List<Cr3WriteSite> cr3Writes) {
    public Cpu cpu() {
        return machine.cpu();
    }

    /** Where the run was when it stopped (the faulting or last instruction), for diagnostics. */
    public Insn where() {
        return outcome.faultingInsn() != null ? outcome.faultingInsn() : outcome.lastInsn();
    }
}

package io.entrysim.exec;

import io.entrysim.cpu.RuleViolation;
import io.entrysim.cpu.PersistentLog;
import io.entrysim.assemble.Insn;

/**
 * A rule the run broke without faulting, e.g. {@code lost-flush} (returning to user mode while
 * the user PCID still holds TLB entries the kernel asked to flush) or
 * {@code pcid-bits-without-pcid}. Kept in the CPU's violation log, so snapshots cover it.
 *
 * @param at the instruction where it was detected; null when detected outside an instruction
 *     (e.g. at the end of a run declared to exit to user mode with nothing executed)
 */
public record Violation(String kind, String message, Insn at) implements RuleViolation {
    public static final String LOST_FLUSH = "lost-flush";
    public static final String PCID_BITS_WITHOUT_PCID = "pcid-bits-without-pcid";

    /** {@code file:line} of {@link #at}, or null. */
    public String where() {
        return at == null || at.origin == null ? null : at.origin.pos().fileLine();
    }

    @Override
    public String toString() {
        String w = where();
        return (w == null ? "" : w + ": ") + kind + ": " + message;
    }
}

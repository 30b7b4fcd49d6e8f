package io.entrysim.exec;

import io.entrysim.assemble.Insn;
import io.entrysim.cpu.Flags;

/**
 * An instruction read status flags that were undefined (strict-flags mode).
 *
 * @param insn the reading instruction, {@code index} its index and {@code step} the step number
 * @param flags the undefined flags it read
 * @param undefinedBy the instruction that left (the first of) them undefined, or null if unknown
 *     (e.g. the state was set up that way)
 */
public record FlagViolation(Insn insn, int index, long step, long flags, Insn undefinedBy) {
    public String message() {
        String who = undefinedBy == null ? "" : " left undefined by '" + undefinedBy.text + "'"
            + (undefinedBy.origin == null ? "" : " at " + undefinedBy.origin.pos().fileLine());
        return "'" + insn.text + "' reads undefined " + Flags.names(flags) + who;
    }

    @Override
    public String toString() {
        return message();
    }
}

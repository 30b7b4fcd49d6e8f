package io.entrysim.assemble;

import io.entrysim.parse.InstructionStmt;
import io.entrysim.source.AsmError;
import java.util.List;
import java.util.Set;

/**
 * Instruction prefixes. {@code lock} changes nothing on entrysim's single modeled CPU (every
 * instruction is already atomic) so it is accepted; string-repeat prefixes need the string
 * instructions, which entrysim does not model, so they are rejected rather than ignored.
 */
final class Prefixes {
    private Prefixes() {}

    private static final Set<String> ACCEPTED = Set.of("lock");
    private static final Set<String> KNOWN = Set.of("lock", "rep", "repe", "repz", "repne", "repnz");

    static boolean isPrefixOnly(InstructionStmt i) {
        return KNOWN.contains(i.mnemonic()) && i.operands().isEmpty();
    }

    static void check(List<String> prefixes, InstructionStmt i) {
        for (String p : prefixes) {
            if (!ACCEPTED.contains(p)) {
                throw new AsmError(i.origin(), "prefix `" + p + "' is not supported by entrysim");
            }
        }
    }
}

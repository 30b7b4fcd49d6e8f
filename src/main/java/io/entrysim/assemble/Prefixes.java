package io.entrysim.assemble;

import io.entrysim.parse.InstructionStmt;
import io.entrysim.diag.AsmError;
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

    static boolean isPrefix(String m) {
        return KNOWN.contains(m);
    }

    static boolean isPrefixOnly(InstructionStmt i) {
        return KNOWN.contains(i.mnemonic()) && i.operands().isEmpty();
    }

    /** Instructions {@code lock} may prefix (with a memory destination); anything else is #UD on a CPU. */
    private static final Set<String> LOCKABLE = Set.of("add", "adc", "and", "btc", "btr", "bts", "cmpxchg",
            "cmpxchg8b", "cmpxchg16b", "dec", "inc", "neg", "not", "or", "sbb", "sub", "xor", "xadd", "xchg");

    static void check(List<String> prefixes, InstructionStmt i) {
        for (String p : prefixes) {
            if (!ACCEPTED.contains(p)) {
                throw new AsmError(i.origin(), "prefix `" + p + "' is not supported by entrysim");
            }
            if (p.equals("lock") && !lockable(i)) {
                throw new AsmError(i.origin(), "expecting lockable instruction after `lock'");
            }
        }
    }

    private static boolean lockable(InstructionStmt i) {
        Mnemonic m = Mnemonics.resolve(i.mnemonic());
        if (m == null || i.operands().isEmpty()) {
            return false;
        }
        String base = m.op().name().toLowerCase(java.util.Locale.ROOT);
        if (!LOCKABLE.contains(base)) {
            return false;
        }
        // xchg is symmetric: the memory operand may be written on either side
        List<io.entrysim.parse.OperandAst> ops = base.equals("xchg") ? i.operands()
                : i.operands().subList(i.operands().size() - 1, i.operands().size());
        return ops.stream().anyMatch(op -> op instanceof io.entrysim.parse.OperandAst.MemAst);
    }
}

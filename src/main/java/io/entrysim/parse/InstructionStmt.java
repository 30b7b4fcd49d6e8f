package io.entrysim.parse;

import com.google.common.collect.ImmutableList;
import io.entrysim.diag.Origin;
import java.util.List;

/**
 * An instruction as written: {@code mnemonic} lower-cased including any size suffix ("movq",
 * "jnc", "movzbl"); {@code prefixes} such as "lock" or "rep" written before it on the same line.
 * A prefix alone on a line ({@code lock}) is a statement whose mnemonic is the prefix.
 * {@code text} is the statement as written (whitespace runs collapsed), for traces.
 */
public record InstructionStmt(List<String> prefixes, String mnemonic, List<OperandAst> operands,
                              String text, Origin origin) implements Statement {
    public InstructionStmt {
        prefixes = ImmutableList.copyOf(prefixes);
        operands = ImmutableList.copyOf(operands);
    }
}

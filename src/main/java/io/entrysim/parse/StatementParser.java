package io.entrysim.parse;

import io.entrysim.diag.AsmError;
import io.entrysim.source.SourceLine;
import java.util.List;

/**
 * Parses one expanded source line (labels, an instruction or directive, or an assignment; several
 * separated by ';' are accepted too) into statements. Reuses one lexer/parser, so an instance is
 * not thread-safe; create one per thread.
 */
public final class StatementParser {
    private final AntlrLine antlr = new AntlrLine(false);

    /** @throws AsmError at the column of the offending token, worded like gas */
    public List<Statement> parse(SourceLine line) {
        GasParser.LineContext tree = antlr.parse(line.text(), line.origin(), GasParser::line);
        return new StatementBuilder(line.text(), line.origin()).build(tree);
    }

    /** Lines so far that the fast SLL pass could not parse (for tests: valid input needs none). */
    int llFallbacks() {
        return antlr.llFallbacks();
    }
}

package io.entrysim.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrysim.assemble.Encoder;
import io.entrysim.assemble.Encoding.Request;
import io.entrysim.assemble.Insn;
import io.entrysim.assemble.Op;
import io.entrysim.parse.Expr;
import io.entrysim.parse.InstructionStmt;
import io.entrysim.parse.Statement;
import io.entrysim.parse.StatementParser;
import io.entrysim.session.Build;
import io.entrysim.source.SourceLine;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every instruction of the real v4.15 entry code, as entrysim decodes it, has an encoding (the
 * byte-exact comparison with gas is {@code diff.EncoderDifferentialTest}; gas cannot assemble this
 * build, whose headers are entrysim's shims).
 */
class EntryV415EncodingTest {
    @Test
    void everyInstructionOfTheEntryCodeEncodes() {
        Build b = EntryV415.build("PTI", "PCID");
        StatementParser parser = new StatementParser();
        List<String> problems = new ArrayList<>();
        int encoded = 0;
        for (Insn insn : b.program().code()) {
            if (insn.op == Op.STUB) {
                continue;
            }
            InstructionStmt stmt = null;
            for (Statement s : parser.parse(new SourceLine(insn.text, insn.origin))) {
                if (s instanceof InstructionStmt i) {
                    stmt = i;
                }
            }
            // constant only where a bare number is written: the rest takes the 32-bit fields
            Request r = Request.of(insn, stmt, List.of(), e -> e instanceof Expr.Num n ? n.value() : null);
            if (r.isDirectBranch()) {
                r = r.branch(r.address(), false);
            }
            try {
                byte[] bytes = Encoder.encode(r);
                assertEquals(bytes.length, Encoder.length(r), insn.text);
                encoded++;
            } catch (RuntimeException e) {
                problems.add(insn.text + ": " + e);
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertTrue(encoded > 300, "encoded " + encoded);
    }
}

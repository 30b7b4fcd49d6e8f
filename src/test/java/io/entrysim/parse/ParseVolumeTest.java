package io.entrysim.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.entrysim.bench.Workloads;
import io.entrysim.source.SourceLine;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A whole expanded entry file is ~20k statements: they parse, and valid lines never need the
 * slow LL pass (what keeps the parser fast). Speed is measured by bin/bench (ParseBenchmark, the
 * same lines), never by a timed test.
 */
class ParseVolumeTest {
    @Test
    void twentyThousandStatementsParseWithoutTheLlPass() {
        List<SourceLine> lines = Workloads.parseLines();
        assertEquals(20_000, lines.size());
        StatementParser parser = new StatementParser();
        // "661: jmp ..." is a label and an instruction: one line in 16 gives two statements.
        assertEquals(20_000 + 20_000 / 16, parseAll(parser, lines));
        assertEquals(20_000 + 20_000 / 16, parseAll(parser, lines), "a reused parser gives the same statements");
        assertEquals(0, parser.llFallbacks(), "valid lines should never need the LL pass");
    }

    private static int parseAll(StatementParser parser, List<SourceLine> lines) {
        int n = 0;
        for (SourceLine l : lines) {
            n += parser.parse(l).size();
        }
        return n;
    }
}

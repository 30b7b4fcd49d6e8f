package io.entrysim.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.entrysim.source.Origin;
import io.entrysim.source.SourceLine;
import io.entrysim.source.SourcePos;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A whole expanded entry file is ~20k statements: they parse, and valid lines never need the
 * slow LL pass (what keeps the parser fast). Speed is measured by bin/bench (ParseBenchmark, the
 * same shapes), never by a timed test.
 */
class ParseVolumeTest {
    private static final String[] SHAPES = {
        "movq %rsp, %gs:cpu_tss_rw+4",
        "pushq $__USER_DS",
        "movq %cr3, %rax",
        ".Lend_%d:",
        "andq $(~0x1800), %rdi",
        "bt $63, %rax",
        "jnc .Lnoflush_%d",
        "movq 5*8(%rdx), %rax",
        "call *sys_call_table(, %rax, 8)",
        ".pushsection .altinstructions,\"a\"",
        ".long 661b - .",
        ".skip -(((6651f-6641f)-(662b-661b)) > 0) * ((6651f-6641f)-(662b-661b)),0x90",
        "661: jmp .Lend_%d",
        "lock btsq $0, (%rdi)",
        ".popsection",
        "x_%d = 1 << 12",
    };

    @Test
    void twentyThousandStatementsParseWithoutTheLlPass() {
        List<SourceLine> lines = new ArrayList<>();
        for (int i = 0; lines.size() < 20_000; i++) {
            String text = SHAPES[i % SHAPES.length].replace("%d", Integer.toString(i));
            lines.add(new SourceLine(text, Origin.at(new SourcePos("perf.S", i + 1, 1))));
        }
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

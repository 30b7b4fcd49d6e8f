package io.entrysim.macro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrysim.source.SourceLine;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Expansion must stay linear: ~10k input lines in milliseconds. */
class ExpansionPerformanceTest {
    @Test
    void tenThousandLinesExpandQuickly() {
        StringBuilder src = new StringBuilder(String.join("\n",
                ".macro SAVE reg:req, base=%rsp, offset=0",
                "\tmovq %r\\reg, \\offset(\\base) ; addq $8, \\base",
                " .if \\base == %rsp",
                ".Lsaved_\\@: nop",
                " .endif",
                ".endm",
                ".macro WRAP n",
                "\tSAVE \\n, offset=\\n*8",
                ".endm\n"));
        int calls = 3000;
        for (int i = 0; i < calls; i++) {
            src.append("WRAP ").append(8 + i % 8).append('\n');
            src.append("\tmovq %rax, ").append(i).append("(%rbx)  # plain line\n");
            src.append("1: xorl %eax, %eax ; incl %eax\n");
        }
        src.append(".rept 1000\nnop\n.endr\n");
        List<SourceLine> input = ExpanderTestSupport.lines(src.toString());
        // Warm up once so the measurement is about the algorithm, not class loading / JIT.
        ExpanderTestSupport.expander().expand(input);
        long start = System.nanoTime();
        List<SourceLine> out = ExpanderTestSupport.expander().expand(input);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(calls * 8 + 1000, out.size());
        assertTrue(millis < 1000, "expanding " + input.size() + " lines took " + millis + " ms");
    }
}

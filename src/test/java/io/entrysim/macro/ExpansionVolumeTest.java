package io.entrysim.macro;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.entrysim.source.SourceLine;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A large input (~10k lines of nested macro calls, plain lines and a .rept) expands completely
 * and the same way twice with one workload. Speed is measured by bin/bench
 * (MacroExpandBenchmark, the same workload), never by a timed test.
 */
class ExpansionVolumeTest {
    @Test
    void tenThousandLinesExpandCompletely() {
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
        List<SourceLine> first = ExpanderTestSupport.expander().expand(input);
        List<SourceLine> out = ExpanderTestSupport.expander().expand(input);
        assertEquals(calls * 8 + 1000, out.size());
        assertEquals(ExpanderTestSupport.texts(first), ExpanderTestSupport.texts(out));
    }
}

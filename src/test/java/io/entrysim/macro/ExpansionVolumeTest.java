package io.entrysim.macro;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.entrysim.bench.Workloads;
import io.entrysim.source.SourceLine;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A large input (~10k lines of nested macro calls, plain lines and a .rept) expands completely
 * and the same way twice. Speed is measured by bin/bench (MacroExpandBenchmark, this same
 * workload), never by a timed test.
 */
class ExpansionVolumeTest {
    @Test
    void tenThousandLinesExpandCompletely() {
        List<SourceLine> input = Workloads.macroSource();
        List<SourceLine> first = ExpanderTestSupport.expander().expand(input);
        List<SourceLine> out = ExpanderTestSupport.expander().expand(input);
        assertEquals(Workloads.EXPAND_CALLS * 8 + 1000, out.size());
        assertEquals(ExpanderTestSupport.texts(first), ExpanderTestSupport.texts(out));
    }
}

package io.entrysim.check;

import io.entrysim.diag.AsmError;
import java.util.List;

/**
 * One test to run: a run configuration with the expectations that apply to it, plain or as an
 * NMI sweep; or a spec file that could not be read ({@code specError}), which fails as such.
 */
public record TestPoint(String file, RunConfiguration config, List<Expectation> expectations, NmiSweepSpec sweep,
                        AsmError specError) {
    public TestPoint {
        expectations = expectations == null ? List.of() : List.copyOf(expectations);
    }

    public String name() {
        if (specError != null) {
            return file + ": the spec";
        }
        return config.name() + (sweep == null ? "" : " + NMI at each boundary");
    }
}

package io.entrysim.check;

import java.util.List;

/**
 * One test point of {@code entrysim test}: a run configuration of a spec file (or its NMI sweep,
 * or a spec file that could not be read), with its verdict.
 *
 * @param file the spec file, as given
 * @param name the test's name (file, tag, options; and what the sweep adds)
 * @param diagnostic for FAIL, the lines explaining it (expected vs actual, where, how to
 *     reproduce); for SKIP, the reason as its one line; empty for PASS
 * @param nanos wall time spent on it
 * @param notes what a passing test has to say for itself (an NMI sweep: how many boundaries it
 *     covered), printed as KTAP diagnostic lines; empty for most
 */
public record TestResult(String file, String name, Status status, List<String> diagnostic, long nanos, List<String> notes) {
    public enum Status { PASS, FAIL, SKIP }

    public TestResult {
        diagnostic = List.copyOf(diagnostic);
        notes = List.copyOf(notes);
    }

    public TestResult(String file, String name, Status status, List<String> diagnostic, long nanos) {
        this(file, name, status, diagnostic, nanos, List.of());
    }
}

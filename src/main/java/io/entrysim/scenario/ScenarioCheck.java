package io.entrysim.scenario;

/** One named check of a scenario's end state ({@code "cr3-restored"}): whether it held, and what was seen. */
public record ScenarioCheck(String name, boolean ok, String detail) {
    static ScenarioCheck of(String name, boolean ok, String detail) {
        return new ScenarioCheck(name, ok, detail);
    }

    static ScenarioCheck equal(String name, long expected, long actual) {
        return new ScenarioCheck(name, expected == actual, expected == actual
                ? String.format("0x%x", actual) : String.format("expected 0x%x, got 0x%x", expected, actual));
    }
}

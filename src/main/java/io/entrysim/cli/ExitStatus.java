package io.entrysim.cli;

import io.entrysim.exec.StopReason;
import io.entrysim.session.RunOutcome;

/**
 * The exit status of a run, a public interface (README "Exit status"), decided in this one
 * place. The first that applies wins: {@link #FAULT} (a CPU fault, a call to an undefined
 * function with {@code --stub-calls stop}, or a return to compatibility mode), then
 * {@link #VIOLATION} (the run broke a rule: lost flush, PCID bits without PCIDE, a strict-flags
 * read), then {@link #BAD_INPUT_OR_LIMIT} for the step limit, else {@link #OK}. Bad input never
 * gets this far: it exits {@link #BAD_INPUT_OR_LIMIT} with a diagnostic.
 */
public final class ExitStatus {
    public static final int OK = 0, BAD_INPUT_OR_LIMIT = 1, FAULT = 2, VIOLATION = 3;

    private ExitStatus() {}

    public static int of(RunOutcome outcome) {
        StopReason stop = outcome.stop();
        if (outcome.fault() != null || stop == StopReason.UNDEFINED_FUNCTION || stop == StopReason.COMPAT_MODE) {
            return FAULT;
        }
        if (!outcome.violations().isEmpty() || !outcome.flagViolations().isEmpty()) {
            return VIOLATION;
        }
        return outcome.maxStepsReached() ? BAD_INPUT_OR_LIMIT : OK;
    }
}

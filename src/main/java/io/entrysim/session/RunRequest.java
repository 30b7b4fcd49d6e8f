package io.entrysim.session;

import io.entrysim.exec.ExecOptions;
import io.entrysim.exec.StepListener;
import java.util.List;

/**
 * How to run a built program.
 *
 * @param entry      label to start at; null = the first instruction
 * @param maxSteps   step limit
 * @param trace      observer of every step and delivery; null = none
 * @param options    executor options (strict flags, fault delivery, stub calls)
 * @param exitToUser the end of the run stands for a return to user mode (lost-flush check)
 * @param nmiAt      steps before which an NMI arrives (1-based, as trace step numbers)
 */
public record RunRequest(String entry, long maxSteps, StepListener trace, ExecOptions options, boolean exitToUser,
                         List<Long> nmiAt) {
    public RunRequest {
        nmiAt = List.copyOf(nmiAt);
    }

    public static RunRequest of(long maxSteps) {
        return new RunRequest(null, maxSteps, null, ExecOptions.DEFAULT, false, List.of());
    }
}

package io.entrysim.exec;

/**
 * Observes every executed (committed) instruction with what it changed: what {@code --trace}
 * prints and what a debugger records. Faulting instructions change nothing and are not reported;
 * the fault comes back in the {@link RunResult}.
 */
@FunctionalInterface
public interface StepListener {
    void onStep(StepEvent event);
}
